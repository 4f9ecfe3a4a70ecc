#include "admin/forms.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "admin/query_builder.hpp"
#include "http/url.hpp"

namespace ocl::admin {
namespace {

constexpr std::string_view required_message = "This field is required.";
constexpr std::string_view invalid_choice_message =
    "Select a valid choice. That choice is not one of the available choices.";

bool is_integer_type(db::FieldType type) {
  return type == db::FieldType::integer || type == db::FieldType::positive_integer ||
         type == db::FieldType::positive_small_integer || type == db::FieldType::auto_pk;
}

Widget widget_for(const db::Field& field) {
  switch (field.type) {
    case db::FieldType::boolean:
      return Widget::checkbox;
    case db::FieldType::foreign_key:
    case db::FieldType::one_to_one:
      return Widget::select;
    case db::FieldType::many_to_many:
      return Widget::select_multiple;
    case db::FieldType::datetime:
      return Widget::readonly_text;
    default:
      return is_integer_type(field.type) ? Widget::number : Widget::text;
  }
}

std::string value_text(const db::Value& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    return std::to_string(*number);
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    return *text;
  }
  if (const auto* real = std::get_if<double>(&value)) {
    return std::to_string(*real);
  }
  return {};
}

// Permissions read "app | model | name", as Django's Permission.__str__, in its Meta.ordering.
std::vector<Choice> permission_choices(db::Connection& connection) {
  const auto result = connection.query(
      "SELECT p.id, c.app_label, c.model, p.name FROM auth_permission AS p "
      "JOIN django_content_type AS c ON c.id = p.content_type_id ORDER BY c.app_label, c.model, p.codename");
  std::vector<Choice> choices;
  for (const auto& row : result.rows) {
    choices.push_back({std::to_string(row.integer(0)), row.text(1) + " | " + row.text(2) + " | " + row.text(3)});
  }
  return choices;
}

std::vector<Choice> relation_choices(db::Connection& connection, const db::Field& field) {
  const auto& related = related_model(field);
  if (related.label() == "auth.permission") {
    return permission_choices(connection);
  }
  QueryBuilder builder(related);
  const auto label = builder.str_expression();
  const auto* admin = find_admin(related.label());
  std::string order = builder.primary_key();
  if (admin != nullptr && !admin->ordering.empty()) {
    order = builder.expression(admin->ordering.front()) + ", " + order;
  }
  const auto result = connection.query("SELECT " + builder.primary_key() + ", " + label + " " + builder.from_clause() +
                                       " ORDER BY " + order);
  std::vector<Choice> choices;
  for (const auto& row : result.rows) {
    choices.push_back({std::to_string(row.integer(0)), value_text(row.value(1))});
  }
  return choices;
}

FormField describe(db::Connection& connection, const ModelAdmin& admin, const std::string& name, bool readonly) {
  const auto* field = admin.model->field(name);
  if (field == nullptr) {
    throw std::logic_error("no field " + name + " on " + admin.model->label());
  }
  FormField form_field;
  form_field.field = field;
  form_field.name = name;
  form_field.label = capitalize_first(field->verbose_name);
  form_field.widget = widget_for(*field);
  form_field.required = !field->blank && field->type != db::FieldType::boolean;
  form_field.readonly = readonly;
  if (form_field.widget == Widget::select || form_field.widget == Widget::select_multiple) {
    form_field.choices = relation_choices(connection, *field);
  }
  return form_field;
}

std::vector<std::string> posted_values(const http::QueryParams& post, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : post) {
    if (key == name) {
      values.push_back(value);
    }
  }
  return values;
}

std::optional<std::int64_t> parse_whole_number(std::string_view text, bool& overflow) {
  overflow = false;
  if (text.starts_with('+')) {
    text.remove_prefix(1);
  }
  if (text.empty() || text.starts_with('+')) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (stop != end) {
    return std::nullopt;
  }
  if (error == std::errc::result_out_of_range) {
    overflow = true;
    return text.starts_with('-') ? INT64_MIN : INT64_MAX;
  }
  return error == std::errc{} ? std::optional(value) : std::nullopt;
}

