#include "profiles/models.hpp"

#include "db/fields.hpp"

namespace ocl::profiles {
namespace {

using namespace db::fields;  // NOLINT(google-build-using-namespace): reads like models.py

db::Model make_profile_model() {
  return db::Model{
      .app_label = "profiles",
      .model_name = "profile",
      .table = "profiles_profile",
      .verbose_name = "profile",
      .verbose_name_plural = "profiles",
      .fields = {auto_id(), one_to_one("user", "User", "auth.user"),
                 optional(char_field("favorite_city", "Favorite city", 64))},
      .ordering = {},
  };
}

}  // namespace

const db::Model& profile_model() {
  static const db::Model model = make_profile_model();
  return model;
}

}  // namespace ocl::profiles
