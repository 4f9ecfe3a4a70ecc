#include "profiles/models.hpp"

namespace ocl::profiles {
namespace {

db::Field plain(std::string name, db::FieldType type, std::string verbose_name) {
  db::Field field;
  field.column = name;
  field.name = std::move(name);
  field.type = type;
  field.verbose_name = std::move(verbose_name);
  return field;
}

db::Field auto_id() {
  auto field = plain("id", db::FieldType::auto_pk, "ID");
  field.blank = true;
  field.unique = true;
  return field;
}

db::Field user_link() {
  auto field = plain("user", db::FieldType::one_to_one, "User");
  field.column = "user_id";
  field.unique = true;
  field.related_model = "auth.user";
  return field;
}

// blank=True: a profile may leave its favourite city empty.
db::Field favorite_city() {
  auto field = plain("favorite_city", db::FieldType::char_field, "Favorite city");
  field.blank = true;
  field.max_length = 64;
  return field;
}

db::Model make_profile_model() {
  return db::Model{
      .app_label = "profiles",
      .model_name = "profile",
      .table = "profiles_profile",
      .verbose_name = "profile",
      .verbose_name_plural = "profiles",
      .fields = {auto_id(), user_link(), favorite_city()},
      .ordering = {},
  };
}

}  // namespace

const db::Model& profile_model() {
  static const db::Model model = make_profile_model();
  return model;
}

}  // namespace ocl::profiles
