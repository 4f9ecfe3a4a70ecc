/// /static/: content types, validators, compression and confinement to the static folder.

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "server_process.hpp"

namespace ocl::integration {
namespace {

using boost::beast::http::field;

/// Inflates a gzip stream; empty when the data is not valid gzip.
std::string gunzip(const std::string& data) {
  z_stream stream{};
  constexpr int gzip_window_bits = 15 + 16;
  if (inflateInit2(&stream, gzip_window_bits) != Z_OK) {
    return {};
  }
  std::string output;
  std::string chunk(64 * 1024, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));  // NOLINT: zlib's C API
  stream.avail_in = static_cast<uInt>(data.size());
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk.data());  // NOLINT: zlib takes bytes
    stream.avail_out = static_cast<uInt>(chunk.size());
    result = inflate(&stream, Z_NO_FLUSH);
    output.append(chunk.data(), chunk.size() - stream.avail_out);
  }
  inflateEnd(&stream);
  return result == Z_STREAM_END ? output : std::string{};
}

struct StaticCase {
  std::string path;  ///< under static/
  std::string content_type;
};

const std::vector<StaticCase> files{
    {"css/site.css", "text/css; charset=utf-8"},
    {"img/logo.svg", "image/svg+xml"},
    {"vendor/bootstrap/bootstrap.bundle.min.js", "application/javascript; charset=utf-8"},
    {"vendor/bootstrap-icons/fonts/bootstrap-icons.woff2", "font/woff2"},
    {"vendor/bootstrap-icons/fonts/bootstrap-icons.woff", "font/woff"},
};

class StaticFiles : public testing::Test {
 protected:
  static void SetUpTestSuite() { server = std::make_unique<ServerProcess>(); }
  static void TearDownTestSuite() { server.reset(); }

  static std::string on_disk(const std::string& path) { return read_file(source_path("static") / path); }

  static inline std::unique_ptr<ServerProcess> server;
};

TEST_F(StaticFiles, ServesEachKindWithItsContentTypeAndExactBytes) {
  for (const auto& file : files) {
    const auto response = server->get("/static/" + file.path);
    ASSERT_EQ(response.result_int(), 200U) << file.path;
    EXPECT_EQ(header(response, field::content_type), file.content_type) << file.path;
    EXPECT_TRUE(header(response, field::content_encoding).empty()) << file.path;
    EXPECT_EQ(response.body(), on_disk(file.path)) << file.path;
  }
}

TEST_F(StaticFiles, CarriesAStrongETagAndCacheControl) {
  for (const auto& file : files) {
    const auto response = server->get("/static/" + file.path);
    const auto etag = header(response, field::etag);
    EXPECT_TRUE(etag.size() > 2 && etag.front() == '"' && etag.back() == '"') << file.path << ": " << etag;
    EXPECT_NE(header(response, field::cache_control).find("max-age="), std::string::npos) << file.path;
  }
}

TEST_F(StaticFiles, DifferentFilesHaveDifferentETags) {
  const auto css = header(server->get("/static/css/site.css"), field::etag);
  const auto svg = header(server->get("/static/img/logo.svg"), field::etag);
  EXPECT_NE(css, svg);
  EXPECT_EQ(css, header(server->get("/static/css/site.css"), field::etag)) << "stable across requests";
}

TEST_F(StaticFiles, MatchingIfNoneMatchAnswers304WithoutBody) {
  for (const auto& file : files) {
    const auto etag = header(server->get("/static/" + file.path), field::etag);
    for (const auto& condition : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
      const auto response = server->get("/static/" + file.path, {{"If-None-Match", condition}});
      EXPECT_EQ(response.result_int(), 304U) << file.path << " " << condition;
      EXPECT_TRUE(response.body().empty()) << file.path;
      EXPECT_EQ(header(response, field::etag), etag) << file.path;
    }
  }
}

TEST_F(StaticFiles, StaleIfNoneMatchAnswersTheFile) {
  const auto response = server->get("/static/css/site.css", {{"If-None-Match", "\"0123456789abcdef\""}});
  EXPECT_EQ(response.result_int(), 200U);
  EXPECT_EQ(response.body(), on_disk("css/site.css"));
}

TEST_F(StaticFiles, TextAssetsAreGzippedOnRequest) {
  for (const std::string path : {"css/site.css", "vendor/bootstrap/bootstrap.bundle.min.js", "img/hero.svg"}) {
    const auto response = server->get("/static/" + path, {{"Accept-Encoding", "gzip, deflate, br"}});
    ASSERT_EQ(response.result_int(), 200U) << path;
    EXPECT_EQ(header(response, field::content_encoding), "gzip") << path;
    EXPECT_EQ(header(response, field::vary), "Accept-Encoding") << path;
    EXPECT_LT(response.body().size(), on_disk(path).size()) << path;
    EXPECT_EQ(gunzip(response.body()), on_disk(path)) << path;
  }
}

TEST_F(StaticFiles, CompressibleFilesVaryOnAcceptEncodingEvenUncompressed) {
  const auto response = server->get("/static/css/site.css");
  EXPECT_EQ(header(response, field::vary), "Accept-Encoding");
  EXPECT_TRUE(header(response, field::content_encoding).empty());
}

