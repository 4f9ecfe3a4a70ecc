#pragma once
/// @file
/// @brief Declarative admin descriptions (Django's ModelAdmin) for the models the admin manages.
///
/// One engine serves every model: list columns, search, filters, ordering and form fields are
/// all named here by field name (with Django's "relation__field" paths), never by hand-written pages.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "db/model.hpp"

namespace ocl::admin {

/// @brief Extra rules of one form field, beyond what the model description says.
struct FieldRule {
  std::string field;
  std::string unique_message;  ///< replaces "<Model> with this <Field> already exists."
  std::string help_text;
  bool username = false;  ///< checked with Django's username validator
};

/// @brief How an admin manages one model, as Django's ModelAdmin options.
struct ModelAdmin {
  const db::Model* model = nullptr;
  std::vector<std::string> str_fields;       ///< the model's __str__: these fields joined with a space
  std::vector<std::string> list_display;     ///< change list columns; the first one links to the change page
  std::vector<std::string> search_fields;    ///< "title", "user__username": case-insensitive containment
  std::vector<std::string> list_filter;      ///< boolean fields filtered with `?<field>__exact=0|1`
  std::vector<std::string> ordering;         ///< default change list order ("-id", "username")
  std::vector<std::string> fields;           ///< editable form fields, in order
  std::vector<std::string> readonly_fields;  ///< shown on the change form, never written
  std::string view_on_site;                  ///< public URL pattern: "/lettings/{id}/", "/profiles/{user__username}/"
  std::vector<FieldRule> field_rules;        ///< per-field messages, help texts and validators
  std::int64_t list_per_page = 100;

  /// @brief The extra rules of a field, or nullptr.
  [[nodiscard]] const FieldRule* rule(std::string_view field) const {
    for (const auto& candidate : field_rules) {
      if (candidate.field == field) {
        return &candidate;
      }
    }
    return nullptr;
  }

  /// @brief "lettings", "address": the URL segments of this admin.
  [[nodiscard]] const std::string& app_label() const { return model->app_label; }
  [[nodiscard]] const std::string& model_name() const { return model->model_name; }
  /// @brief "/admin/lettings/address/": the change list URL, base of every other admin URL of the model.
  [[nodiscard]] std::string changelist_url() const { return "/admin/" + app_label() + "/" + model_name() + "/"; }
  /// @brief "/admin/lettings/address/<pk>/<action>/".
  [[nodiscard]] std::string object_url(std::int64_t pk, std::string_view action) const {
    return changelist_url() + std::to_string(pk) + "/" + std::string(action) + "/";
  }
};

/// @brief Every registered admin, in index order (apps by verbose name, then models by plural name).
const std::vector<ModelAdmin>& registry();

/// @brief The admin registered for that app label and model name, or nullptr.
const ModelAdmin* find_admin(std::string_view app_label, std::string_view model_name);

/// @brief The admin registered for a model label ("lettings.address"), or nullptr.
const ModelAdmin* find_admin(std::string_view model_label);

/// @brief An app's verbose name: "Authentication and Authorization", "Lettings", "Profiles".
std::string app_verbose_name(std::string_view app_label);

/// @brief Django's capfirst: the first letter upper-cased ("letting" -> "Letting").
std::string capitalize_first(std::string_view text);

}  // namespace ocl::admin
