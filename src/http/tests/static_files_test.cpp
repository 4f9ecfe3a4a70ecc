#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
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

}  // namespace
}  // namespace ocl::http
