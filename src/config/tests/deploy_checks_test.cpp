#include "config/deploy_checks.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace ocl::config {
namespace {

const std::string strong_key = "0a9Z3kq7Lm2Xp5Rt8Vw1Yb4Nc6Hd0Jf3Gs9Ke2Mu5Pi7Qo1Wz4Ex8Ty";

std::vector<std::string> ids(const std::vector<DeployFinding>& findings) {
  std::vector<std::string> result;
  std::ranges::transform(findings, std::back_inserter(result), &DeployFinding::id);
  return result;
}

TEST(DeployChecks, ProductionSettingsPass) {
  const auto settings = load_settings({{"SECRET_KEY", strong_key},
                                       {"ALLOWED_HOSTS", "oc-lettings.example"},
                                       {"SECURE_HSTS_SECONDS", "31536000"},
                                       {"SECURE_HSTS_INCLUDE_SUBDOMAINS", "true"},
                                       {"SECURE_SSL_REDIRECT", "true"},
                                       {"FORWARDED_ALLOW_IPS", "*"}});
  EXPECT_TRUE(deploy_checks(settings).empty());
}

TEST(DeployChecks, TheDeprecatedProtoSettingStillSatisfiesTheRedirectCheck) {
  const auto settings = load_settings({{"SECRET_KEY", strong_key},
                                       {"ALLOWED_HOSTS", "oc-lettings.example"},
                                       {"SECURE_HSTS_SECONDS", "31536000"},
                                       {"SECURE_HSTS_INCLUDE_SUBDOMAINS", "true"},
                                       {"SECURE_SSL_REDIRECT", "true"},
                                       {"TRUST_X_FORWARDED_PROTO", "true"}});
  EXPECT_TRUE(settings.trust_forwarded_proto);
  EXPECT_TRUE(deploy_checks(settings).empty());
}

TEST(DeployChecks, AnyProxyWithoutHttpsIsAWarning) {
  const auto settings = load_settings(
      {{"SECRET_KEY", strong_key}, {"ALLOWED_HOSTS", "oc-lettings.example"}, {"FORWARDED_ALLOW_IPS", "*"}});
  EXPECT_EQ(ids(deploy_checks(settings)), (std::vector<std::string>{"security.W004", "security.W008", "ocl.W003"}));
}

TEST(DeployChecks, DevelopmentSettingsAreReportedWithTheirIds) {
  const auto settings = load_settings({{"DEBUG", "true"}});
  const auto found = ids(deploy_checks(settings));
  for (const auto* expected : {"security.E018", "security.E009", "security.W004", "security.W008"}) {
    EXPECT_NE(std::ranges::find(found, expected), found.end()) << expected;
  }
  const auto errors = std::ranges::count_if(deploy_checks(settings), [](const DeployFinding& finding) {
    return finding.level == DeployFinding::Level::error;
  });
  EXPECT_EQ(errors, 2);
}

TEST(DeployChecks, PartialHttpsSettingsGetTheirOwnWarnings) {
  const auto settings =
      load_settings({{"SECRET_KEY", strong_key}, {"SECURE_HSTS_SECONDS", "3600"}, {"SECURE_SSL_REDIRECT", "true"}});
  EXPECT_EQ(ids(deploy_checks(settings)), (std::vector<std::string>{"security.W020", "security.W005", "ocl.W001"}));
}

TEST(DeployChecks, WeakKeys) {
  EXPECT_TRUE(is_weak_secret_key("short"));
  EXPECT_TRUE(is_weak_secret_key(std::string(60, 'a')));
  EXPECT_TRUE(is_weak_secret_key("django-insecure-" + strong_key));
  EXPECT_FALSE(is_weak_secret_key(strong_key));
}

TEST(DeployChecks, HttpsSettingsAreValidated) {
  EXPECT_THROW((void)load_settings({{"SECRET_KEY", "k"}, {"SECURE_HSTS_SECONDS", "-1"}}), ConfigError);
  EXPECT_THROW((void)load_settings({{"SECRET_KEY", "k"}, {"SECURE_SSL_REDIRECT", "sometimes"}}), ConfigError);
}

}  // namespace
}  // namespace ocl::config
