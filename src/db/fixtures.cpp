#include "db/fixtures.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <limits>
#include <map>
#include <set>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "app/models.hpp"
#include "db/migrations.hpp"

namespace ocl::db {
namespace {

namespace json = boost::json;

// ---------------------------------------------------------------------------------------------
// Model helpers. SQL text is built only from the model descriptions, never from fixture data.

std::string quoted_identifier(std::string_view identifier) {
  return fmt::format("\"{}\"", identifier);
}

bool is_many_to_many(const Field& field) {
  return field.type == FieldType::many_to_many;
}

std::vector<const Field*> column_fields(const Model& model) {
  std::vector<const Field*> fields;
  for (const auto& field : model.fields) {
    if (!is_many_to_many(field)) {
      fields.push_back(&field);
    }
  }
  return fields;
}

bool is_integer_type(FieldType type) {
  switch (type) {
    case FieldType::auto_pk:
    case FieldType::integer:
    case FieldType::positive_integer:
    case FieldType::positive_small_integer:
    case FieldType::foreign_key:
    case FieldType::one_to_one:
      return true;
    default:
      return false;
  }
}

bool is_text_type(FieldType type) {
  return type == FieldType::char_field || type == FieldType::text || type == FieldType::primary_key_char;
}

std::size_t code_points(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::ranges::count_if(utf8, [](char byte) { return (static_cast<unsigned char>(byte) & 0xC0U) != 0x80U; }));
}

// ---------------------------------------------------------------------------------------------
// Datetimes. SQLite holds naive UTC "YYYY-MM-DD HH:MM:SS[.ffffff]"; fixtures hold what Django's
// JSON encoder writes for aware UTC values: ISO 8601, milliseconds, "Z".

std::string fixture_datetime(std::string_view stored) {
  constexpr std::size_t seconds_length = 19;
  if (stored.size() < seconds_length) {
    return std::string(stored);
  }
  std::string result(stored.substr(0, seconds_length));
  result[10] = 'T';
  if (stored.size() > seconds_length + 1 && stored[seconds_length] == '.') {
    auto fraction = std::string(stored.substr(seconds_length + 1));
    fraction.resize(6, '0');
    // Django drops the fraction only when the microseconds are zero, and truncates to milliseconds.
    if (fraction != "000000") {
      result += '.';
      result += fraction.substr(0, 3);
    }
  }
  return result + 'Z';
}

/// A tiny cursor over a datetime string, reading fixed runs of digits.
class DatetimeReader {
 public:
  explicit DatetimeReader(std::string_view text) : text_(text) {}

  std::optional<int> digits(std::size_t min_count, std::size_t max_count) {
    std::size_t count = 0;
    int number = 0;
    while (count < max_count && position_ < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[position_]))) {
      number = number * 10 + (text_[position_] - '0');
      ++position_;
      ++count;
    }
    return count >= min_count ? std::optional<int>(number) : std::nullopt;
  }
  bool take(std::string_view choices) {
    if (position_ < text_.size() && choices.find(text_[position_]) != std::string_view::npos) {
      ++position_;
      return true;
    }
    return false;
  }
  [[nodiscard]] char peek() const { return position_ < text_.size() ? text_[position_] : '\0'; }
  [[nodiscard]] bool done() const { return position_ == text_.size(); }
  [[nodiscard]] std::size_t position() const { return position_; }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

struct ParsedTime {
  int hour = 0;
  int minute = 0;
  int second = 0;
  int microsecond = 0;
  int offset_minutes = 0;
};

std::optional<int> microseconds(DatetimeReader& reader) {
  const auto start = reader.position();
  const auto fraction = reader.digits(1, 6);
  if (!fraction) {
    return std::nullopt;
  }
  auto value = *fraction;
  for (auto read = reader.position() - start; read < 6; ++read) {
    value *= 10;
  }
  reader.digits(0, 6);  // Django ignores digits past the sixth.
  return value;
}