void check_length(FormField& form_field, const std::string& value) {
  const auto length = static_cast<std::int64_t>(character_count(value));
  const auto& field = *form_field.field;
  if (field.max_length && length > *field.max_length) {
    form_field.errors.push_back("Ensure this value has at most " + std::to_string(*field.max_length) +
                                " characters (it has " + std::to_string(length) + ").");
  }
  if (field.min_length && length < *field.min_length) {
    form_field.errors.push_back("Ensure this value has at least " + std::to_string(*field.min_length) +
                                " characters (it has " + std::to_string(length) + ").");
  }
}

void clean_integer(FormField& form_field) {
  bool overflow = false;
  const auto number = parse_whole_number(form_field.value(), overflow);
  if (!number) {
    form_field.errors.emplace_back("Enter a whole number.");
    return;
  }
  const auto& field = *form_field.field;
  if (field.min_value && *number < *field.min_value) {
    form_field.errors.push_back("Ensure this value is greater than or equal to " + std::to_string(*field.min_value) +
                                ".");
  } else if (field.max_value && *number > *field.max_value) {
    form_field.errors.push_back("Ensure this value is less than or equal to " + std::to_string(*field.max_value) + ".");
  }
  if (form_field.errors.empty() && !overflow) {
    form_field.values = {std::to_string(*number)};
  }
}

bool is_choice(const FormField& form_field, std::string_view value) {
  return std::ranges::any_of(form_field.choices, [value](const Choice& choice) { return choice.value == value; });
}

void clean_many(FormField& form_field) {
  std::vector<std::string> kept;
  for (const auto& value : form_field.values) {
    if (!is_choice(form_field, value)) {
      form_field.errors.push_back("Select a valid choice. " + value + " is not one of the available choices.");
      return;
    }
    if (std::ranges::find(kept, value) == kept.end()) {
      kept.push_back(value);
    }
  }
  form_field.values = kept;
}

// Django's CheckboxInput: absent is false, "false"/"0" are false, anything else is true.
void clean_checkbox(FormField& form_field) {
  const auto value = form_field.value();
  const bool checked = !form_field.values.empty() && value != "false" && value != "0";
  form_field.values = {checked ? "1" : "0"};
}

void clean_field(const ModelAdmin& admin, FormField& form_field) {
  if (form_field.widget == Widget::checkbox) {
    clean_checkbox(form_field);
    return;
  }
  if (form_field.widget == Widget::select_multiple) {
    clean_many(form_field);
    return;
  }
  form_field.values = {strip(form_field.value())};
  const auto value = form_field.value();
  if (value.empty()) {
    if (form_field.required) {
      form_field.errors.emplace_back(required_message);
    }
    return;
  }
  if (form_field.widget == Widget::number) {
    clean_integer(form_field);
  } else if (form_field.widget == Widget::select) {
    if (!is_choice(form_field, value)) {
      form_field.errors.emplace_back(invalid_choice_message);
    }
  } else {
    check_length(form_field, value);
    const auto* rule = admin.rule(form_field.name);
    if (rule != nullptr && rule->username && !is_valid_username(value)) {
      form_field.errors.emplace_back(
          "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.");
    }
  }
}

db::Value column_value(const FormField& form_field) {
  const auto value = form_field.value();
  const auto& field = *form_field.field;
  if (value.empty() && (field.nullable || form_field.widget != Widget::text)) {
    return db::Null{};
  }
  if (form_field.widget == Widget::text) {
    return value;
  }
  return std::stoll(value);
}

void check_unique(db::Connection& connection, const ModelAdmin& admin, FormField& form_field,
                  std::optional<std::int64_t> pk) {
  if (!form_field.field->unique || !form_field.errors.empty() || form_field.value().empty()) {
    return;
  }
  const auto& model = *admin.model;
  const auto sql = "SELECT COUNT(*) FROM " + quote_identifier(model.table) + " WHERE " +
                   quote_identifier(form_field.field->column) + " = ? AND " +
                   quote_identifier(model.primary_key().column) + " <> ?";
  if (connection.query(sql, {column_value(form_field), pk.value_or(-1)}).rows.at(0).integer(0) == 0) {
    return;
  }
  const auto* rule = admin.rule(form_field.name);
  form_field.errors.push_back(rule != nullptr && !rule->unique_message.empty()
                                  ? rule->unique_message
                                  : capitalize_first(model.verbose_name) + " with this " + form_field.label +
                                        " already exists.");
}

