#include "db/postgresql_connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <array>
#include <charconv>
#include <type_traits>
#include <variant>
#include <vector>

#include <fmt/format.h>

namespace ocl::db {
namespace {

// Type OIDs from PostgreSQL's catalog (pg_type.dat); stable across versions. The server headers
// that name them are not part of libpq's development package.
constexpr Oid bool_oid = 16;
constexpr Oid int8_oid = 20;
constexpr Oid int2_oid = 21;
constexpr Oid int4_oid = 23;
constexpr Oid oid_oid = 26;
constexpr Oid float4_oid = 700;
constexpr Oid float8_oid = 701;
constexpr Oid timestamptz_oid = 1184;

constexpr std::string_view connect_timeout_seconds = "5";
constexpr auto session_setup = "SET TIME ZONE 'UTC'";

/// True when `socket` has something to read now (or is closed, or invalid).
bool input_waiting(int socket) {
  if (socket < 0) {
    return true;
  }
  pollfd readable{.fd = socket, .events = POLLIN, .revents = 0};
  return ::poll(&readable, 1, 0) != 0;
}

/// libpq's messages end with a newline.
std::string trimmed(std::string message) {
  while (!message.empty() && message.back() == '\n') {
    message.pop_back();
  }
  return message;
}

std::int64_t to_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) {
    throw DatabaseError(fmt::format("PostgreSQL returned '{}' where an integer was expected", text));
  }
  return value;
}

// Sessions run in UTC, so timestamptz values end in "+00"; the rest of the site reads timestamps
// as Django's SQLite backend stores them: naive UTC text.
std::string naive_utc(std::string_view text) {
  constexpr std::string_view utc_suffix = "+00";
  if (text.ends_with(utc_suffix)) {
    text.remove_suffix(utc_suffix.size());
  }
  return std::string(text);
}

Value column_value(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column) == 1) {
    return Null{};
  }
  const std::string_view text(PQgetvalue(result, row, column),
                              static_cast<std::size_t>(PQgetlength(result, row, column)));
  switch (PQftype(result, column)) {
    case bool_oid:
      return std::int64_t{text == "t" ? 1 : 0};
    case int2_oid:
    case int4_oid:
    case int8_oid:
    case oid_oid:
      return to_integer(text);
    case float4_oid:
    case float8_oid:
      return std::stod(std::string(text));
    case timestamptz_oid:
      return naive_utc(text);
    default:
      return std::string(text);
  }
}

// Parameters travel as text with no declared type, so the server infers each from its context
// (an integer 1 becomes true for a boolean column, text becomes a timestamp where one is expected).
struct TextParameters {
  std::vector<std::string> storage;
  std::vector<const char*> pointers;

  explicit TextParameters(std::span<const Value> params) {
    storage.reserve(params.size());
    pointers.reserve(params.size());
    for (const auto& param : params) {
      if (std::holds_alternative<Null>(param)) {
        storage.emplace_back();
        pointers.push_back(nullptr);
        continue;
      }
      storage.push_back(std::visit(
          [](const auto& value) -> std::string {
            using Type = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<Type, std::string>) {
              return value;
            } else if constexpr (std::is_same_v<Type, Null>) {
              return {};
            } else {
              return fmt::format("{}", value);
            }
          },
          param));
      pointers.push_back(storage.back().c_str());
    }
  }
};

bool starts_with(const char* state, std::string_view prefix) {
  return state != nullptr && std::string_view(state).starts_with(prefix);
}

// SQLSTATE classes that say the server cannot serve now, not that the statement is wrong.
bool is_unavailable_state(const char* state) {
  constexpr std::array<std::string_view, 9> transient = {"08",    "53",    "57P01", "57P02", "57P03",
                                                         "57014", "25006", "40001", "40P01"};
  for (const auto prefix : transient) {
    if (starts_with(state, prefix)) {
      return true;
    }
  }
  return false;
}

