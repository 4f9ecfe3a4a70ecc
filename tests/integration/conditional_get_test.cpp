/// Revalidation of the public pages: a browser that kept a page gets 304 while it is unchanged,
/// and the page itself as soon as the admin changed what it shows.

#include <string>

#include <gtest/gtest.h>

#include "admin_session.hpp"
#include "server_process.hpp"

namespace ocl::integration {
namespace {

using boost::beast::http::field;

TEST(ConditionalGet, PublicPagesAnswer304UntilTheAdminChangesThem) {
  const ServerProcess server{{.seed = Seed::shared_copy}};
  for (const std::string target : {"/", "/lettings/", "/lettings/1/", "/profiles/", "/profiles/AirWow/"}) {
    const auto first = server.get(target);
    const auto etag = header(first, field::etag);
    ASSERT_TRUE(etag.starts_with("W/\"")) << target << " " << etag;
    const auto again = server.get(target, {{"If-None-Match", etag}});
    EXPECT_EQ(again.result_int(), 304U) << target;
    EXPECT_TRUE(again.body().empty()) << target;
    EXPECT_EQ(header(again, field::etag), etag) << target;
  }

  const auto before = header(server.get("/lettings/"), field::etag);
  AdminSession admin{server, "admin", "Abc1234!"};
  ASSERT_TRUE(admin.logged_in());
  const auto address = query_text(server.database_url(), "SELECT address_id FROM lettings_letting WHERE id = 1");
  const auto saved = admin.post("/admin/lettings/letting/1/change/",
                                {{"title", "Renamed by the admin"}, {"address", address}, {"_save", "Save"}});
  ASSERT_EQ(saved.result_int(), 302U) << saved.body().substr(0, 400);

  const auto after = server.get("/lettings/", {{"If-None-Match", before}});
  EXPECT_EQ(after.result_int(), 200U);
  EXPECT_NE(after.body().find("Renamed by the admin"), std::string::npos);
  EXPECT_NE(header(after, field::etag), before);
}

TEST(ConditionalGet, AdminPagesAreNeverTagged) {
  const ServerProcess server{{.seed = Seed::shared_copy}};
  AdminSession admin{server, "admin", "Abc1234!"};
  ASSERT_TRUE(admin.logged_in());
  const auto page = admin.get("/admin/lettings/letting/");
  EXPECT_EQ(page.result_int(), 200U);
  EXPECT_EQ(header(page, field::etag), "");
}

}  // namespace
}  // namespace ocl::integration
