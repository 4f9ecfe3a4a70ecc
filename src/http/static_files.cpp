#include "http/static_files.hpp"

#include <array>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <zlib.h>

namespace ocl::http {
namespace {

constexpr std::string_view cache_control = "public, max-age=86400";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream file{path, std::ios::binary};
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

std::string content_hash(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int index = 0; index < 16 && index < length; ++index) {
    hex += fmt::format("{:02x}", digest.at(index));
  }
  return hex;
}

bool is_compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/javascript") ||
         content_type.starts_with("application/json") || content_type.starts_with("image/svg+xml");
}

bool is_hidden(const std::filesystem::path& relative) {
  for (const auto& part : relative) {
    if (part.string().starts_with('.')) {
      return true;
    }
  }
  return false;
}

std::filesystem::path gzip_path(const std::filesystem::path& path) {
  auto gzipped = path;
  gzipped += ".gz";
  return gzipped;
}

/// The gzip form written by precompress_static_files, if it is there and still matches `content`.
std::optional<std::string> read_precompressed(const std::filesystem::path& path, std::string_view content) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(gzip_path(path), error)) {
    return std::nullopt;
  }
  auto gzipped = read_file(gzip_path(path));
  if (!gzip_trailer_matches(gzipped, content)) {
    return std::nullopt;
  }
  return gzipped;
}

/// Calls `visit(path, relative)` for every static file below `root`: regular, not hidden, and not the
/// gzip form of another file.
template <typename Visit>
void for_each_static_file(const std::filesystem::path& root, Visit&& visit) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const auto relative = std::filesystem::relative(entry.path(), root);
    if (!entry.is_regular_file() || is_hidden(relative)) {
      continue;
    }
    if (entry.path().extension() == ".gz") {
      std::error_code error;
      auto original = entry.path();
      original.replace_extension();
      if (std::filesystem::is_regular_file(original, error)) {
        continue;
      }
    }
    visit(entry.path(), relative);
  }
}

}  // namespace

std::string_view content_type_for(std::string_view filename) {
  static const std::array<std::pair<std::string_view, std::string_view>, 17> types{{
      {".css", "text/css; charset=utf-8"},
      {".js", "application/javascript; charset=utf-8"},
      {".mjs", "application/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".html", "text/html; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/vnd.microsoft.icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const auto& [extension, type] : types) {
    if (filename.ends_with(extension)) {
      return type;
    }
  }
  return "application/octet-stream";
}

bool accepts_gzip(std::string_view accept_encoding) {
  std::size_t start = 0;
  while (start < accept_encoding.size()) {
    const auto comma = accept_encoding.find(',', start);
    auto item = accept_encoding.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? accept_encoding.size() : comma + 1;
    while (item.starts_with(' ')) item.remove_prefix(1);
    const auto semicolon = item.find(';');
    auto coding = item.substr(0, semicolon);
    while (coding.ends_with(' ')) coding.remove_suffix(1);
    if (coding != "gzip" && coding != "*") {
      continue;
    }
    const auto parameters = semicolon == std::string_view::npos ? std::string_view{} : item.substr(semicolon + 1);
    const auto q = parameters.find("q=");
    // "q=0", "q=0.0", "q=0.000" refuse the coding; any other weight accepts it.
    return q == std::string_view::npos || parameters.substr(q + 2).find_first_not_of("0. ") != std::string_view::npos;
  }
  return false;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.find('*') != std::string_view::npos) {
    return true;
  }
  std::size_t start = 0;
  while (start < if_none_match.size()) {
    const auto comma = if_none_match.find(',', start);
    auto candidate =
        if_none_match.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? if_none_match.size() : comma + 1;
    while (candidate.starts_with(' ')) candidate.remove_prefix(1);
    while (candidate.ends_with(' ')) candidate.remove_suffix(1);
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);
    if (candidate == etag) {
      return true;
    }
  }
  return false;
}

std::string gzip_compress(std::string_view data) {
  z_stream stream{};
  constexpr int gzip_window_bits = 15 + 16;  // 16 asks zlib for a gzip header
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string output(deflateBound(&stream, data.size()), '\0');
  stream.next_in =
      reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));  // NOLINT: zlib's C API is not const-correct
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(output.data());  // NOLINT: zlib takes bytes
  stream.avail_out = static_cast<uInt>(output.size());
  const int result = deflate(&stream, Z_FINISH);
  output.resize(stream.total_out);
  deflateEnd(&stream);
  return result == Z_STREAM_END ? output : std::string{};
}

