#pragma once
/// @file
/// @brief django_admin_log: the entries every admin add, change and delete writes, with
/// change_message JSON exactly as Django writes it, and their human-readable form.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "admin/model_admin.hpp"
#include "db/connection.hpp"

namespace ocl::admin {

/// @brief LogEntry.action_flag values.
enum class ActionFlag : std::int64_t { addition = 1, change = 2, deletion = 3 };

/// @brief `[{"added": {}}]`.
std::string added_message();
/// @brief `[{"changed": {"fields": ["Title"]}}]`, or `[]` when nothing changed.
std::string changed_message(const std::vector<std::string>& labels);
/// @brief A JSON string literal as Python's json.dumps writes it (non-ASCII as \\uXXXX).
std::string json_string(std::string_view text);

/// @brief The django_content_type id of a model, created when missing.
std::int64_t content_type_id(db::Connection& connection, std::string_view app_label, std::string_view model);

/// @brief What to record about one admin action.
struct LogRecord {
  std::int64_t user_id = 0;
  const ModelAdmin* admin = nullptr;
  std::int64_t object_id = 0;
  std::string object_repr;
  ActionFlag flag = ActionFlag::addition;
  std::string change_message;
};

/// @brief Inserts a django_admin_log row dated now (UTC); object_repr is cut to 200 characters.
void write_log(db::Connection& connection, const LogRecord& record);

/// @brief One django_admin_log row as the history and "Recent actions" show it.
struct LogEntry {
  std::string action_time;  ///< "YYYY-MM-DD HH:MM:SS"
  std::string username;
  std::string object_id;
  std::string object_repr;
  ActionFlag flag = ActionFlag::addition;
  std::string change_message;  ///< raw JSON (or legacy text)
  std::string app_label;
  std::string model;
};

/// @brief The object's entries, oldest first (Django's history page).
std::vector<LogEntry> object_history(db::Connection& connection, const ModelAdmin& admin, std::int64_t object_id);

/// @brief The user's latest entries, newest first (the index page's "Recent actions").
std::vector<LogEntry> recent_actions(db::Connection& connection, std::int64_t user_id, std::int64_t limit = 10);

/// @brief LogEntry.get_change_message(): "Added.", "Changed Title and Address.", "Deleted.", "No fields changed.".
std::string describe_change(const LogEntry& entry);

/// @brief Django's get_text_list: "a, b and c".
std::string text_list(const std::vector<std::string>& items, std::string_view last_word = "and");

/// @brief The current UTC time as Django stores it in SQLite: "YYYY-MM-DD HH:MM:SS.ffffff".
std::string utc_now();

}  // namespace ocl::admin
