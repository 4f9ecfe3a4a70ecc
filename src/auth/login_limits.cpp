#include "auth/login_limits.hpp"

#include <algorithm>
#include <cctype>

#include "config/cpu_budget.hpp"

namespace ocl::auth {

namespace {

constexpr std::size_t max_waiting_sign_ins = 64;
constexpr std::int64_t sweep_interval_seconds = 60;
constexpr std::size_t max_username_length = 150;  // auth_user.username's length

// Times are whole seconds since the epoch, the same on every instance.
constexpr auto create_table_sql = R"sql(CREATE TABLE IF NOT EXISTS "ocl_login_failure" (
  "username" varchar(150) NOT NULL,
  "ip_address" varchar(45) NOT NULL,
  "failures" integer NOT NULL,
  "window_started" bigint NOT NULL,
  "locked_until" bigint NOT NULL,
  PRIMARY KEY ("username", "ip_address")))sql";

// One statement, atomic on both backends: concurrent failures on two instances both count.
constexpr auto count_failure_sql = R"sql(INSERT INTO ocl_login_failure
  (username, ip_address, failures, window_started, locked_until) VALUES (?, ?, 1, ?, 0)
  ON CONFLICT (username, ip_address) DO UPDATE SET
    failures = CASE WHEN ocl_login_failure.window_started <= ? THEN 1 ELSE ocl_login_failure.failures + 1 END,
    window_started = CASE WHEN ocl_login_failure.window_started <= ? THEN excluded.window_started
                          ELSE ocl_login_failure.window_started END)sql";

constexpr auto start_lockout_sql = R"sql(UPDATE ocl_login_failure SET locked_until = ?, failures = 0, window_started = ?
  WHERE username = ? AND ip_address = ? AND failures >= ? AND locked_until <= ?)sql";

/// The per-address row has an empty username (no username is empty: the form requires one).
constexpr std::string_view any_username;

std::string username_key(std::string_view username) {
  std::string key;
  for (const char character : username.substr(0, max_username_length)) {
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(character))));
  }
  return key;
}

std::int64_t seconds_since_epoch(LoginThrottle::Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

/// Bookkeeping rows are not content a page shows: the page cache need not be dropped for them.
void forget_change_mark(db::Connection& connection) {
  static_cast<void>(connection.take_changed());
}

}  // namespace

void LoginThrottle::create_table(db::Connection& connection) {
  connection.execute(create_table_sql);
}

void LoginThrottle::ensure_table(db::Connection& connection) {
  if (!table_ready_.load(std::memory_order_acquire)) {
    create_table(connection);
    table_ready_.store(true, std::memory_order_release);
  }
}

std::optional<std::chrono::seconds> LoginThrottle::refused_for(std::string_view username, std::string_view address,
                                                               Clock::time_point now) {
  auto connection = database_.lease();
  ensure_table(*connection);
  const auto now_seconds = seconds_since_epoch(now);
  const auto rows = connection->query(
      "SELECT locked_until FROM ocl_login_failure WHERE ip_address = ? AND username IN (?, ?) AND locked_until > ?",
      {std::string(address), username_key(username), std::string(any_username), now_seconds});
  std::int64_t locked_until = 0;
  for (const auto& row : rows.rows) {
    locked_until = std::max(locked_until, row.integer(0));
  }
  if (locked_until == 0) {
    return std::nullopt;
  }
  return std::chrono::seconds(locked_until - now_seconds);
}

bool LoginThrottle::record_failure(std::string_view username, std::string_view address, Clock::time_point now) {
  auto connection = database_.lease();
  ensure_table(*connection);
  const auto now_seconds = seconds_since_epoch(now);
  const auto window_start = now_seconds - limits_.window.count();
  const std::pair<std::string, std::int64_t> counted[] = {
      {username_key(username), limits_.max_failures_per_pair},
      {std::string(any_username), limits_.max_failures_per_address}};
  bool locked = false;
  for (const auto& [key, limit] : counted) {
    connection->execute(count_failure_sql, {key, std::string(address), now_seconds, window_start, window_start});
    locked = connection->execute(start_lockout_sql, {now_seconds + limits_.lockout.count(), now_seconds, key,
                                                     std::string(address), limit, now_seconds}) == 1 ||
             locked;
  }
  sweep(*connection, now_seconds);
  forget_change_mark(*connection);
  return locked;
}

void LoginThrottle::record_success(std::string_view username, std::string_view address) {
  auto connection = database_.lease();
  ensure_table(*connection);
  connection->execute("DELETE FROM ocl_login_failure WHERE username = ? AND ip_address = ?",
                      {username_key(username), std::string(address)});
  forget_change_mark(*connection);
}

void LoginThrottle::sweep(db::Connection& connection, std::int64_t now) {
  auto last = last_sweep_.load();
  if (now - last < sweep_interval_seconds || !last_sweep_.compare_exchange_strong(last, now)) {
    return;
  }
  connection.execute("DELETE FROM ocl_login_failure WHERE locked_until <= ? AND window_started <= ?",
                     {now, now - limits_.window.count()});
}

// Sign-ins already queue in the server's slow lane (one thread per core but one); the gate
// only turns work away when far more sign-ins are waiting than the lane can serve soon.
HashingGate::HashingGate() : HashingGate(max_waiting_sign_ins, std::max(2U, config::usable_cores()) - 1) {}

HashingGate::HashingGate(std::size_t max_admitted, std::size_t max_hashing)
    : max_admitted_(std::max<std::size_t>(1, max_admitted)), max_hashing_(std::max<std::size_t>(1, max_hashing)) {}

HashingGate::Ticket::~Ticket() {
  if (gate_ != nullptr) {
    gate_->release_admission();
  }
}

std::optional<HashingGate::Ticket> HashingGate::try_admit() {
  const std::lock_guard lock(mutex_);
  if (admitted_ >= max_admitted_) {
    return std::nullopt;
  }
  ++admitted_;
  return Ticket(this);
}

void HashingGate::acquire_hashing() {
  std::unique_lock lock(mutex_);
  slot_freed_.wait(lock, [this] { return hashing_ < max_hashing_; });
  ++hashing_;
}

void HashingGate::release_hashing() {
  {
    const std::lock_guard lock(mutex_);
    --hashing_;
  }
  slot_freed_.notify_one();
}

void HashingGate::release_admission() {
  const std::lock_guard lock(mutex_);
  --admitted_;
}

}  // namespace ocl::auth