void save_many(db::Connection& connection, const FormField& form_field, std::int64_t pk) {
  const auto& through = *form_field.field->through;
  connection.execute(
      "DELETE FROM " + quote_identifier(through.table) + " WHERE " + quote_identifier(through.source_column) + " = ?",
      {pk});
  const auto insert = "INSERT INTO " + quote_identifier(through.table) + " (" +
                      quote_identifier(through.source_column) + ", " + quote_identifier(through.target_column) +
                      ") VALUES (?, ?)";
  for (const auto& value : form_field.values) {
    connection.execute(insert, {pk, std::stoll(value)});
  }
}

std::vector<std::string> load_many(db::Connection& connection, const db::Field& field, std::int64_t pk) {
  const auto& through = *field.through;
  const auto result = connection.query("SELECT " + quote_identifier(through.target_column) + " FROM " +
                                           quote_identifier(through.table) + " WHERE " +
                                           quote_identifier(through.source_column) + " = ? ORDER BY 1",
                                       {pk});
  std::vector<std::string> values;
  for (const auto& row : result.rows) {
    values.push_back(std::to_string(row.integer(0)));
  }
  return values;
}

}  // namespace

bool Form::valid() const {
  return error_count() == 0;
}

std::size_t Form::error_count() const {
  std::size_t count = non_field_errors.size();
  for (const auto& field : fields) {
    count += field.errors.size();
  }
  return count;
}

const FormField* Form::find(std::string_view name) const {
  const auto found = std::ranges::find(fields, name, &FormField::name);
  return found == fields.end() ? nullptr : &*found;
}

std::optional<FormValues> load_values(db::Connection& connection, const ModelAdmin& admin, std::int64_t pk) {
  std::vector<const db::Field*> columns;
  std::vector<const db::Field*> many;
  for (const auto* names : {&admin.fields, &admin.readonly_fields}) {
    for (const auto& name : *names) {
      const auto* field = admin.model->field(name);
      (field->type == db::FieldType::many_to_many ? many : columns).push_back(field);
    }
  }
  std::string select = "SELECT " + quote_identifier(admin.model->primary_key().column);
  for (const auto* field : columns) {
    select += ", " + quote_identifier(field->column);
  }
  const auto result = connection.query(select + " FROM " + quote_identifier(admin.model->table) + " WHERE " +
                                           quote_identifier(admin.model->primary_key().column) + " = ?",
                                       {pk});
  if (result.empty()) {
    return std::nullopt;
  }
  FormValues values;
  for (std::size_t index = 0; index < columns.size(); ++index) {
    values[columns[index]->name] = {value_text(result.rows.front().value(index + 1))};
  }
  for (const auto* field : many) {
    values[field->name] = load_many(connection, *field, pk);
  }
  return values;
}

Form make_form(db::Connection& connection, const ModelAdmin& admin, const FormValues& values, bool readonly) {
  Form form;
  for (const auto& name : admin.fields) {
    auto form_field = describe(connection, admin, name, readonly);
    if (const auto found = values.find(name); found != values.end()) {
      form_field.values = found->second;
    }
    form.fields.push_back(std::move(form_field));
  }
  return form;
}

Form bind_form(db::Connection& connection, const ModelAdmin& admin, const http::QueryParams& post,
               std::optional<std::int64_t> pk) {
  Form form;
  for (const auto& name : admin.fields) {
    auto form_field = describe(connection, admin, name, false);
    form_field.values = posted_values(post, name);
    clean_field(admin, form_field);
    check_unique(connection, admin, form_field, pk);
    form.fields.push_back(std::move(form_field));
  }
  return form;
}