TEST_F(StaticFiles, GzipAndIdentityHaveDistinctETags) {
  const auto plain = server->get("/static/css/site.css");
  const auto gzipped = server->get("/static/css/site.css", {{"Accept-Encoding", "gzip"}});
  EXPECT_NE(header(plain, field::etag), header(gzipped, field::etag));
  const auto revalidated = server->get("/static/css/site.css",
                                       {{"Accept-Encoding", "gzip"}, {"If-None-Match", header(gzipped, field::etag)}});
  EXPECT_EQ(revalidated.result_int(), 304U);
}

TEST_F(StaticFiles, RefusedGzipGetsIdentity) {
  for (const std::string accept : {"gzip;q=0", "identity", "br", "gzip;q=0.000"}) {
    const auto response = server->get("/static/css/site.css", {{"Accept-Encoding", accept}});
    EXPECT_TRUE(header(response, field::content_encoding).empty()) << accept;
    EXPECT_EQ(response.body(), on_disk("css/site.css")) << accept;
  }
}

TEST_F(StaticFiles, FontsAreNotRecompressed) {
  const auto path = "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2";
  const auto response = server->get(std::string("/static/") + path, {{"Accept-Encoding", "gzip"}});
  EXPECT_TRUE(header(response, field::content_encoding).empty());
  EXPECT_EQ(response.body(), on_disk(path));
}

TEST_F(StaticFiles, HeadGivesTheLengthWithoutTheBody) {
  const auto response = server->head("/static/vendor/bootstrap/bootstrap.min.css");
  EXPECT_EQ(response.result_int(), 200U);
  EXPECT_EQ(header(response, field::content_length),
            std::to_string(on_disk("vendor/bootstrap/bootstrap.min.css").size()));
  EXPECT_TRUE(response.body().empty());
}

TEST_F(StaticFiles, MissingFilesAnswer404) {
  for (const std::string target : {"/static/css/missing.css", "/static/css", "/static/img/", "/static/nope/x.js"}) {
    const auto response = server->get(target);
    EXPECT_EQ(response.result_int(), 404U) << target;
    EXPECT_EQ(header(response, field::content_type), "text/html; charset=utf-8") << target;
  }
}

TEST_F(StaticFiles, TraversalNeverLeavesTheStaticFolder) {
  for (const std::string target :
       {"/static/../CMakeLists.txt", "/static/%2e%2e/CMakeLists.txt", "/static/css/../../README.md",
        "/static/%2E%2E/%2E%2E/CMakeLists.txt", "/static/..%2fCMakeLists.txt", "/static/css/..%2f..%2fCMakeLists.txt",
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
        "/static/css/%2e%2e/%2e%2e/src/main.cpp", "/static/..\\CMakeLists.txt", "/static/css/site.css%00.txt"}) {
    const auto response = server->get(target);
    EXPECT_EQ(response.result_int(), 404U) << target;
    for (const auto* secret : {"cmake_minimum_required", "root:x:", "int main(", "OC Lettings\n==="}) {
      EXPECT_EQ(response.body().find(secret), std::string::npos) << target;
    }
  }
}

TEST_F(StaticFiles, AGzipFormBesideItsFileIsNotAFileOfItsOwn) {
  // The build writes css/site.css.gz (compressstatic); it is site.css's gzip form, not a URL.
  ASSERT_TRUE(std::filesystem::is_regular_file(source_path("static") / "css/site.css.gz"));
  EXPECT_EQ(server->get("/static/css/site.css.gz").result_int(), 404U);
}

TEST(CompressStatic, WritesEachGzipFormOnceAndSaysWhat) {
  const TempDir folder;
  const auto root = folder.path() / "static";
  std::filesystem::create_directories(root / "css");
  const std::string css(5000, 'p');
  std::ofstream{root / "css/page.css", std::ios::binary} << css;
  std::ofstream{root / "tiny.txt", std::ios::binary} << "t";
  auto environment = base_environment(folder.file("unused.sqlite3"));
  environment["STATIC_ROOT"] = root.string();

  const auto first = run_cli({"compressstatic"}, environment, folder.path());
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("1 file(s) compressed, 0 already up to date"), std::string::npos) << first.out;
  EXPECT_EQ(gunzip(read_file(root / "css/page.css.gz")), css);
  EXPECT_FALSE(std::filesystem::exists(root / "tiny.txt.gz")) << "gzip would make it larger";

  const auto again = run_cli({"compressstatic"}, environment, folder.path());
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("0 file(s) compressed, 1 already up to date"), std::string::npos) << again.out;

  environment["STATIC_ROOT"] = (folder.path() / "missing").string();
  const auto missing = run_cli({"compressstatic"}, environment, folder.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("not found"), std::string::npos) << missing.err;
  const auto extra = run_cli({"compressstatic", "--force"}, environment, folder.path());
  EXPECT_EQ(extra.exit_code, 2) << extra.err;
}

TEST_F(StaticFiles, StaticAnswersCarryTheSecurityHeaders) {
  const auto response = server->get("/static/img/logo.svg");
  EXPECT_EQ(header(response, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(response, "X-Frame-Options"), "DENY");
}

}  // namespace
}  // namespace ocl::integration