std::optional<int> utc_offset(DatetimeReader& reader) {
  if (reader.take("Z")) {
    return 0;
  }
  const char sign = reader.peek();
  if (!reader.take("+-")) {
    return 0;
  }
  const auto hours = reader.digits(2, 2);
  reader.take(":");
  const auto minutes = reader.digits(0, 2);
  if (!hours || *hours > 23 || !minutes || *minutes > 59) {
    return std::nullopt;
  }
  const int offset = *hours * 60 + *minutes;
  return sign == '-' ? -offset : offset;
}

std::optional<ParsedTime> parse_time(DatetimeReader& reader) {
  ParsedTime time;
  const auto hour = reader.digits(1, 2);
  const auto minute = reader.take(":") ? reader.digits(1, 2) : std::nullopt;
  if (!hour || !minute || *hour > 23 || *minute > 59) {
    return std::nullopt;
  }
  time.hour = *hour;
  time.minute = *minute;
  if (reader.take(":")) {
    const auto second = reader.digits(1, 2);
    if (!second || *second > 59) {
      return std::nullopt;
    }
    time.second = *second;
    if (reader.take(".,")) {
      const auto micro = microseconds(reader);
      if (!micro) {
        return std::nullopt;
      }
      time.microsecond = *micro;
    }
  }
  while (reader.take(" ")) {
  }
  const auto offset = utc_offset(reader);
  if (!offset || !reader.done()) {
    return std::nullopt;
  }
  time.offset_minutes = *offset;
  return time;
}

/// The SQLite storage text of a fixture datetime (converted to UTC), or nullopt when it is not one.
std::optional<std::string> stored_datetime(std::string_view text) {
  using namespace std::chrono;
  DatetimeReader reader(text);
  const auto year = reader.digits(4, 4);
  const auto month = reader.take("-") ? reader.digits(1, 2) : std::nullopt;
  const auto day_of_month = reader.take("-") ? reader.digits(1, 2) : std::nullopt;
  if (!year || !month || !day_of_month || !reader.take("T ")) {
    return std::nullopt;
  }
  const year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                            std::chrono::day{static_cast<unsigned>(*day_of_month)}};
  const auto time = parse_time(reader);
  if (!date.ok() || !time) {
    return std::nullopt;
  }
  const auto instant =
      sys_days{date} + hours{time->hour} + minutes{time->minute - time->offset_minutes} + seconds{time->second};
  const auto utc_day = floor<days>(instant);
  const year_month_day utc_date{utc_day};
  const hh_mm_ss clock{instant - utc_day};
  auto result = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", static_cast<int>(utc_date.year()),
                            static_cast<unsigned>(utc_date.month()), static_cast<unsigned>(utc_date.day()),
                            clock.hours().count(), clock.minutes().count(), clock.seconds().count());
  if (time->microsecond != 0) {
    result += fmt::format(".{:06}", time->microsecond);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// JSON output formatted exactly as Python's json module does for Django (ensure_ascii=False).

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char character : text) {
    switch (character) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(character) < 0x20U) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(character));
        } else {
          out += character;
        }
    }
  }
  out += '"';
}

class PythonJsonWriter {
 public:
  explicit PythonJsonWriter(std::optional<int> indent) : indent_(indent) {}

  void write(std::string& out, const json::value& value, int level) const {
    switch (value.kind()) {
      case json::kind::null:
        out += "null";
        break;
      case json::kind::bool_:
        out += value.get_bool() ? "true" : "false";
        break;
      case json::kind::int64:
        out += std::to_string(value.get_int64());
        break;
      case json::kind::uint64:
        out += std::to_string(value.get_uint64());
        break;
      case json::kind::double_:
        out += fmt::format("{}", value.get_double());
        break;
      case json::kind::string:
        append_json_string(out, value.get_string());
        break;
      case json::kind::array:
        write_array(out, value.get_array(), level);
        break;
      case json::kind::object:
        write_object(out, value.get_object(), level);
        break;
    }
  }

 private:
  [[nodiscard]] std::string item_separator() const { return indent_ ? "," : ", "; }

