#pragma once
/// @file
/// @brief Model forms built from the model descriptions: binding, Django's validation messages,
/// change detection and saving (Django's ModelForm as the admin uses it).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "admin/model_admin.hpp"
#include "db/connection.hpp"
#include "http/url.hpp"

namespace ocl::admin {

/// @brief How a form field is entered.
enum class Widget { text, number, checkbox, select, select_multiple, readonly_text };

/// @brief One option of a select.
struct Choice {
  std::string value;
  std::string label;
};

/// @brief One form field with its current values and errors.
struct FormField {
  const db::Field* field = nullptr;
  std::string name;   ///< the model field name, also the HTML name
  std::string label;  ///< capitalised verbose name
  Widget widget = Widget::text;
  bool required = false;
  bool readonly = false;
  std::vector<std::string> values;  ///< one value, or the selected ids of a many-to-many field
  std::vector<Choice> choices;      ///< for selects
  std::vector<std::string> errors;

  /// @brief The single value ("" when none).
  [[nodiscard]] std::string value() const { return values.empty() ? std::string{} : values.front(); }
};

/// @brief A model form: fields in the admin's order, plus errors that belong to no single field.
struct Form {
  std::vector<FormField> fields;
  std::vector<std::string> non_field_errors;

  [[nodiscard]] bool valid() const;
  [[nodiscard]] std::size_t error_count() const;
  [[nodiscard]] const FormField* find(std::string_view name) const;
};

/// @brief Field name -> stored values as form text (ids for relations, "1"/"0" for booleans).
using FormValues = std::map<std::string, std::vector<std::string>, std::less<>>;

/// @brief The stored values of an object's form and read-only fields; nullopt when it does not exist.
std::optional<FormValues> load_values(db::Connection& connection, const ModelAdmin& admin, std::int64_t pk);

/// @brief An unbound form showing `values` (empty for an add form); read-only when `readonly`.
Form make_form(db::Connection& connection, const ModelAdmin& admin, const FormValues& values, bool readonly);

/// @brief Binds a POST to the admin's fields and validates it; `pk` is the object being changed.
Form bind_form(db::Connection& connection, const ModelAdmin& admin, const http::QueryParams& post,
               std::optional<std::int64_t> pk);

/// @brief Labels of the fields whose cleaned value differs from `before`, in form order (Django's changed_data).
std::vector<std::string> changed_labels(const Form& form, const FormValues& before);

/// @brief Inserts (no `pk`) or updates the object from a valid form, many-to-many rows included; returns its pk.
std::int64_t save_form(db::Connection& connection, const ModelAdmin& admin, const Form& form,
                       std::optional<std::int64_t> pk);

/// @brief The object's __str__, or nullopt when it does not exist.
std::optional<std::string> object_repr(db::Connection& connection, const ModelAdmin& admin, std::int64_t pk);

/// @brief The public page of the object ("/lettings/3/"), or "" when the admin has none.
std::string view_on_site_url(db::Connection& connection, const ModelAdmin& admin, std::int64_t pk);

/// @brief Django's "Enter a valid username" check: letters, digits and @ . + - _ only.
bool is_valid_username(std::string_view username);

/// @brief The number of characters (code points) in UTF-8 text.
std::size_t character_count(std::string_view text);

/// @brief Django's form CharField strip: leading and trailing whitespace removed.
std::string strip(std::string_view text);

}  // namespace ocl::admin
