#pragma once
/// @file
/// @brief `oc-lettings check --deploy`: the checks of Django's deployment checklist that apply here.

#include <string>
#include <vector>

#include "config/settings.hpp"

namespace ocl::config {

/// @brief One finding of the deployment checks.
struct DeployFinding {
  enum class Level { warning, error };
  Level level = Level::warning;
  std::string id;       ///< Django's check id where one exists ("security.W004")
  std::string message;  ///< what is wrong and what to set
};

/// @brief Checks settings meant for production: DEBUG off, a long random SECRET_KEY, ALLOWED_HOSTS,
/// HSTS, HTTPS redirect; secure cookies follow DEBUG, so DEBUG's check covers them.
std::vector<DeployFinding> deploy_checks(const Settings& settings);

/// @brief True for a key Django would call weak: under 50 characters, under 5 distinct ones, or a development key.
bool is_weak_secret_key(const std::string& key);

}  // namespace ocl::config