/// True when a statement's command tag says it wrote rows ("INSERT 0 1", "UPDATE 3", "DELETE 2"...).
bool changed_rows(PGresult* result) {
  const std::string_view tag = PQcmdStatus(result);
  const std::string_view count = PQcmdTuples(result);
  const bool writes = tag.starts_with("INSERT") || tag.starts_with("UPDATE") || tag.starts_with("DELETE") ||
                      tag.starts_with("MERGE") || tag.starts_with("COPY");
  return writes && !count.empty() && count != "0";
}

}  // namespace

std::string numbered_placeholders(std::string_view sql) {
  std::string rewritten;
  rewritten.reserve(sql.size() + 16);
  int next = 1;
  constexpr char no_quote = '\0';
  char quote = no_quote;
  for (const char character : sql) {
    if (quote != no_quote) {
      if (character == quote) {
        quote = no_quote;  // a doubled quote closes and reopens: same result
      }
    } else if (character == '\'' || character == '"') {
      quote = character;
    } else if (character == '?') {
      rewritten += fmt::format("${}", next++);
      continue;
    }
    rewritten += character;
  }
  return rewritten;
}

void PostgresqlConnection::ResultDeleter::operator()(pg_result* result) const {
  PQclear(result);
}

PostgresqlConnection::PostgresqlConnection(const std::string& url) {
  // Defaults first, the URL last: libpq lets later values win, so the URL may override them.
  const std::array<const char*, 4> keywords = {"connect_timeout", "application_name", "dbname", nullptr};
  const std::array<const char*, 4> values = {connect_timeout_seconds.data(), "oc-lettings", url.c_str(), nullptr};
  handle_ = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (handle_ == nullptr || PQstatus(handle_) != CONNECTION_OK) {
    const auto message = trimmed(handle_ != nullptr ? PQerrorMessage(handle_) : "out of memory");
    PQfinish(handle_);
    handle_ = nullptr;
    throw UnavailableError(fmt::format("cannot connect to PostgreSQL: {}", message), "PostgreSQL connection refused");
  }
  // Notices ("table does not exist, skipping") are not errors; they must not reach stderr.
  PQsetNoticeProcessor(
      handle_, [](void* /*unused*/, const char* /*notice*/) {}, nullptr);
  try {
    execute_script(session_setup);
  } catch (...) {
    PQfinish(handle_);
    throw;
  }
}

PostgresqlConnection::~PostgresqlConnection() {
  PQfinish(handle_);
}

bool PostgresqlConnection::reusable() const {
  return !broken_ && PQstatus(handle_) == CONNECTION_OK && !in_transaction();
}

bool PostgresqlConnection::in_transaction() const {
  return PQtransactionStatus(handle_) != PQTRANS_IDLE;
}

void PostgresqlConnection::fail(const pg_result* result, std::string_view context) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const auto message = trimmed(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(handle_));
  const auto described = fmt::format("{}: {}", context, message);
  if (PQstatus(handle_) != CONNECTION_OK) {
    broken_ = true;
    throw UnavailableError(described, "PostgreSQL connection lost");
  }
  if (is_unavailable_state(state)) {
    broken_ = broken_ || starts_with(state, "08") || starts_with(state, "57P");
    throw UnavailableError(described, fmt::format("PostgreSQL {}", state));
  }
  // Class 23 breaks a constraint; class 22 is a value the column cannot hold (too long, a NUL byte).
  if (starts_with(state, "23") || starts_with(state, "22")) {
    throw ConstraintError(described);
  }
  throw DatabaseError(described);
}

PostgresqlConnection::ResultHandle PostgresqlConnection::checked(ResultHandle result, std::string_view context) {
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    fail(result.get(), context);
  }
  return result;
}

const std::string* PostgresqlConnection::prepared(std::string_view sql) {
  if (const auto* cached = statements_.find(sql)) {
    return cached;
  }
  if (!statements_.keeps(sql)) {
    return nullptr;
  }
  auto name = fmt::format("ocl_{}", ++statements_named_);  // never reused: an evicted name may linger
  const auto text = numbered_placeholders(sql);
  checked(ResultHandle(PQprepare(handle_, name.c_str(), text.c_str(), 0, nullptr)),
          fmt::format("cannot prepare '{}'", sql));
  std::string* kept = nullptr;
  if (const auto evicted = statements_.insert(sql, std::move(name), kept)) {
    // Not transactional, so it holds even if the transaction it runs in rolls back. If it fails (an
    // aborted transaction refuses every statement), the server keeps that one until the session ends.
    ResultHandle(PQexec(handle_, fmt::format("DEALLOCATE {}", *evicted).c_str()));
  }
  return kept;
}

