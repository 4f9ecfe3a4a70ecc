#include "app/models.hpp"

#include <algorithm>
#include <cctype>

#include "auth/models.hpp"
#include "lettings/models.hpp"
#include "profiles/models.hpp"

namespace ocl::app {
namespace {

bool same_ignoring_case(std::string_view left, std::string_view right) {
  return std::ranges::equal(left, right,
                            [](unsigned char a, unsigned char b) { return std::tolower(a) == std::tolower(b); });
}

}  // namespace

const std::vector<const db::Model*>& all_models() {
  static const std::vector<const db::Model*> models = {
      &auth::content_type_model(), &auth::permission_model(),  &auth::group_model(),
      &auth::user_model(),         &auth::session_model(),     &auth::log_entry_model(),
      &lettings::address_model(),  &lettings::letting_model(), &profiles::profile_model(),
  };
  return models;
}

const db::Model* find_model(std::string_view label) {
  const auto dot = label.find('.');
  if (dot == std::string_view::npos) {
    return nullptr;
  }
  const auto app_label = label.substr(0, dot);
  const auto model_name = label.substr(dot + 1);
  for (const auto* model : all_models()) {
    // App labels are case-sensitive in Django; model names are not.
    if (model->app_label == app_label && same_ignoring_case(model->model_name, model_name)) {
      return model;
    }
  }
  return nullptr;
}

}  // namespace ocl::app
