#include "admin/change_list.hpp"

#include <gtest/gtest.h>

#include "admin/tests/admin_test_support.hpp"
#include "http/errors.hpp"

namespace ocl::admin {
namespace {

class ChangeListTest : public testing::SharedDatabaseTest {
 protected:
  ChangeListPage list(std::string_view model, const http::QueryParams& query) {
    const auto* admin = find_admin(model);
    const auto params = parse_list_params(*admin, query);
    EXPECT_TRUE(params.has_value());
    return load_change_list(connection, *admin, params.value_or(ListParams{}));
  }

  static std::vector<std::string> column(const ChangeListPage& page, std::size_t index) {
    std::vector<std::string> values;
    for (const auto& row : page.rows) {
      const auto& cell = row.cells.at(index);
      values.push_back(std::holds_alternative<std::string>(cell) ? std::get<std::string>(cell)
                                                                 : std::to_string(std::get<std::int64_t>(cell)));
    }
    return values;
  }
};

TEST_F(ChangeListTest, ListsNewestFirstByDefault) {
  const auto page = list("lettings.letting", {});
  ASSERT_EQ(page.rows.size(), 6U);
  EXPECT_EQ(page.full_count, 6);
  EXPECT_EQ(page.result_count, 6);
  EXPECT_GT(page.rows.front().pk, page.rows.back().pk);
}

TEST_F(ChangeListTest, RelationColumnsShowTheRelatedObject) {
  const auto page = list("lettings.letting", {{"o", "1"}});
  const auto title = connection.query("SELECT title FROM lettings_letting ORDER BY title LIMIT 1").rows.at(0).text(0);
  EXPECT_EQ(column(page, 0).front(), title);
  const auto expected = connection.query(
      "SELECT a.number || ' ' || a.street FROM lettings_letting l JOIN lettings_address a ON a.id = l.address_id "
      "ORDER BY l.title LIMIT 1");
  EXPECT_EQ(column(page, 1).front(), expected.rows.at(0).text(0));
}

TEST_F(ChangeListTest, SearchIsCaseInsensitiveAcrossFields) {
  const auto city = connection.query("SELECT city FROM lettings_address WHERE id = 1").rows.at(0).text(0);
  std::string upper = city;
  for (auto& character : upper) {
    character = static_cast<char>(std::toupper(static_cast<unsigned char>(character)));
  }
  const auto page = list("lettings.address", {{"q", upper}});
  EXPECT_GE(page.result_count, 1);
  EXPECT_EQ(page.full_count, 6);
}

TEST_F(ChangeListTest, SearchWildcardsAreLiteral) {
  EXPECT_EQ(list("lettings.address", {{"q", "%"}}).result_count, 0);
  EXPECT_EQ(list("lettings.address", {{"q", "_"}}).result_count, 0);
  connection.execute("UPDATE lettings_address SET street = '100%_Road' WHERE id = 1");
  EXPECT_EQ(list("lettings.address", {{"q", "0%_r"}}).result_count, 1);
}

TEST_F(ChangeListTest, SearchFollowsRelations) {
  const auto page = list("profiles.profile", {{"q", "airwow"}});
  ASSERT_EQ(page.result_count, 1);
  EXPECT_EQ(column(page, 0).front(), "AirWow");
}

TEST_F(ChangeListTest, EveryTermMustMatch) {
  EXPECT_EQ(list("auth.user", {{"q", "airwow nothing-like-this"}}).result_count, 0);
}

TEST_F(ChangeListTest, UserFilters) {
  const auto staff = list("auth.user", {{"is_staff__exact", "1"}});
  EXPECT_EQ(staff.result_count, 2);
  EXPECT_EQ(list("auth.user", {{"is_superuser__exact", "0"}}).result_count, 4);
  EXPECT_EQ(list("auth.user", {{"is_staff__exact", "1"}, {"q", "admin"}}).result_count, 1);
}

TEST_F(ChangeListTest, SortsByColumnBothWays) {
  const auto ascending = column(list("auth.user", {{"o", "1"}}), 0);
  auto descending = column(list("auth.user", {{"o", "-1"}}), 0);
  std::ranges::reverse(descending);
  EXPECT_EQ(ascending, descending);
  EXPECT_TRUE(std::ranges::is_sorted(ascending));
}

TEST_F(ChangeListTest, PaginatesByOneHundred) {
  for (int index = 0; index < 150; ++index) {
    connection.execute(
        "INSERT INTO lettings_address (number, street, city, state, zip_code, country_iso_code) "
        "VALUES (?, 'Pager Street', 'Pageville', 'CA', 1, 'USA')",
        {std::int64_t{index}});
  }
  const auto first = list("lettings.address", {});
  EXPECT_EQ(first.rows.size(), 100U);
  EXPECT_EQ(first.page_count, 2);
  const auto second = list("lettings.address", {{"p", "2"}});
  EXPECT_EQ(second.rows.size(), 56U);
  EXPECT_THROW(list("lettings.address", {{"p", "3"}}), http::NotFound);
}

TEST_F(ChangeListTest, MalformedParametersAreRejected) {
  const auto& admin = *find_admin("lettings.address");
  EXPECT_FALSE(parse_list_params(admin, {{"o", "9"}}));
  EXPECT_FALSE(parse_list_params(admin, {{"o", "x"}}));
  EXPECT_FALSE(parse_list_params(admin, {{"p", "0"}}));
  EXPECT_FALSE(parse_list_params(admin, {{"city", "x"}}));
  EXPECT_FALSE(parse_list_params(*find_admin("auth.user"), {{"is_staff__exact", "2"}}));
  const auto params = parse_list_params(admin, {{"o", "2.-1"}, {"q", "a b"}});
  ASSERT_TRUE(params);
  EXPECT_EQ(params->sort, (std::vector<SortKey>{{1, true}, {0, false}}));
  EXPECT_EQ(list_query_string(*params), "o=2.-1&q=a%20b");
}

TEST(SearchTermsTest, SplitsOnSpacesAndKeepsQuotedPhrases) {
  EXPECT_EQ(search_terms(R"(  one "two three"  four )"), (std::vector<std::string>{"one", "two three", "four"}));
  EXPECT_EQ(like_pattern(R"(50%_\)"), R"(%50\%\_\\%)");
}

TEST(ParseInteger, AcceptsOnlyAWholeDecimalNumber) {
  EXPECT_EQ(parse_integer("42"), 42);
  EXPECT_EQ(parse_integer("-7"), -7);
  for (const std::string_view text : {"", "1 AND 5=6", "12abc", " 3", "3 ", "0x10", "99999999999999999999"}) {
    EXPECT_EQ(parse_integer(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace ocl::admin
