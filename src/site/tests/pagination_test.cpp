#include "site/pagination.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ocl::site {
namespace {

TEST(PageNumber, AcceptsWhatPythonsIntAcceptsFromOne) {
  EXPECT_EQ(parse_page_number("1"), 1);
  EXPECT_EQ(parse_page_number("3"), 3);
  EXPECT_EQ(parse_page_number("007"), 7);
  EXPECT_EQ(parse_page_number("+2"), 2);
  EXPECT_EQ(parse_page_number(" 2\t"), 2);
  EXPECT_EQ(parse_page_number("1_0"), 10);
  EXPECT_EQ(parse_page_number("184467440737095516"), 184467440737095516);  // the last page OFFSET can reach
}

TEST(PageNumber, RejectsWhatDjangosPaginatorAnswersWith404) {
  for (const auto* text : {"",
                           " ",
                           "abc",
                           "0",
                           "-1",
                           "-0",
                           "00",
                           "1.0",
                           "1e3",
                           "2abc",
                           "0x10",
                           "+",
                           "-",
                           "1__0",
                           "_1",
                           "1_",
                           "½",
                           "1 2",
                           "last",
                           "18446744073709551616",
                           "9999999999999999999999999999",
                           "184467440737095517"}) {
    EXPECT_EQ(parse_page_number(text), std::nullopt) << '"' << text << '"';
  }
}

TEST(PageNumber, RequestedPageIsTheLastPageParameterOrOne) {
  EXPECT_EQ(requested_page({}), 1);
  EXPECT_EQ(requested_page({{"sort", "x"}}), 1);
  EXPECT_EQ(requested_page({{"page", "4"}}), 4);
  EXPECT_EQ(requested_page({{"page", "abc"}, {"page", "2"}}), 2);  // Django's QueryDict.get: the last value
  EXPECT_EQ(requested_page({{"page", "2"}, {"page", ""}}), std::nullopt);
  EXPECT_EQ(requested_page({{"page", ""}}), std::nullopt);
  EXPECT_EQ(requested_page({{"Page", "2"}}), 1);  // names are case-sensitive
}

TEST(PageWindow, ReadsOneRowMoreThanAPageFromThePagesFirstRow) {
  EXPECT_EQ(PageWindow{1}.offset(), 0);
  EXPECT_EQ(PageWindow{1}.limit(), items_per_page + 1);
  EXPECT_EQ(PageWindow{3}.offset(), 2 * items_per_page);
}

std::vector<int> numbers(int count) {
  std::vector<int> values(static_cast<std::size_t>(count));
  for (int index = 0; index < count; ++index) {
    values[static_cast<std::size_t>(index)] = index;
  }
  return values;
}

TEST(MakePage, TheExtraRowOnlyTellsThatANextPageExists) {
  const auto full = make_page(PageWindow{2}, numbers(items_per_page + 1));
  ASSERT_TRUE(full);
  EXPECT_EQ(full->items.size(), static_cast<std::size_t>(items_per_page));
  EXPECT_EQ(full->items.back(), items_per_page - 1);
  EXPECT_TRUE(full->has_next);
  EXPECT_TRUE(full->has_previous());
  EXPECT_EQ(full->number, 2);

  const auto exact = make_page(PageWindow{1}, numbers(items_per_page));
  ASSERT_TRUE(exact);
  EXPECT_FALSE(exact->has_next);
  EXPECT_FALSE(exact->has_previous());

  const auto last = make_page(PageWindow{3}, numbers(1));
  ASSERT_TRUE(last);
  EXPECT_EQ(last->items.size(), 1U);
  EXPECT_FALSE(last->has_next);
}

TEST(MakePage, PageOneOfAnEmptyListExistsAndLaterPagesDoNot) {
  const auto first = make_page(PageWindow{1}, std::vector<int>{});
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->items.empty());
  EXPECT_FALSE(first->has_next);
  EXPECT_EQ(make_page(PageWindow{2}, std::vector<int>{}), std::nullopt);
  EXPECT_EQ(make_page(PageWindow{99}, std::vector<int>{}), std::nullopt);
}

TEST(PageLinks, PageOneIsTheBareListUrl) {
  EXPECT_EQ(page_url("/lettings/", 1), "/lettings/");
  EXPECT_EQ(page_url("/lettings/", 2), "/lettings/?page=2");
  EXPECT_EQ(page_url("/profiles/", 12), "/profiles/?page=12");
}

TEST(PageLinks, NoNavigationWhenTheListFitsOnOnePage) {
  EXPECT_TRUE(pagination_data(1, false, "/lettings/").is_false());
}

TEST(PageLinks, NavigationLinksTheNeighbouringPages) {
  const auto first = pagination_data(1, true, "/lettings/");
  ASSERT_TRUE(first.is_object());
  EXPECT_EQ(first.get("page_number")->string_value(), "1");
  EXPECT_EQ(first.get("previous_url"), nullptr);
  EXPECT_EQ(first.get("next_url")->string_value(), "/lettings/?page=2");

  const auto second = pagination_data(2, true, "/profiles/");
  EXPECT_EQ(second.get("previous_url")->string_value(), "/profiles/");
  EXPECT_EQ(second.get("next_url")->string_value(), "/profiles/?page=3");

  const auto last = pagination_data(3, false, "/profiles/");
  EXPECT_EQ(last.get("previous_url")->string_value(), "/profiles/?page=2");
  EXPECT_EQ(last.get("next_url"), nullptr);
}

}  // namespace
}  // namespace ocl::site