void PostgresqlConnection::reconnect_if_dropped() {
  // An idle pooled connection learns that the server closed it (restart, failover, idle timeout)
  // only when it next reads. Between statements the server sends nothing unasked, so input waiting
  // on an idle socket is its goodbye (an error report, then end of file). Checking costs one poll();
  // reconnecting then turns a stale connection into a working one instead of a failed request.
  if (in_transaction() || (PQstatus(handle_) == CONNECTION_OK && !input_waiting(PQsocket(handle_)))) {
    return;
  }
  statements_.clear();  // prepared statements live in the server session that ended
  PQreset(handle_);
  if (PQstatus(handle_) != CONNECTION_OK) {
    broken_ = true;
    throw UnavailableError(fmt::format("cannot reconnect to PostgreSQL: {}", trimmed(PQerrorMessage(handle_))),
                           "PostgreSQL connection lost");
  }
  execute_script(session_setup);
}

PostgresqlConnection::ResultHandle PostgresqlConnection::run(std::string_view sql, std::span<const Value> params) {
  reconnect_if_dropped();
  const auto* name = prepared(sql);
  const TextParameters text(params);
  const auto count = static_cast<int>(params.size());
  ResultHandle result(name != nullptr
                          ? PQexecPrepared(handle_, name->c_str(), count, text.pointers.data(), nullptr, nullptr, 0)
                          : PQexecParams(handle_, numbered_placeholders(sql).c_str(), count, nullptr,
                                         text.pointers.data(), nullptr, nullptr, 0));
  result = checked(std::move(result), fmt::format("statement failed: '{}'", sql));
  if (changed_rows(result.get())) {
    mark_changed();
  }
  return result;
}

ResultSet PostgresqlConnection::query(std::string_view sql, std::span<const Value> params) {
  const auto result = run(sql, params);
  ResultSet rows;
  const int column_count = PQnfields(result.get());
  for (int column = 0; column < column_count; ++column) {
    rows.columns.emplace_back(PQfname(result.get(), column));
  }
  const int row_count = PQntuples(result.get());
  rows.rows.reserve(static_cast<std::size_t>(row_count));
  for (int row = 0; row < row_count; ++row) {
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(column_count));
    for (int column = 0; column < column_count; ++column) {
      values.push_back(column_value(result.get(), row, column));
    }
    rows.rows.emplace_back(std::move(values));
  }
  return rows;
}

std::int64_t PostgresqlConnection::execute(std::string_view sql, std::span<const Value> params) {
  const auto result = run(sql, params);
  const std::string_view changed = PQcmdTuples(result.get());
  return changed.empty() ? 0 : to_integer(changed);
}

void PostgresqlConnection::execute_script(std::string_view sql) {
  const std::string script(sql);
  const auto result = checked(ResultHandle(PQexec(handle_, script.c_str())), "script failed");
  if (changed_rows(result.get())) {
    mark_changed();
  }
}

void PostgresqlConnection::begin() {
  if (in_transaction()) {
    throw DatabaseError("a transaction is already open on this connection; nested transactions are not supported");
  }
  execute_script("BEGIN");
}

void PostgresqlConnection::commit() {
  if (!in_transaction()) {
    throw DatabaseError("commit without an open transaction");
  }
  // PostgreSQL answers COMMIT of a failed transaction with a silent rollback; say so instead.
  if (PQtransactionStatus(handle_) == PQTRANS_INERROR) {
    rollback();
    throw DatabaseError("commit of a transaction that failed earlier: rolled back");
  }
  execute_script("COMMIT");
}

void PostgresqlConnection::rollback() {
  if (in_transaction() && PQstatus(handle_) == CONNECTION_OK) {
    execute_script("ROLLBACK");
  }
}

}  // namespace ocl::db
