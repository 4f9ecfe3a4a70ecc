#include "admin/admin_log.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

#include <boost/json/parse.hpp>

namespace ocl::admin {
namespace {

// Decodes one UTF-8 sequence starting at `index`; returns the code point (U+FFFD when malformed).
std::uint32_t next_code_point(std::string_view text, std::size_t& index) {
  const auto lead = static_cast<unsigned char>(text[index++]);
  int extra = 0;
  std::uint32_t code = lead;
  if (lead >= 0xF0U) {
    extra = 3;
    code = lead & 0x07U;
  } else if (lead >= 0xE0U) {
    extra = 2;
    code = lead & 0x0FU;
  } else if (lead >= 0xC0U) {
    extra = 1;
    code = lead & 0x1FU;
  } else if (lead >= 0x80U) {
    return 0xFFFDU;
  }
  for (; extra > 0 && index < text.size(); --extra) {
    code = (code << 6U) | (static_cast<unsigned char>(text[index++]) & 0x3FU);
  }
  return extra == 0 ? code : 0xFFFDU;
}

std::string unicode_escape(std::uint32_t code) {
  std::array<char, 8> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "\\u%04x", code);
  return buffer.data();
}

std::string escape_code_point(std::uint32_t code) {
  switch (code) {
    case '"':
      return "\\\"";
    case '\\':
      return "\\\\";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    default:
      break;
  }
  if (code < 0x20U || (code >= 0x7FU && code <= 0xFFFFU)) {
    return unicode_escape(code);
  }
  if (code > 0xFFFFU) {
    const auto offset = code - 0x10000U;
    return unicode_escape(0xD800U + (offset >> 10U)) + unicode_escape(0xDC00U + (offset & 0x3FFU));
  }
  return std::string(1, static_cast<char>(code));
}

// The parts of one structured change message, as Django's LogEntry.get_change_message reads them.
std::string describe_part(const boost::json::object& part) {
  if (part.contains("added")) {
    return "Added.";
  }
  if (const auto* changed = part.if_contains("changed"); changed != nullptr && changed->is_object()) {
    std::vector<std::string> fields;
    if (const auto* list = changed->as_object().if_contains("fields"); list != nullptr && list->is_array()) {
      for (const auto& field : list->as_array()) {
        if (field.is_string()) {
          fields.emplace_back(field.as_string());
        }
      }
    }
    return "Changed " + text_list(fields) + ".";
  }
  if (part.contains("deleted")) {
    return "Deleted.";
  }
  return {};
}

std::vector<LogEntry> read_entries(db::Connection& connection, const std::string& where,
                                   std::initializer_list<db::Value> values, const std::string& tail) {
  const auto result = connection.query(
      "SELECT l.action_time, COALESCE(u.username, ''), COALESCE(l.object_id, ''), l.object_repr, l.action_flag, "
      "l.change_message, COALESCE(c.app_label, ''), COALESCE(c.model, '') FROM django_admin_log AS l "
      "LEFT JOIN auth_user AS u ON u.id = l.user_id LEFT JOIN django_content_type AS c ON c.id = l.content_type_id " +
          where + tail,
      values);
  std::vector<LogEntry> entries;
  for (const auto& row : result.rows) {
    LogEntry entry;
    entry.action_time = row.text(0).substr(0, 19);
    entry.username = row.text(1);
    entry.object_id = row.text(2);
    entry.object_repr = row.text(3);
    entry.flag = static_cast<ActionFlag>(row.integer(4));
    entry.change_message = row.text(5);
    entry.app_label = row.text(6);
    entry.model = row.text(7);
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

std::string added_message() {
  return R"([{"added": {}}])";
}

std::string changed_message(const std::vector<std::string>& labels) {
  if (labels.empty()) {
    return "[]";
  }
  std::string fields;
  for (const auto& label : labels) {
    fields += (fields.empty() ? "" : ", ") + json_string(label);
  }
  return R"([{"changed": {"fields": [)" + fields + "]}}]";
}

std::string json_string(std::string_view text) {
  std::string quoted = "\"";
  for (std::size_t index = 0; index < text.size();) {
    quoted += escape_code_point(next_code_point(text, index));
  }
  return quoted + "\"";
}

std::int64_t content_type_id(db::Connection& connection, std::string_view app_label, std::string_view model) {
  const auto find = [&] {
    return connection.query("SELECT id FROM django_content_type WHERE app_label = ? AND model = ?",
                            {std::string(app_label), std::string(model)});
  };
  auto found = find();
  if (found.empty()) {
    connection.execute("INSERT INTO django_content_type (app_label, model) VALUES (?, ?)",
                       {std::string(app_label), std::string(model)});
    found = find();
  }
  return found.rows.at(0).integer(0);
}

void write_log(db::Connection& connection, const LogRecord& record) {
  std::string repr = record.object_repr;
  std::size_t characters = 0;
  for (std::size_t index = 0; index < repr.size(); ++index) {
    if ((static_cast<unsigned char>(repr[index]) & 0xC0U) != 0x80U && ++characters > 200) {
      repr.resize(index);
      break;
    }
  }
  connection.execute(
      "INSERT INTO django_admin_log (action_time, object_id, object_repr, change_message, content_type_id, user_id, "
      "action_flag) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {utc_now(), std::to_string(record.object_id), repr, record.change_message,
       content_type_id(connection, record.admin->app_label(), record.admin->model_name()), record.user_id,
       static_cast<std::int64_t>(record.flag)});
}

std::vector<LogEntry> object_history(db::Connection& connection, const ModelAdmin& admin, std::int64_t object_id) {
  return read_entries(connection, "WHERE c.app_label = ? AND c.model = ? AND l.object_id = ?",
                      {admin.app_label(), admin.model_name(), std::to_string(object_id)},
                      " ORDER BY l.action_time, l.id");
}

std::vector<LogEntry> recent_actions(db::Connection& connection, std::int64_t user_id, std::int64_t limit) {
  return read_entries(connection, "WHERE l.user_id = ?", {user_id},
                      " ORDER BY l.action_time DESC, l.id DESC LIMIT " + std::to_string(limit));
}

std::string describe_change(const LogEntry& entry) {
  const auto& message = entry.change_message;
  if (!message.starts_with('[')) {
    return message.empty() && entry.flag == ActionFlag::deletion ? "Deleted." : message;
  }
  boost::system::error_code error;
  const auto parsed = boost::json::parse(message, error);
  if (error || !parsed.is_array()) {
    return message;
  }
  std::string text;
  for (const auto& part : parsed.as_array()) {
    if (part.is_object()) {
      const auto sentence = describe_part(part.as_object());
      text += (text.empty() || sentence.empty() ? "" : " ") + sentence;
    }
  }
  return text.empty() ? "No fields changed." : text;
}

std::string text_list(const std::vector<std::string>& items, std::string_view last_word) {
  std::string text;
  for (std::size_t index = 0; index < items.size(); ++index) {
    if (index > 0) {
      text += index + 1 == items.size() ? " " + std::string(last_word) + " " : ", ";
    }
    text += items[index];
  }
  return text;
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  std::array<char, 32> buffer{};
  std::strftime(buffer.data(), buffer.size(), "%Y-%m-%d %H:%M:%S", &parts);
  return std::string(buffer.data()) + "." + std::to_string(1000000 + micros).substr(1);
}

}  // namespace ocl::admin
