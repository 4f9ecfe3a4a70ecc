#pragma once
/// @file
/// @brief The shared services every feature's views use, owned by the Application.

#include "config/settings.hpp"
#include "db/database.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "templates/engine.hpp"

namespace ocl::app {

/// @brief Long-lived services, created once at start-up; all safe to use from any thread.
struct Services {
  const config::Settings& settings;
  db::Database& database;
  const templates::Engine& templates;
  const http::Router& router;  ///< for reverse URLs
  const http::StaticFiles& static_files;
};

}  // namespace ocl::app
