#include "admin/query_builder.hpp"

#include <stdexcept>

#include "admin/model_admin.hpp"
#include "app/models.hpp"

namespace ocl::admin {

std::string quote_identifier(std::string_view name) {
  std::string quoted = "\"";
  for (const char character : name) {
    quoted += character;
    if (character == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

bool is_relation(const db::Field& field) {
  return field.type == db::FieldType::foreign_key || field.type == db::FieldType::one_to_one;
}

const db::Model& related_model(const db::Field& field) {
  const auto* related = app::find_model(field.related_model);
  if (related == nullptr) {
    throw std::logic_error("no model described as " + field.related_model);
  }
  return *related;
}

QueryBuilder::QueryBuilder(const db::Model& model) : model_(model) {}

std::string QueryBuilder::expression(std::string_view path) {
  return resolve(model_, "t", "", path);
}

std::string QueryBuilder::str_expression() {
  return str_of(model_, "t", "");
}

std::string QueryBuilder::primary_key() const {
  return "t." + quote_identifier(model_.primary_key().column);
}

std::string QueryBuilder::from_clause() const {
  std::string clause = "FROM " + quote_identifier(model_.table) + " AS t";
  for (const auto& join : joins_) {
    clause += join.clause;
  }
  return clause;
}

std::string QueryBuilder::resolve(const db::Model& model, const std::string& alias, const std::string& prefix,
                                  std::string_view path) {
  const auto separator = path.find("__");
  const auto name = path.substr(0, separator);
  const auto* field = model.field(name);
  if (field == nullptr || field->type == db::FieldType::many_to_many) {
    throw std::invalid_argument("no column field " + std::string(name) + " on " + model.label());
  }
  if (!is_relation(*field)) {
    if (separator != std::string_view::npos) {
      throw std::invalid_argument("cannot follow " + std::string(path));
    }
    return alias + "." + quote_identifier(field->column);
  }
  const auto& related = related_model(*field);
  const auto key = prefix + std::string(name);
  const auto related_alias = join(*field, related, alias, key);
  if (separator == std::string_view::npos) {
    return str_of(related, related_alias, key + "__");
  }
  return resolve(related, related_alias, key + "__", path.substr(separator + 2));
}

std::string QueryBuilder::str_of(const db::Model& model, const std::string& alias, const std::string& prefix) {
  const auto* admin = find_admin(model.label());
  if (admin == nullptr) {
    return "CAST(" + alias + "." + quote_identifier(model.primary_key().column) + " AS TEXT)";
  }
  std::string text;
  for (const auto& part : admin->str_fields) {
    if (!text.empty()) {
      text += " || ' ' || ";
    }
    text += "CAST(" + resolve(model, alias, prefix, part) + " AS TEXT)";
  }
  return text;
}

std::string QueryBuilder::join(const db::Field& field, const db::Model& related, const std::string& alias,
                               const std::string& key) {
  for (const auto& existing : joins_) {
    if (existing.key == key) {
      return existing.alias;
    }
  }
  auto related_alias = "j" + std::to_string(joins_.size() + 1);
  auto clause = " LEFT JOIN " + quote_identifier(related.table) + " AS " + related_alias + " ON " + related_alias +
                "." + quote_identifier(related.primary_key().column) + " = " + alias + "." +
                quote_identifier(field.column);
  joins_.push_back({key, related_alias, std::move(clause)});
  return related_alias;
}

}  // namespace ocl::admin