  void new_line(std::string& out, int level) const {
    if (indent_) {
      out += '\n';
      out.append(static_cast<std::size_t>(std::max(0, *indent_ * level)), ' ');
    }
  }

  void write_array(std::string& out, const json::array& array, int level) const {
    if (array.empty()) {
      out += "[]";
      return;
    }
    out += '[';
    for (std::size_t index = 0; index < array.size(); ++index) {
      out += index == 0 ? "" : item_separator();
      new_line(out, level + 1);
      write(out, array[index], level + 1);
    }
    new_line(out, level);
    out += ']';
  }

  void write_object(std::string& out, const json::object& object, int level) const {
    if (object.empty()) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    for (const auto& member : object) {
      out += first ? "" : item_separator();
      first = false;
      new_line(out, level + 1);
      append_json_string(out, member.key());
      out += ": ";
      write(out, member.value(), level + 1);
    }
    new_line(out, level);
    out += '}';
  }

  std::optional<int> indent_;
};

// ---------------------------------------------------------------------------------------------
// dumpdata

json::value dumped_value(const Field& field, const Value& value) {
  if (std::holds_alternative<Null>(value)) {
    return nullptr;
  }
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    if (field.type == FieldType::boolean) {
      return *number != 0;
    }
    return *number;
  }
  if (const auto* real = std::get_if<double>(&value)) {
    return *real;
  }
  const auto& text = std::get<std::string>(value);
  if (field.type == FieldType::datetime) {
    return json::string(fixture_datetime(text));
  }
  return json::string(text);
}

json::array related_keys(Connection& connection, const Field& field, const Value& owner) {
  const auto& through = *field.through;
  const auto rows =
      connection.query(fmt::format("SELECT {} FROM {} WHERE {} = ? ORDER BY {}",
                                   quoted_identifier(through.target_column), quoted_identifier(through.table),
                                   quoted_identifier(through.source_column), quoted_identifier(through.target_column)),
                       {owner});
  json::array keys;
  for (const auto& row : rows.rows) {
    keys.push_back(dumped_value(field, row.value(0)));
  }
  return keys;
}

std::string select_all_sql(const Model& model) {
  std::string columns;
  for (const auto* field : column_fields(model)) {
    columns += columns.empty() ? "" : ", ";
    columns += quoted_identifier(field->column);
  }
  return fmt::format("SELECT {} FROM {} ORDER BY {}", columns, quoted_identifier(model.table),
                     quoted_identifier(model.primary_key().column));
}

json::object dumped_object(Connection& connection, const Model& model, const Row& row) {
  const auto columns = column_fields(model);
  json::object fields;
  for (std::size_t index = 1; index < columns.size(); ++index) {
    fields[columns[index]->name] = dumped_value(*columns[index], row.value(index));
  }
  for (const auto& field : model.fields) {
    if (is_many_to_many(field)) {
      fields[field.name] = related_keys(connection, field, row.value(0));
    }
  }
  json::object object;
  object["model"] = model.label();
  object["pk"] = dumped_value(model.primary_key(), row.value(0));
  object["fields"] = std::move(fields);
  return object;
}

// ---------------------------------------------------------------------------------------------
// loaddata: validation

[[noreturn]] void reject(const std::string& record, std::string_view problem) {
  throw FixtureError(fmt::format("{}: {}", record, problem));
}

std::optional<std::int64_t> integer_from_text(std::string_view text) {
  std::int64_t number = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, number);
  if (text.empty() || error != std::errc{} || stop != end) {
    return std::nullopt;
  }
  return number;
}

std::int64_t integer_value(const Field& field, const json::value& value, const std::string& record) {
  const auto out_of_range = fmt::format("field '{}' is out of range", field.name);
  if (value.is_int64()) {
    return value.get_int64();
  }
  if (value.is_uint64()) {
    reject(record, out_of_range);
  }
  if (value.is_string()) {
    if (const auto number = integer_from_text(value.get_string())) {
      return *number;
    }
  }
  reject(record, fmt::format("field '{}' must be an integer", field.name));
}

