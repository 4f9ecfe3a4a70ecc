#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace ocl::http {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root = std::filesystem::temp_directory_path() /
           ("ocl-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(root / "css");
    std::filesystem::create_directories(root / ".hidden");
    write("css/site.css", std::string(4000, 'a'));
    write("img/logo.svg", "<svg/>");
    write("font.woff2", "binary");
    write(".hidden/secret.txt", "no");
  }
  void TearDown() override { std::filesystem::remove_all(root); }

  void write(const std::string& relative, const std::string& content) {
    std::filesystem::create_directories((root / relative).parent_path());
    std::ofstream{root / relative, std::ios::binary} << content;
  }

  std::filesystem::path root;
};

TEST_F(StaticFilesTest, LoadsVisibleFilesOnly) {
  const StaticFiles files{root};
  EXPECT_EQ(files.size(), 3U);
  EXPECT_NE(files.find("css/site.css"), nullptr);
  EXPECT_EQ(files.find(".hidden/secret.txt"), nullptr);
  EXPECT_EQ(files.find("../outside"), nullptr);
  EXPECT_EQ(files.find("css/../css/site.css"), nullptr);
}

TEST_F(StaticFilesTest, ServesWithTypeEtagAndCacheControl) {
  const StaticFiles files{root};
  const Request request{Method::get, "/static/css/site.css", 11};
  const auto answer = files.respond(request, *files.find("css/site.css"));
  const auto& response = answer.response;
  EXPECT_EQ(response.result(), Status::ok);
  EXPECT_EQ(response[HeaderField::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(response[HeaderField::cache_control], "public, max-age=86400");
  EXPECT_EQ(response[HeaderField::vary], "Accept-Encoding");
  EXPECT_EQ(answer.body().size(), 4000U);
  EXPECT_EQ(response[HeaderField::content_length], "4000");
  EXPECT_TRUE(response.body().empty()) << "the body is the loaded file's, shared, not a copy";
  const auto etag = std::string(response[HeaderField::etag]);
  EXPECT_EQ(etag.size(), 34U);
  EXPECT_EQ(etag.front(), '"');
}

TEST_F(StaticFilesTest, CompressesForClientsThatAcceptGzip) {
  const StaticFiles files{root};
  Request request{Method::get, "/static/css/site.css", 11};
  request.set(HeaderField::accept_encoding, "br, gzip;q=0.8");
  const auto answer = files.respond(request, *files.find("css/site.css"));
  const auto& response = answer.response;
  EXPECT_EQ(response[HeaderField::content_encoding], "gzip");
  EXPECT_LT(answer.body().size(), 100U);
  EXPECT_EQ(response[HeaderField::content_length], std::to_string(answer.body().size()));
  EXPECT_TRUE(std::string(response[HeaderField::etag]).ends_with("-gz\""));
}

TEST_F(StaticFilesTest, AnswersNotModifiedForAMatchingEtag) {
  const StaticFiles files{root};
  const auto& file = *files.find("img/logo.svg");
  Request request{Method::get, "/static/img/logo.svg", 11};
  request.set(HeaderField::if_none_match, "\"other\", " + file.etag);
  const auto answer = files.respond(request, file);
  const auto& response = answer.response;
  EXPECT_EQ(response.result(), Status::not_modified);
  EXPECT_TRUE(answer.body().empty());
}

TEST_F(StaticFilesTest, MissingRootServesNothing) {
  const StaticFiles files{root / "does-not-exist"};
  EXPECT_EQ(files.size(), 0U);
}

TEST_F(StaticFilesTest, PrecompressWritesTheGzipFormsThatHelpOnce) {
  const auto first = precompress_static_files(root);
  EXPECT_EQ(first.written, 1U) << "site.css; logo.svg is too small to gain, font.woff2 is not compressible";
  EXPECT_TRUE(std::filesystem::is_regular_file(root / "css/site.css.gz"));
  EXPECT_FALSE(std::filesystem::exists(root / "img/logo.svg.gz"));
  EXPECT_FALSE(std::filesystem::exists(root / "font.woff2.gz"));
  const auto second = precompress_static_files(root);
  EXPECT_EQ(second.written, 0U);
  EXPECT_EQ(second.up_to_date, 1U);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
  }
}

TEST_F(StaticFilesTest, LoadingUsesTheGzipFormBesideAFile) {
  // A gzip form of the same bytes that start-up would not make itself (another header time).
  auto precompressed = gzip_compress(std::string(4000, 'a'));
  precompressed[4] = '\x2a';
  write("css/site.css.gz", precompressed);
  write("archive.gz", "a file of its own");
  const StaticFiles files{root};
  EXPECT_EQ(files.size(), 4U) << "site.css.gz is site.css's gzip form, archive.gz is a file";
  EXPECT_EQ(files.find("css/site.css.gz"), nullptr);
  ASSERT_NE(files.find("archive.gz"), nullptr);
  EXPECT_EQ(files.find("css/site.css")->gzipped, precompressed);
}

TEST_F(StaticFilesTest, AStaleGzipFormIsCompressedAgain) {
  precompress_static_files(root);
  std::ifstream stale_file{root / "css/site.css.gz", std::ios::binary};
  const std::string stale{std::istreambuf_iterator<char>(stale_file), std::istreambuf_iterator<char>()};
  write("css/site.css", std::string(4000, 'b'));
  const StaticFiles files{root};
  const auto& gzipped = files.find("css/site.css")->gzipped;
  EXPECT_NE(gzipped, stale);
  EXPECT_TRUE(gzip_trailer_matches(gzipped, std::string(4000, 'b')));
  EXPECT_EQ(precompress_static_files(root).written, 1U);
}

TEST(ContentType, ByExtension) {
  EXPECT_EQ(content_type_for("a.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("a.js"), "application/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a.unknown"), "application/octet-stream");
}

TEST(AcceptEncoding, HonoursQualityZero) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, gzip"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("gzip;q=0.5"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
  EXPECT_FALSE(accepts_gzip("br"));
  EXPECT_FALSE(accepts_gzip(""));
}

TEST(IfNoneMatch, ComparesWeaklyAndAcceptsStar) {
  EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("\"x\" , \"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("*", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(etag_matches("", "\"abc\""));
}

TEST(Gzip, ProducesAGzipStream) {
  const auto compressed = gzip_compress(std::string(1000, 'x'));
  ASSERT_GE(compressed.size(), 10U);
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1fU);
  EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8bU);
}

TEST(Gzip, TrailerNamesTheContentsChecksumAndSize) {
  const std::string content(1000, 'x');
  const auto compressed = gzip_compress(content);
  EXPECT_TRUE(gzip_trailer_matches(compressed, content));
  EXPECT_FALSE(gzip_trailer_matches(compressed, std::string(1000, 'y')));
  EXPECT_FALSE(gzip_trailer_matches(compressed, std::string(999, 'x')));
  EXPECT_FALSE(gzip_trailer_matches(compressed.substr(0, compressed.size() - 1), content));
  EXPECT_FALSE(gzip_trailer_matches("", ""));
  EXPECT_FALSE(gzip_trailer_matches("not gzip at all, but long enough", content));
}

}  // namespace
}  // namespace ocl::http
