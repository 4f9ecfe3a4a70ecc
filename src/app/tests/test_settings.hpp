#pragma once
/// @file
/// @brief Settings for tests that run the whole application on a database file, without a socket.

#include <string>

#include "config/settings.hpp"

namespace ocl::app::testing {

/// @brief Valid settings for host "testserver" on the SQLite file `database_path`, serving the repository's static/.
inline config::Settings test_settings(const std::string& database_path) {
  return config::load_settings({{"SECRET_KEY", "test"},
                                {"ALLOWED_HOSTS", "testserver"},
                                {"DATABASE_URL", "sqlite:///" + database_path},
                                {"STATIC_ROOT", std::string(OCL_SOURCE_DIR) + "/static"}});
}

}  // namespace ocl::app::testing
