#pragma once
/// @file
/// @brief Every model the site stores, in dependency order.

#include <string_view>
#include <vector>

#include "db/model.hpp"

namespace ocl::app {

/// @brief All model descriptions, each after the models it refers to (fixture and dump order).
const std::vector<const db::Model*>& all_models();

/// @brief The model with that "app_label.model_name" label (model name case-insensitive), or nullptr.
const db::Model* find_model(std::string_view label);

}  // namespace ocl::app