bool gzip_trailer_matches(std::string_view gzipped, std::string_view content) {
  constexpr std::size_t trailer_size = 8;  // CRC-32, then the size modulo 2^32, both little-endian
  if (gzipped.size() < trailer_size + 10 || gzipped[0] != '\x1f' || gzipped[1] != '\x8b') {
    return false;
  }
  const auto little_endian = [&](std::size_t offset) {
    std::uint32_t value = 0;
    for (std::size_t index = 0; index < 4; ++index) {
      value |= std::uint32_t{static_cast<unsigned char>(gzipped[offset + index])} << (8 * index);
    }
    return value;
  };
  const auto trailer = gzipped.size() - trailer_size;
  const auto crc =
      crc32_z(0, reinterpret_cast<const Bytef*>(content.data()), content.size());  // NOLINT: zlib takes bytes
  return little_endian(trailer) == static_cast<std::uint32_t>(crc) &&
         little_endian(trailer + 4) == static_cast<std::uint32_t>(content.size());
}

StaticFiles::StaticFiles(const std::filesystem::path& root) {
  std::error_code error;
  if (!std::filesystem::is_directory(root, error)) {
    spdlog::warn("static folder {} not found: /static/ will answer 404", root.string());
    return;
  }
  std::size_t compressed_now = 0;
  for_each_static_file(root, [&](const std::filesystem::path& path, const std::filesystem::path& relative) {
    StaticFile file;
    file.content = read_file(path);
    file.content_type = std::string(content_type_for(path.filename().string()));
    file.etag = fmt::format("\"{}\"", content_hash(file.content));
    if (is_compressible(file.content_type)) {
      auto precompressed = read_precompressed(path, file.content);
      if (!precompressed) {
        precompressed = gzip_compress(file.content);
        ++compressed_now;
      }
      if (!precompressed->empty() && precompressed->size() < file.content.size()) {
        file.gzipped = std::move(*precompressed);
      }
    }
    files_.emplace(relative.generic_string(), std::move(file));
  });
  spdlog::debug("loaded {} static files from {} ({} compressed at start-up)", files_.size(), root.string(),
                compressed_now);
}

PrecompressReport precompress_static_files(const std::filesystem::path& root) {
  PrecompressReport report;
  std::error_code error;
  for_each_static_file(root, [&](const std::filesystem::path& path, const std::filesystem::path& /*relative*/) {
    if (!is_compressible(content_type_for(path.filename().string()))) {
      return;
    }
    const auto content = read_file(path);
    if (read_precompressed(path, content)) {
      ++report.up_to_date;
      return;
    }
    const auto compressed = gzip_compress(content);
    if (compressed.empty() || compressed.size() >= content.size()) {
      return;
    }
    // Written beside, then renamed: a server starting meanwhile reads the old form or the new one
    // (a hidden name, which loading skips; the process id keeps two builds writing at once apart).
    const auto temporary =
        path.parent_path() / fmt::format(".{}.gz.{}.tmp", path.filename().string(), static_cast<long>(getpid()));
    std::ofstream out{temporary, std::ios::binary | std::ios::trunc};
    out << compressed;
    out.close();
    if (!out) {
      std::filesystem::remove(temporary, error);
      throw std::runtime_error("cannot write " + temporary.string());
    }
    std::filesystem::rename(temporary, gzip_path(path));
    ++report.written;
  });
  return report;
}

const StaticFile* StaticFiles::find(std::string_view relative_path) const {
  const auto found = files_.find(std::string(relative_path));
  return found == files_.end() ? nullptr : &found->second;
}

Answer StaticFiles::respond(const Request& request, const StaticFile& file) const {
  const bool use_gzip = !file.gzipped.empty() && accepts_gzip(request[HeaderField::accept_encoding]);
  // Each representation has its own strong validator, as RFC 9110 requires.
  const auto etag =
      use_gzip ? fmt::format("{}-gz\"", std::string_view(file.etag).substr(0, file.etag.size() - 1)) : file.etag;
  Answer answer{Response{Status::ok, request.version()}, nullptr};
  auto& response = answer.response;
  response.set(HeaderField::etag, etag);
  response.set(HeaderField::cache_control, cache_control);
  if (!file.gzipped.empty()) {
    response.set(HeaderField::vary, "Accept-Encoding");
  }
  if (etag_matches(request[HeaderField::if_none_match], etag)) {
    response.result(Status::not_modified);
    return answer;
  }
  response.set(HeaderField::content_type, file.content_type);
  if (use_gzip) {
    response.set(HeaderField::content_encoding, "gzip");
  }
  const auto& body = use_gzip ? file.gzipped : file.content;
  // Not owning: the files live as long as this object, which outlives every answer.
  answer.shared_body = std::shared_ptr<const std::string>(std::shared_ptr<const void>{}, &body);
  response.content_length(body.size());
  return answer;
}

}  // namespace ocl::http
