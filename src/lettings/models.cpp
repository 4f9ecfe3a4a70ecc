#include "lettings/models.hpp"

namespace ocl::lettings {
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

db::Field char_field(std::string name, std::string verbose_name, std::int64_t max_length) {
  auto field = plain(std::move(name), db::FieldType::char_field, std::move(verbose_name));
  field.max_length = max_length;
  return field;
}

// PositiveIntegerField (>= 0) with a MaxValueValidator.
db::Field positive_integer(std::string name, std::string verbose_name, std::int64_t max_value) {
  auto field = plain(std::move(name), db::FieldType::positive_integer, std::move(verbose_name));
  field.min_value = 0;
  field.max_value = max_value;
  return field;
}

db::Field address_link() {
  auto field = plain("address", db::FieldType::one_to_one, "Address");
  field.column = "address_id";
  field.unique = true;
  field.related_model = "lettings.address";
  return field;
}

db::Field with_min_length(db::Field field, std::int64_t min_length) {
  field.min_length = min_length;
  return field;
}

db::Model make_address_model() {
  return db::Model{
      .app_label = "lettings",
      .model_name = "address",
      .table = "lettings_address",
      .verbose_name = "address",
      .verbose_name_plural = "addresses",
      .fields = {auto_id(), positive_integer("number", "Number", 9999), char_field("street", "Street", 64),
                 char_field("city", "City", 64), with_min_length(char_field("state", "State", 2), 2),
                 positive_integer("zip_code", "Zip code", 99999),
                 with_min_length(char_field("country_iso_code", "Country iso code", 3), 3)},
      .ordering = {},
  };
}

db::Model make_letting_model() {
  return db::Model{
      .app_label = "lettings",
      .model_name = "letting",
      .table = "lettings_letting",
      .verbose_name = "letting",
      .verbose_name_plural = "lettings",
      .fields = {auto_id(), char_field("title", "Title", 256), address_link()},
      .ordering = {},
  };
}

}  // namespace

const db::Model& address_model() {
  static const db::Model model = make_address_model();
  return model;
}

const db::Model& letting_model() {
  static const db::Model model = make_letting_model();
  return model;
}

}  // namespace ocl::lettings