void check_range(const Field& field, std::int64_t number, const std::string& record) {
  const bool too_small = field.min_value && number < *field.min_value;
  const bool too_large = field.max_value && number > *field.max_value;
  const bool negative =
      (field.type == FieldType::positive_integer || field.type == FieldType::positive_small_integer) && number < 0;
  if (too_small || too_large || negative) {
    reject(record, fmt::format("field '{}' is out of range ({})", field.name, number));
  }
}

std::int64_t boolean_value(const Field& field, const json::value& value, const std::string& record) {
  if (value.is_bool()) {
    return value.get_bool() ? 1 : 0;
  }
  if (value.is_int64() && (value.get_int64() == 0 || value.get_int64() == 1)) {
    return value.get_int64();
  }
  if (value.is_string()) {
    const std::string_view text = value.get_string();
    if (text == "true" || text == "True" || text == "t" || text == "1") {
      return 1;
    }
    if (text == "false" || text == "False" || text == "f" || text == "0") {
      return 0;
    }
  }
  reject(record, fmt::format("field '{}' must be true or false", field.name));
}

std::string text_value(const Field& field, const json::value& value, const std::string& record) {
  if (!value.is_string()) {
    reject(record, fmt::format("field '{}' must be a string", field.name));
  }
  std::string text(value.get_string());
  const auto length = code_points(text);
  if (field.max_length && length > static_cast<std::size_t>(*field.max_length)) {
    reject(record, fmt::format("field '{}' is longer than {} characters", field.name, *field.max_length));
  }
  if (field.min_length && length < static_cast<std::size_t>(*field.min_length)) {
    reject(record, fmt::format("field '{}' is shorter than {} characters", field.name, *field.min_length));
  }
  return text;
}

std::string datetime_value(const Field& field, const json::value& value, const std::string& record) {
  if (value.is_string()) {
    if (auto stored = stored_datetime(value.get_string())) {
      return std::move(*stored);
    }
  }
  reject(record, fmt::format("field '{}' must be a date and time like \"2020-06-14T09:41:56.975Z\"", field.name));
}

Value column_value(const Field& field, const json::value& value, const std::string& record) {
  if (value.is_null()) {
    if (!field.nullable) {
      reject(record, fmt::format("field '{}' may not be null", field.name));
    }
    return Null{};
  }
  if (is_integer_type(field.type)) {
    const auto number = integer_value(field, value, record);
    check_range(field, number, record);
    return number;
  }
  if (field.type == FieldType::boolean) {
    return boolean_value(field, value, record);
  }
  if (field.type == FieldType::datetime) {
    return datetime_value(field, value, record);
  }
  return text_value(field, value, record);
}

/// The value a field takes when the fixture leaves it out, as Django's model defaults give it.
Value missing_value(const Field& field, const std::string& record) {
  if (field.nullable) {
    return Null{};
  }
  if (field.blank && is_text_type(field.type)) {
    return std::string();
  }
  reject(record, fmt::format("field '{}' is missing", field.name));
}

