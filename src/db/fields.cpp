#include "db/fields.hpp"

namespace ocl::db::fields {

Field plain(std::string name, FieldType type, std::string verbose_name) {
  Field field;
  field.column = name;
  field.name = std::move(name);
  field.type = type;
  field.verbose_name = std::move(verbose_name);
  return field;
}

Field auto_id() {
  auto field = plain("id", FieldType::auto_pk, "ID");
  field.blank = true;
  field.unique = true;
  return field;
}

Field char_field(std::string name, std::string verbose_name, std::int64_t max_length) {
  auto field = plain(std::move(name), FieldType::char_field, std::move(verbose_name));
  field.max_length = max_length;
  return field;
}

Field positive_integer(std::string name, std::string verbose_name, std::int64_t max_value) {
  auto field = plain(std::move(name), FieldType::positive_integer, std::move(verbose_name));
  field.min_value = 0;
  field.max_value = max_value;
  return field;
}

Field boolean(std::string name, std::string verbose_name) {
  return optional(plain(std::move(name), FieldType::boolean, std::move(verbose_name)));
}

Field foreign_key(std::string name, std::string verbose_name, std::string related_model) {
  auto field = plain(std::move(name), FieldType::foreign_key, std::move(verbose_name));
  field.column += "_id";
  field.related_model = std::move(related_model);
  return field;
}

Field one_to_one(std::string name, std::string verbose_name, std::string related_model) {
  auto field = foreign_key(std::move(name), std::move(verbose_name), std::move(related_model));
  field.type = FieldType::one_to_one;
  field.unique = true;
  return field;
}

Field many_to_many(std::string name, std::string verbose_name, std::string related_model, ThroughTable through) {
  auto field = optional(plain(std::move(name), FieldType::many_to_many, std::move(verbose_name)));
  field.column.clear();
  field.related_model = std::move(related_model);
  field.through = std::move(through);
  return field;
}

Field optional(Field field) {
  field.blank = true;
  return field;
}

Field nullable(Field field) {
  field.nullable = true;
  field.blank = true;
  return field;
}

Field unique(Field field) {
  field.unique = true;
  return field;
}

Field with_min_length(Field field, std::int64_t min_length) {
  field.min_length = min_length;
  return field;
}

}  // namespace ocl::db::fields