std::vector<std::string> changed_labels(const Form& form, const FormValues& before) {
  std::vector<std::string> labels;
  for (const auto& form_field : form.fields) {
    const auto found = before.find(form_field.name);
    auto old_values = found == before.end() ? std::vector<std::string>{} : found->second;
    auto new_values = form_field.values;
    if (form_field.widget == Widget::select_multiple) {
      std::ranges::sort(old_values);
      std::ranges::sort(new_values);
    }
    if (old_values.empty()) {
      old_values = {""};
    }
    if (new_values.empty()) {
      new_values = {""};
    }
    if (old_values != new_values) {
      labels.push_back(form_field.label);
    }
  }
  return labels;
}

std::int64_t save_form(db::Connection& connection, const ModelAdmin& admin, const Form& form,
                       std::optional<std::int64_t> pk) {
  const auto& model = *admin.model;
  std::vector<db::Value> values;
  std::string columns;
  std::string placeholders;
  std::string assignments;
  for (const auto& form_field : form.fields) {
    if (form_field.widget == Widget::select_multiple) {
      continue;
    }
    const auto column = quote_identifier(form_field.field->column);
    columns += (columns.empty() ? "" : ", ") + column;
    placeholders += placeholders.empty() ? "?" : ", ?";
    assignments += (assignments.empty() ? "" : ", ") + column + " = ?";
    values.push_back(column_value(form_field));
  }
  const auto table = quote_identifier(model.table);
  const auto key = quote_identifier(model.primary_key().column);
  std::int64_t id = 0;
  if (pk) {
    values.emplace_back(*pk);
    connection.execute("UPDATE " + table + " SET " + assignments + " WHERE " + key + " = ?", values);
    id = *pk;
  } else {
    id =
        connection
            .query("INSERT INTO " + table + " (" + columns + ") VALUES (" + placeholders + ") RETURNING " + key, values)
            .rows.at(0)
            .integer(0);
  }
  for (const auto& form_field : form.fields) {
    if (form_field.widget == Widget::select_multiple) {
      save_many(connection, form_field, id);
    }
  }
  return id;
}

std::optional<std::string> object_repr(db::Connection& connection, const ModelAdmin& admin, std::int64_t pk) {
  QueryBuilder builder(*admin.model);
  const auto label = builder.str_expression();
  const auto result = connection.query(
      "SELECT " + label + " " + builder.from_clause() + " WHERE " + builder.primary_key() + " = ?", {pk});
  if (result.empty()) {
    return std::nullopt;
  }
  return value_text(result.rows.front().value(0));
}

std::string view_on_site_url(db::Connection& connection, const ModelAdmin& admin, std::int64_t pk) {
  std::string url;
  std::string_view pattern = admin.view_on_site;
  while (!pattern.empty()) {
    const auto open = pattern.find('{');
    const auto close = pattern.find('}', open);
    if (open == std::string_view::npos || close == std::string_view::npos) {
      url += pattern;
      break;
    }
    url += pattern.substr(0, open);
    QueryBuilder builder(*admin.model);
    const auto expression = builder.expression(pattern.substr(open + 1, close - open - 1));
    const auto result = connection.query(
        "SELECT " + expression + " " + builder.from_clause() + " WHERE " + builder.primary_key() + " = ?", {pk});
    if (result.empty() || result.rows.front().is_null(0)) {
      return {};
    }
    url += http::percent_encode_segment(value_text(result.rows.front().value(0)));
    pattern.remove_prefix(close + 1);
  }
  return url;
}

bool is_valid_username(std::string_view username) {
  return !username.empty() && std::ranges::all_of(username, [](char character) {
    const auto byte = static_cast<unsigned char>(character);
    return byte >= 0x80 || std::isalnum(byte) != 0 || character == '@' || character == '.' || character == '+' ||
           character == '-' || character == '_';
  });
}

std::size_t character_count(std::string_view text) {
  return static_cast<std::size_t>(std::ranges::count_if(
      text, [](char character) { return (static_cast<unsigned char>(character) & 0xC0U) != 0x80U; }));
}

std::string strip(std::string_view text) {
  constexpr std::string_view whitespace = " \t\n\r\f\v";
  const auto first = text.find_first_not_of(whitespace);
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(whitespace);
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace ocl::admin
