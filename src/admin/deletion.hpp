#pragma once
/// @file
/// @brief Deleting objects with everything that cascades from them, as Django's Collector does,
/// and the list the delete confirmation page shows first.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "admin/model_admin.hpp"
#include "auth/guard.hpp"
#include "db/connection.hpp"

namespace ocl::admin {

/// @brief One object that a deletion removes: selected (depth 0) or reached by cascade (depth >= 1).
struct DeletedObject {
  const db::Model* model = nullptr;
  std::int64_t pk = 0;
  std::string repr;
  int depth = 0;
  std::string change_url;  ///< its admin change page, when the user may open it; else ""
};

/// @brief What deleting some objects involves.
struct DeletionPlan {
  std::vector<DeletedObject> objects;                         ///< depth-first: each object, then what it takes
  std::vector<std::pair<std::string, std::int64_t>> summary;  ///< "Addresses" -> 1, in first-seen order
  std::vector<std::string> perms_needed;                      ///< verbose names of admin models the user may not delete
};

/// @brief Collects the objects `pks` of `admin` and, recursively, every object that references them.
DeletionPlan plan_deletion(db::Connection& connection, const ModelAdmin& admin, const std::vector<std::int64_t>& pks,
                           const auth::CurrentUser& user);

/// @brief Deletes an object after everything that references it, and its many-to-many rows.
/// Runs no transaction itself: the caller wraps the whole deletion (and its log entries) in one.
void delete_cascade(db::Connection& connection, const db::Model& model, std::int64_t pk);

}  // namespace ocl::admin
