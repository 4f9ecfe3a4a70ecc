#pragma once
/// @file
/// @brief Serves the files under STATIC_ROOT from memory, with ETags, 304s and gzip.

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.hpp"

namespace ocl::http {

/// @brief One static file, loaded once at start-up.
struct StaticFile {
  std::string content;
  std::string gzipped;  ///< empty when compression would not help
  std::string content_type;
  std::string etag;  ///< strong validator: a hash of the content, quoted
};

/// @brief An immutable in-memory copy of a static folder; safe to share between threads.
class StaticFiles {
 public:
  /// @brief Loads every regular file below `root` (hidden files skipped). A missing root loads nothing.
  explicit StaticFiles(const std::filesystem::path& root);

  /// @brief The file at `relative_path` ("css/site.css"), or nullptr. Paths never leave the root:
  /// only files found at start-up can be named.
  [[nodiscard]] const StaticFile* find(std::string_view relative_path) const;
  /// @brief The answer for a file: 200 (gzip when accepted) or 304 when If-None-Match matches. A 200's body
  /// is shared with this object, which must outlive the answer.
  [[nodiscard]] Answer respond(const Request& request, const StaticFile& file) const;
  [[nodiscard]] std::size_t size() const { return files_.size(); }

 private:
  std::unordered_map<std::string, StaticFile> files_;
};

/// @brief The MIME type for a file name, by extension.
std::string_view content_type_for(std::string_view filename);

/// @brief True when an Accept-Encoding header accepts gzip.
bool accepts_gzip(std::string_view accept_encoding);

/// @brief True when an If-None-Match header matches `etag` (weak comparison, as RFC 9110 asks for GET).
bool etag_matches(std::string_view if_none_match, std::string_view etag);

/// @brief gzip-compresses `data` at the best level.
std::string gzip_compress(std::string_view data);

}  // namespace ocl::http
