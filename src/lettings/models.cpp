#include "lettings/models.hpp"

#include "db/fields.hpp"

namespace ocl::lettings {
namespace {

using namespace db::fields;  // NOLINT(google-build-using-namespace): reads like models.py

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
      .fields = {auto_id(), char_field("title", "Title", 256), one_to_one("address", "Address", "lettings.address")},
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