std::set<std::int64_t> related_values(const Field& field, const json::value& value, const std::string& record) {
  if (!value.is_array()) {
    reject(record, fmt::format("field '{}' must be a list of primary keys", field.name));
  }
  std::set<std::int64_t> keys;
  for (const auto& item : value.get_array()) {
    if (!item.is_int64()) {
      reject(record, fmt::format("field '{}' must be a list of primary keys", field.name));
    }
    keys.insert(item.get_int64());
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// loaddata: saving

/// One validated fixture object, ready to save.
struct Record {
  const Model* model = nullptr;
  std::string description;  ///< "object #3 (lettings.letting pk=7)"
  Value pk;
  std::vector<Value> columns;  ///< values of column_fields(model) after the primary key
  std::vector<std::pair<const Field*, std::set<std::int64_t>>> relations;
};

std::string pk_text(const Value& pk) {
  if (const auto* number = std::get_if<std::int64_t>(&pk)) {
    return std::to_string(*number);
  }
  return std::get<std::string>(pk);
}

std::string update_sql(const Model& model) {
  std::string assignments;
  const auto fields = column_fields(model);
  for (std::size_t index = 1; index < fields.size(); ++index) {
    assignments += index == 1 ? "" : ", ";
    assignments += quoted_identifier(fields[index]->column) + " = ?";
  }
  return fmt::format("UPDATE {} SET {} WHERE {} = ?", quoted_identifier(model.table), assignments,
                     quoted_identifier(model.primary_key().column));
}

std::string insert_sql(const Model& model) {
  std::string columns;
  std::string placeholders;
  for (const auto* field : column_fields(model)) {
    columns += columns.empty() ? "" : ", ";
    placeholders += placeholders.empty() ? "?" : ", ?";
    columns += quoted_identifier(field->column);
  }
  return fmt::format("INSERT INTO {} ({}) VALUES ({})", quoted_identifier(model.table), columns, placeholders);
}

class Loader {
 public:
  explicit Loader(Connection& connection) : connection_(connection) {}

  std::size_t load_fixture(const FixtureSource& source) {
    const auto document = parse(source);
    if (!document.is_array()) {
      throw FixtureError(with_source(source, "a fixture must be a JSON array of objects"));
    }
    const auto& objects = document.get_array();
    for (std::size_t index = 0; index < objects.size(); ++index) {
      try {
        save(read_record(objects[index], index + 1));
      } catch (const FixtureError& error) {
        throw FixtureError(with_source(source, error.what()));
      }
    }
    return objects.size();
  }

  void finish() {
    check_references();
    reset_sequences();
  }

 private:
  static std::string with_source(const FixtureSource& source, std::string_view message) {
    return source.name.empty() ? std::string(message) : fmt::format("{}: {}", source.name, message);
  }

  static json::value parse(const FixtureSource& source) {
    json::stream_parser parser;
    boost::system::error_code error;
    const auto consumed = parser.write(source.text.data(), source.text.size(), error);
    if (!error) {
      parser.finish(error);
    }
    if (error) {
      const auto position = std::min(consumed, source.text.size());
      const auto before = std::string_view(source.text).substr(0, position);
      const auto line = std::ranges::count(before, '\n') + 1;
      const auto line_start = before.rfind('\n');
      const auto column = position - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
      throw FixtureError(with_source(source, fmt::format("malformed JSON at line {}, column {} (offset {}): {}", line,
                                                         column, position, error.message())));
    }
    return parser.release();
  }

  static Record read_record(const json::value& value, std::size_t number) {
    auto where = fmt::format("object #{}", number);
    if (!value.is_object()) {
      reject(where, "is not a JSON object");
    }
    const auto& object = value.get_object();
    const auto* label = object.if_contains("model");
    if (label == nullptr || !label->is_string()) {
      reject(where, "has no \"model\"");
    }
    const auto* model = app::find_model(label->get_string());
    if (model == nullptr) {
      reject(where, fmt::format("unknown model '{}'", std::string_view(label->get_string())));
    }
    Record record;
    record.model = model;
    const auto* pk = object.if_contains("pk");
    if (pk == nullptr || pk->is_null()) {
      reject(fmt::format("{} ({})", where, model->label()), "missing pk");
    }
    record.pk = column_value(model->primary_key(), *pk, fmt::format("{} ({})", where, model->label()));
    record.description = fmt::format("{} ({} pk={})", where, model->label(), pk_text(record.pk));
    const auto* fields = object.if_contains("fields");
    if (fields == nullptr || !fields->is_object()) {
      reject(record.description, "has no \"fields\" object");
    }
    read_fields(record, fields->get_object());
    return record;
  }

  static void read_fields(Record& record, const json::object& fields) {
    for (const auto& member : fields) {
      const auto* field = record.model->field(member.key());
      if (field == nullptr || field == &record.model->primary_key()) {
        reject(record.description, fmt::format("unknown field '{}'", std::string_view(member.key())));
      }
    }
    const auto columns = column_fields(*record.model);
    for (std::size_t index = 1; index < columns.size(); ++index) {
      const auto* given = fields.if_contains(columns[index]->name);
      record.columns.push_back(given != nullptr ? column_value(*columns[index], *given, record.description)
                                                : missing_value(*columns[index], record.description));
    }
    for (const auto& field : record.model->fields) {
      // Like Django, a many-to-many field left out of the fixture keeps its current rows.
      if (const auto* given = fields.if_contains(field.name); given != nullptr && is_many_to_many(field)) {
        record.relations.emplace_back(&field, related_values(field, *given, record.description));
      }
    }
  }

  void save(const Record& record) {
    try {
      save_row(record);
      for (const auto& [field, keys] : record.relations) {
        save_relations(record, *field, keys);
      }
    } catch (const ConstraintError& error) {
      reject(record.description, fmt::format("cannot be saved: {}", error.what()));
    }
    touched_.insert(record.model);
    saved_[{record.model->table, pk_text(record.pk)}] = record.description;
  }

  // Django's save(): update the row with that pk, insert it if there was none.
  void save_row(const Record& record) {
    std::vector<Value> params = record.columns;
    params.push_back(record.pk);
    if (connection_.execute(update_sql(*record.model), params) > 0) {
      return;
    }
    params.pop_back();
    params.insert(params.begin(), record.pk);
    connection_.execute(insert_sql(*record.model), params);
  }

  void save_relations(const Record& record, const Field& field, const std::set<std::int64_t>& keys) {
    const auto& through = *field.through;
    connection_.execute(fmt::format("DELETE FROM {} WHERE {} = ?", quoted_identifier(through.table),
                                    quoted_identifier(through.source_column)),
                        {record.pk});
    const auto insert = fmt::format("INSERT INTO {} ({}, {}) VALUES (?, ?)", quoted_identifier(through.table),
                                    quoted_identifier(through.source_column), quoted_identifier(through.target_column));
    for (const auto key : keys) {
      connection_.execute(insert, {record.pk, Value{key}});
    }
  }

  // Foreign keys are checked at commit; finding the first broken one first lets the message name it.
  void check_references() {
    if (connection_.dialect() != Dialect::sqlite) {
      return;
    }
    const auto broken = connection_.query("PRAGMA foreign_key_check");
    if (broken.empty()) {
      return;
    }
    const auto& row = broken.rows.front();
    throw FixtureError(describe_broken_reference(row.text(0), row.integer(1), row.text(2)));
  }

  std::string describe_broken_reference(const std::string& table, std::int64_t rowid, const std::string& parent) {
    for (const auto* model : app::all_models()) {
      for (const auto& field : model->fields) {
        const auto* target = app::find_model(field.related_model);
        if (target == nullptr || target->table != parent) {
          continue;
        }
        if (model->table == table && !is_many_to_many(field)) {
          return broken_field(*model, field, table, rowid);
        }
        if (is_many_to_many(field) && field.through->table == table) {
          return broken_relation(*model, field, rowid);
        }
      }
    }
    return fmt::format("a row of {} refers to a missing row of {}", table, parent);
  }

  std::string record_name(const Model& model, const std::string& pk) {
    const auto found = saved_.find({model.table, pk});
    return found != saved_.end() ? found->second : fmt::format("existing row ({} pk={})", model.label(), pk);
  }

  std::string broken_field(const Model& model, const Field& field, const std::string& table, std::int64_t rowid) {
    const auto row = connection_.query(
        fmt::format("SELECT {}, {} FROM {} WHERE rowid = ?", quoted_identifier(model.primary_key().column),
                    quoted_identifier(field.column), quoted_identifier(table)),
        {Value{rowid}});
    const auto pk = pk_text(row.rows.at(0).value(0));
    return fmt::format("{}: field '{}' refers to {} pk={}, which does not exist", record_name(model, pk), field.name,
                       field.related_model, row.rows.at(0).integer(1));
  }

  std::string broken_relation(const Model& model, const Field& field, std::int64_t rowid) {
    const auto& through = *field.through;
    const auto row =
        connection_.query(fmt::format("SELECT {}, {} FROM {} WHERE rowid = ?", quoted_identifier(through.source_column),
                                      quoted_identifier(through.target_column), quoted_identifier(through.table)),
                          {Value{rowid}});
    return fmt::format("{}: field '{}' refers to {} pk={}, which does not exist",
                       record_name(model, std::to_string(row.rows.at(0).integer(0))), field.name, field.related_model,
                       row.rows.at(0).integer(1));
  }

  // Rows loaded with explicit ids must not collide with the next ids the database hands out:
  // SQLite's AUTOINCREMENT already follows them, PostgreSQL's identity sequences do not.
  void reset_sequences() {
    for (const auto* model : touched_) {
      if (model->primary_key().type == FieldType::auto_pk) {
        advance_id_counter(connection_, model->table, model->primary_key().column);
      }
    }
  }

  Connection& connection_;
  std::set<const Model*> touched_;
  std::map<std::pair<std::string, std::string>, std::string> saved_;
};

// ---------------------------------------------------------------------------------------------
// Labels

std::vector<const Model*> models_of_app(std::string_view app_label) {
  std::vector<const Model*> models;
  for (const auto* model : app::all_models()) {
    if (model->app_label == app_label) {
      models.push_back(model);
    }
  }
  return models;
}

std::vector<const Model*> models_for_label(std::string_view label) {
  if (label.find('.') == std::string_view::npos) {
    auto models = models_of_app(label);
    if (models.empty()) {
      throw UnknownLabelError(fmt::format("No installed app with label '{}'.", label));
    }
    return models;
  }
  const auto* model = app::find_model(label);
  if (model == nullptr) {
    if (models_of_app(label.substr(0, label.find('.'))).empty()) {
      throw UnknownLabelError(fmt::format("No installed app with label '{}'.", label.substr(0, label.find('.'))));
    }
    throw UnknownLabelError(fmt::format("Unknown model: {}", label));
  }
  return {model};
}

}  // namespace

std::vector<const Model*> select_models(std::span<const std::string> labels) {
  if (labels.empty()) {
    return app::all_models();
  }
  std::set<const Model*> wanted;
  for (const auto& label : labels) {
    for (const auto* model : models_for_label(label)) {
      wanted.insert(model);
    }
  }
  std::vector<const Model*> selected;
  std::ranges::copy_if(app::all_models(), std::back_inserter(selected),
                       [&wanted](const Model* model) { return wanted.contains(model); });
  return selected;
}

std::string dump(Connection& connection, std::span<const std::string> labels, std::optional<int> indent) {
  const auto models = select_models(labels);
  const PythonJsonWriter writer(indent);
  // Django separates objects with newlines only for a positive indent.
  const bool pretty = indent.value_or(0) > 0;
  std::string out = "[";
  bool first = true;
  for (const auto* model : models) {
    const auto rows = connection.query(select_all_sql(*model));
    for (const auto& row : rows.rows) {
      out += first ? "" : (pretty ? "," : ", ");
      first = false;
      out += pretty ? "\n" : "";
      writer.write(out, dumped_object(connection, *model, row), 0);
    }
  }
  out += pretty ? "\n]\n" : "]";
  return out;
}

LoadReport load(Connection& connection, std::string_view json_text) {
  const std::vector<FixtureSource> sources{FixtureSource{"", std::string(json_text)}};
  return load(connection, sources);
}

LoadReport load(Connection& connection, std::span<const FixtureSource> sources) {
  try {
    return in_transaction(connection, [&] {
      Loader loader(connection);
      LoadReport report;
      for (const auto& source : sources) {
        report.objects += loader.load_fixture(source);
        ++report.fixtures;
      }
      loader.finish();
      return report;
    });
  } catch (const ConstraintError& error) {
    throw FixtureError(fmt::format("the fixture breaks a database constraint: {}", error.what()));
  }
}

}  // namespace ocl::db
