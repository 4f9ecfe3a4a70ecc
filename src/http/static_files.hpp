#pragma once
/// @file
/// @brief Serves the files under STATIC_ROOT from memory, with ETags, 304s and gzip.

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/message.hpp"

namespace ocl::http {

/// @brief One static file, loaded once at start-up (its gzip form from `NAME.gz` beside it when that is
/// up to date, see precompress_static_files).
struct StaticFile {
  std::string content;
  std::string gzipped;  ///< empty when compression would not help
  std::string content_type;
  std::string etag;  ///< strong validator: a hash of the content, quoted
};

/// @brief An immutable in-memory copy of a static folder; safe to share between threads.
class StaticFiles {
 public:
  /// @brief Loads every regular file below `root` (hidden files skipped; `NAME.gz` beside `NAME` is that
  /// file's gzip form, not a file of its own). A missing root loads nothing.
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

/// @brief True when `gzipped` ends with the gzip trailer of `content` (its CRC-32 and size).
bool gzip_trailer_matches(std::string_view gzipped, std::string_view content);

/// @brief What precompress_static_files did.
struct PrecompressReport {
  std::size_t written = 0;     ///< `NAME.gz` files written
  std::size_t up_to_date = 0;  ///< `NAME.gz` files already matching their file
};

/// @brief Writes `NAME.gz` beside every file below `root` that StaticFiles would compress, so that
/// start-up reads the compressed forms instead of compressing at the best level (most of its time).
/// Files already up to date are left alone; each new one replaces the old atomically.
PrecompressReport precompress_static_files(const std::filesystem::path& root);

}  // namespace ocl::http
