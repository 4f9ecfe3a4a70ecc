#pragma once
/// @file
/// @brief Django JSON fixtures: dumpdata and loaddata, driven by the model descriptions.

#include <cstddef>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"
#include "db/model.hpp"

namespace ocl::db {

/// @brief Raised for a fixture that cannot be loaded; the message names the bad record or JSON position.
class FixtureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// @brief Raised when a dumpdata label names no app or model.
class UnknownLabelError : public FixtureError {
 public:
  using FixtureError::FixtureError;
};

/// @brief One fixture to load: a name for messages (usually the file name) and its JSON text.
struct FixtureSource {
  std::string name;
  std::string text;
};

/// @brief What a load installed.
struct LoadReport {
  std::size_t objects = 0;   ///< objects saved
  std::size_t fixtures = 0;  ///< fixtures read
};

/// @brief The models that dumpdata labels select ("lettings", "lettings.Address", "auth.user"), in model
/// order without repeats; every model when `labels` is empty. Throws UnknownLabelError.
std::vector<const Model*> select_models(std::span<const std::string> labels);

/// @brief The selected models' rows as Django's `dumpdata` writes them (JSON, ordered by model then pk).
/// With `indent`, objects are pretty-printed as `dumpdata --indent N` does.
std::string dump(Connection& connection, std::span<const std::string> labels, std::optional<int> indent);

/// @brief Loads one fixture in one transaction: each object inserted or updated by pk, many-to-many
/// rows replaced, sequences moved past the loaded ids. On the first bad record everything is rolled
/// back and FixtureError names it.
LoadReport load(Connection& connection, std::string_view json_text);

/// @brief Loads several fixtures in a single transaction; messages are prefixed with the fixture name.
LoadReport load(Connection& connection, std::span<const FixtureSource> sources);

}  // namespace ocl::db
