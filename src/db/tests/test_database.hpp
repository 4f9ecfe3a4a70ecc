#pragma once
/// @file
/// @brief Temporary SQLite files for the database tests, including copies of the shared Django database.

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include <unistd.h>

#include "db/sqlite_connection.hpp"

namespace ocl::db::testing {

/// @brief A fresh directory under the system temp directory, removed with everything in it on destruction.
class TempDirectory {
 public:
  TempDirectory() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("ocl-db-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  /// @brief A path inside the directory.
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// @brief Copies the shared Django database (never opened in place) into `directory`; returns the copy's path.
inline std::string copy_django_database(const TempDirectory& directory, const std::string& name = "django.sqlite3") {
  const auto target = directory.file(name);
  std::filesystem::copy_file(OCL_DJANGO_DATABASE, target, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::permissions(target, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  return target;
}

/// @brief Every row of a query as one string per row, for whole-table comparisons.
inline std::vector<std::string> rows_as_text(Connection& connection, std::string_view sql) {
  std::vector<std::string> lines;
  for (const auto& row : connection.query(sql).rows) {
    std::string line;
    for (const auto& value : row.values()) {
      if (const auto* number = std::get_if<std::int64_t>(&value)) {
        line += std::to_string(*number);
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        line += *text;
      } else if (std::holds_alternative<Null>(value)) {
        line += "NULL";
      }
      line += '|';
    }
    lines.push_back(line);
  }
  return lines;
}

/// @brief The number of rows in a table.
inline std::int64_t count_rows(Connection& connection, const std::string& table) {
  return connection.query("SELECT COUNT(*) FROM \"" + table + "\"").rows.at(0).integer(0);
}

}  // namespace ocl::db::testing
