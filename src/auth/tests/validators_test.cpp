#include "auth/validators.hpp"

#include <gtest/gtest.h>

namespace ocl::auth {
namespace {

const UserAttributes user{"ocadmin", "John", "Smith", "john.smith@oc-lettings.example"};

TEST(ValidatorsTest, AcceptsAStrongPassword) {
  EXPECT_TRUE(validate_password("Xq7!pLm2#z", user).empty());
  EXPECT_TRUE(validate_password("Abc1234!", user).empty());
}

TEST(ValidatorsTest, RefusesShortNumericAndCommonPasswords) {
  EXPECT_EQ(validate_password("Xq7!pL", user),
            std::vector<std::string>{"This password is too short. It must contain at least 8 characters."});
  EXPECT_EQ(validate_password("73829104", user), std::vector<std::string>{"This password is entirely numeric."});
  EXPECT_EQ(validate_password("Password1", user), std::vector<std::string>{"This password is too common."});
  EXPECT_EQ(validate_password("123456", user),
            (std::vector<std::string>{"This password is too short. It must contain at least 8 characters.",
                                      "This password is too common.", "This password is entirely numeric."}));
}

TEST(ValidatorsTest, RefusesPasswordsSimilarToTheUser) {
  // Django 5's quick_ratio: "oclettings24" and the e-mail part "lettings" score 0.8.
  EXPECT_EQ(validate_password("oclettings24", user),
            std::vector<std::string>{"The password is too similar to the email address."});
  EXPECT_EQ(validate_password("OCADMIN-1", user),
            std::vector<std::string>{"The password is too similar to the username."});
  EXPECT_TRUE(validate_password("adminadmin", user).empty()) << "quick_ratio 0.588 with ocadmin";
  EXPECT_TRUE(validate_password("johnsmith1", user).empty()) << "0.667 with smith, below 0.7";
}

TEST(ValidatorsTest, QuickRatioCountsCommonCharacters) {
  EXPECT_DOUBLE_EQ(quick_ratio(U"oclettings2024", U"oc-lettings"), 0.8);
  EXPECT_DOUBLE_EQ(quick_ratio(U"oclettings24", U"lettings"), 0.8);
  EXPECT_DOUBLE_EQ(quick_ratio(U"abc", U"abd"), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(quick_ratio(U"", U""), 1.0);
}

TEST(ValidatorsTest, ShipsAtLeastAThousandCommonPasswords) {
  EXPECT_GE(common_password_count(), 1000U);
  EXPECT_TRUE(is_common_password("qwerty"));
  EXPECT_TRUE(is_common_password("  QWERTY "));
  EXPECT_FALSE(is_common_password("Xq7!pLm2#z"));
}

}  // namespace
}  // namespace ocl::auth
