#include <spdlog/spdlog.h>

#include "admin/admin_log.hpp"
#include "admin/deletion.hpp"
#include "admin/forms.hpp"
#include "admin/messages.hpp"
#include "admin/page.hpp"
#include "admin/views.hpp"
#include "http/errors.hpp"
#include "http/responses.hpp"

namespace ocl::admin {
namespace {

using Data = templates::Data;

Data choices_data(const FormField& field) {
  Data choices{Data::type::list};
  for (const auto& choice : field.choices) {
    Data item{Data::type::object};
    item.set("value", choice.value);
    item.set("label", choice.label);
    item.set("selected", flag(std::ranges::find(field.values, choice.value) != field.values.end()));
    choices.push_back(item);
  }
  return choices;
}

// What a read-only field shows: the chosen labels, Yes/No, or the text.
std::string display_text(const FormField& field) {
  if (field.widget == Widget::checkbox) {
    return field.value() == "1" ? "Yes" : "No";
  }
  if (field.widget == Widget::select || field.widget == Widget::select_multiple) {
    std::vector<std::string> labels;
    for (const auto& choice : field.choices) {
      if (std::ranges::find(field.values, choice.value) != field.values.end()) {
        labels.push_back(choice.label);
      }
    }
    return labels.empty() ? "-" : text_list(labels, ",");
  }
  return field.value().empty() ? "-" : field.value();
}

Data field_data(const ModelAdmin& admin, const FormField& field) {
  Data item{Data::type::object};
  item.set("name", field.name);
  item.set("id", "id_" + field.name);
  item.set("label", field.label);
  item.set("required", flag(field.required && !field.readonly));
  item.set("readonly", flag(field.readonly));
  item.set("value", field.value());
  item.set("display", display_text(field));
  item.set("is_text", flag(field.widget == Widget::text));
  item.set("is_number", flag(field.widget == Widget::number));
  item.set("is_checkbox", flag(field.widget == Widget::checkbox));
  item.set("is_select", flag(field.widget == Widget::select));
  item.set("is_multiple", flag(field.widget == Widget::select_multiple));
  item.set("checked", flag(field.value() == "1"));
  item.set("maxlength", optional_text(field.field->max_length ? std::to_string(*field.field->max_length) : ""));
  item.set("min", optional_text(field.field->min_value ? std::to_string(*field.field->min_value) : ""));
  item.set("max", optional_text(field.field->max_value ? std::to_string(*field.field->max_value) : ""));
  item.set("choices", choices_data(field));
  const auto* rule = admin.rule(field.name);
  item.set("help_text", optional_text(rule != nullptr ? rule->help_text : ""));
  Data errors{Data::type::list};
  for (const auto& error : field.errors) {
    errors.push_back(Data{error});
  }
  item.set("errors", errors);
  item.set("has_errors", flag(!field.errors.empty()));
  return item;
}

Data readonly_extras(const ModelAdmin& admin, const FormValues& values) {
  Data list{Data::type::list};
  for (const auto& name : admin.readonly_fields) {
    Data item{Data::type::object};
    item.set("label", capitalize_first(admin.model->field(name)->verbose_name));
    const auto found = values.find(name);
    const auto text = found == values.end() || found->second.empty() ? "" : found->second.front();
    item.set("display", text.empty() ? "-" : text.substr(0, 19));
    list.push_back(item);
  }
  return list;
}

struct FormPage {
  std::string title;
  std::optional<std::int64_t> pk;
  std::string repr;
  bool readonly = false;
  FormValues stored;  ///< for read-only extras on change pages
};

http::Response render_form(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                           const ModelAdmin& admin, const Form& form, const FormPage& page,
                           db::Connection& connection) {
  auto crumbs = model_crumbs(admin);
  crumbs.emplace_back(page.pk ? page.repr : page.title, "");
  auto data = admin_page_data(page.title, request, crumbs);
  const auto permissions = permissions_for(request.user, admin);
  Data fields{Data::type::list};
  for (const auto& field : form.fields) {
    fields.push_back(field_data(admin, field));
  }
  data.set("fields", fields);
  data.set("readonly_fields", readonly_extras(admin, page.stored));
  data.set("object_repr", optional_text(page.repr));
  data.set("readonly", flag(page.readonly));
  const auto errors = form.error_count();
  data.set("error_note", optional_text(errors == 0   ? ""
                                       : errors == 1 ? "Please correct the error below."
                                                     : "Please correct the errors below."));
  data.set("action", context.target.raw_path);
  data.set("show_add_another", flag(permissions.add));
  data.set("history_url", optional_text(page.pk ? admin.object_url(*page.pk, "history") : ""));
  data.set("delete_url", optional_text(page.pk && permissions.remove ? admin.object_url(*page.pk, "delete") : ""));
  data.set("site_url", optional_text(page.pk ? view_on_site_url(connection, admin, *page.pk) : ""));
  data.set("password_url", optional_text(page.pk && admin.model->label() == "auth.user" && !page.readonly
                                             ? admin.object_url(*page.pk, "password")
                                             : ""));
  data.set("close_url", permissions.view ? admin.changelist_url() : "/admin/");
  data.set("messages", take_messages(services, context));
  const auto status = http::Status::ok;
  auto response = render_admin(services, context, "admin/change_form", data, status);
  clear_messages(services, context, response);
  return response;
}

// Where Django sends the user after saving, and the notice it shows there.
http::Response after_save(const app::Services& services, const http::Context& context, const ModelAdmin& admin,
                          std::int64_t pk, const std::string& repr, bool added, const auth::CurrentUser& user) {
  const auto post = http::parse_query(context.request.body());
  const auto name = admin.model->verbose_name;
  const auto done = "The " + name + " \u201c" + repr + "\u201d was " + (added ? "added" : "changed") + " successfully.";
  std::string location;
  std::string text = done;
  if (http::find_param(post, "_continue")) {
    location = admin.object_url(pk, "change");
    text += " You may edit it again below.";
  } else if (http::find_param(post, "_addanother")) {
    location = admin.changelist_url() + "add/";
    text += " You may add another " + name + " below.";
  } else {
    location = permissions_for(user, admin).view ? admin.changelist_url() : "/admin/";
  }
  auto response = http::redirect_response(context.request, location, false);
  add_message(response, services, "success", text);
  return response;
}

std::int64_t object_id(const http::Context& context) {
  return context.params.integer("object_id");
}

/// The object's display text; 404 when there is no such object.
std::string existing_repr(db::Connection& connection, const ModelAdmin& admin, std::int64_t pk) {
  auto repr = object_repr(connection, admin, pk);
  if (!repr) {
    throw http::NotFound(admin.model->verbose_name + " not found");
  }
  return *repr;
}

FormValues existing_values(db::Connection& connection, const ModelAdmin& admin, std::int64_t pk) {
  auto values = load_values(connection, admin, pk);
  if (!values) {
    throw http::NotFound(admin.model->verbose_name + " not found");
  }
  return *values;
}

// Saves a valid form and logs it in one transaction; nullopt when a constraint raced the validation.
std::optional<std::int64_t> save_and_log(db::Connection& connection, const ModelAdmin& admin, const Form& form,
                                         std::optional<std::int64_t> pk, const auth::CurrentUser& user,
                                         const FormValues& before) {
  try {
    return db::in_transaction(connection, [&] {
      const auto id = save_form(connection, admin, form, pk);
      const auto message = pk ? changed_message(changed_labels(form, before)) : added_message();
      write_log(connection, {user.id, &admin, id, object_repr(connection, admin, id).value_or(""),
                             pk ? ActionFlag::change : ActionFlag::addition, message});
      return id;
    });
  } catch (const db::ConstraintError& error) {
    spdlog::warn("admin save of {} refused by the database: {}", admin.model->label(), error.what());
    return std::nullopt;
  }
}

Data deleted_objects_data(const DeletionPlan& plan) {
  Data objects{Data::type::list};
  for (const auto& object : plan.objects) {
    Data item{Data::type::object};
    item.set("model", capitalize_first(object.model->verbose_name));
    item.set("repr", object.repr);
    item.set("url", optional_text(object.change_url));
    item.set("depth", std::to_string(std::min(object.depth, 3)));
    objects.push_back(item);
  }
  return objects;
}

Data summary_data(const DeletionPlan& plan) {
  Data summary{Data::type::list};
  for (const auto& [plural, count] : plan.summary) {
    Data item{Data::type::object};
    item.set("label", plural);
    item.set("count", std::to_string(count));
    summary.push_back(item);
  }
  return summary;
}

Data delete_page_data(const auth::AdminRequest& request, const ModelAdmin& admin, const DeletionPlan& plan,
                      const std::string& title, const std::vector<Crumb>& extra_crumbs) {
  auto crumbs = model_crumbs(admin);
  crumbs.insert(crumbs.end(), extra_crumbs.begin(), extra_crumbs.end());
  auto data = admin_page_data(title, request, crumbs);
  data.set("objects", deleted_objects_data(plan));
  data.set("summary", summary_data(plan));
  Data needed{Data::type::list};
  for (const auto& name : plan.perms_needed) {
    needed.push_back(Data{name});
  }
  data.set("perms_needed", needed);
  data.set("blocked", flag(!plan.perms_needed.empty()));
  data.set("model_name", admin.model->verbose_name);
  data.set("model_plural", admin.model->verbose_name_plural);
  return data;
}

}  // namespace

http::Response add_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                        const ModelAdmin& admin) {
  require(permissions_for(request.user, admin).add);
  auto connection = services.database.lease();
  const FormPage page{"Add " + admin.model->verbose_name, std::nullopt, {}, false, {}};
  if (context.request.method() != http::Method::post) {
    return render_form(services, context, request, admin, make_form(*connection, admin, {}, false), page, *connection);
  }
  const auto post = http::parse_query(context.request.body());
  auto form = bind_form(*connection, admin, post, std::nullopt);
  if (form.valid()) {
    if (const auto pk = save_and_log(*connection, admin, form, std::nullopt, request.user, {})) {
      return after_save(services, context, admin, *pk, object_repr(*connection, admin, *pk).value_or(""), true,
                        request.user);
    }
    form = bind_form(*connection, admin, post, std::nullopt);
  }
  return render_form(services, context, request, admin, form, page, *connection);
}

http::Response change_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                           const ModelAdmin& admin) {
  const auto permissions = permissions_for(request.user, admin);
  require(permissions.view);
  const auto pk = object_id(context);
  auto connection = services.database.lease();
  const auto stored = existing_values(*connection, admin, pk);
  const bool readonly = !permissions.change;
  const FormPage page{(readonly ? "View " : "Change ") + admin.model->verbose_name, pk,
                      object_repr(*connection, admin, pk).value_or(""), readonly, stored};
  if (context.request.method() != http::Method::post) {
    return render_form(services, context, request, admin, make_form(*connection, admin, stored, readonly), page,
                       *connection);
  }
  require(permissions.change);
  const auto post = http::parse_query(context.request.body());
  auto form = bind_form(*connection, admin, post, pk);
  if (form.valid()) {
    if (save_and_log(*connection, admin, form, pk, request.user, stored)) {
      return after_save(services, context, admin, pk, object_repr(*connection, admin, pk).value_or(""), false,
                        request.user);
    }
    form = bind_form(*connection, admin, post, pk);
  }
  return render_form(services, context, request, admin, form, page, *connection);
}

http::Response delete_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                           const ModelAdmin& admin) {
  require(permissions_for(request.user, admin).remove);
  const auto pk = object_id(context);
  auto connection = services.database.lease();
  const auto repr = existing_repr(*connection, admin, pk);
  const auto plan = plan_deletion(*connection, admin, {pk}, request.user);
  if (context.request.method() == http::Method::post) {
    require(plan.perms_needed.empty());
    db::in_transaction(*connection, [&] {
      write_log(*connection, {request.user.id, &admin, pk, repr, ActionFlag::deletion, ""});
      delete_cascade(*connection, *admin.model, pk);
    });
    auto response = http::redirect_response(
        context.request, permissions_for(request.user, admin).view ? admin.changelist_url() : "/admin/", false);
    add_message(response, services, "success",
                "The " + admin.model->verbose_name + " \u201c" + repr + "\u201d was deleted successfully.");
    return response;
  }
  auto data =
      delete_page_data(request, admin, plan, "Are you sure?", {{repr, admin.object_url(pk, "change")}, {"Delete", ""}});
  data.set("object_repr", optional_text(repr));
  data.set("single", flag(true));
  data.set("cancel_url", admin.object_url(pk, "change"));
  data.set("action", context.target.raw_path);
  return render_admin(services, context, "admin/delete_confirmation", data);
}

http::Response delete_selected(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                               const ModelAdmin& admin, const std::vector<std::int64_t>& ids,
                               const http::QueryParams& post) {
  require(permissions_for(request.user, admin).remove);
  auto connection = services.database.lease();
  std::vector<std::pair<std::int64_t, std::string>> objects;
  for (const auto id : ids) {
    if (const auto repr = object_repr(*connection, admin, id)) {
      objects.emplace_back(id, *repr);
    }
  }
  std::vector<std::int64_t> existing;
  existing.reserve(objects.size());
  for (const auto& object : objects) {
    existing.push_back(object.first);
  }
  const auto plan = plan_deletion(*connection, admin, existing, request.user);
  if (http::find_param(post, "post").value_or("") == "yes") {
    require(plan.perms_needed.empty());
    db::in_transaction(*connection, [&] {
      for (const auto& [id, repr] : objects) {
        write_log(*connection, {request.user.id, &admin, id, repr, ActionFlag::deletion, ""});
        delete_cascade(*connection, *admin.model, id);
      }
    });
    auto response = http::redirect_response(context.request, admin.changelist_url(), false);
    const auto count = static_cast<std::int64_t>(objects.size());
    add_message(response, services, "success",
                "Successfully deleted " + std::to_string(count) + " " +
                    (count == 1 ? admin.model->verbose_name : admin.model->verbose_name_plural) + ".");
    return response;
  }
  auto data = delete_page_data(request, admin, plan, "Are you sure?", {{"Delete multiple objects", ""}});
  data.set("single", flag(false));
  Data hidden{Data::type::list};
  for (const auto id : existing) {
    hidden.push_back(Data{std::to_string(id)});
  }
  data.set("selected", hidden);
  data.set("cancel_url", admin.changelist_url());
  data.set("action", admin.changelist_url());
  return render_admin(services, context, "admin/delete_confirmation", data);
}

http::Response history_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                            const ModelAdmin& admin) {
  require(permissions_for(request.user, admin).view);
  const auto pk = object_id(context);
  auto connection = services.database.lease();
  const auto repr = existing_repr(*connection, admin, pk);
  auto crumbs = model_crumbs(admin);
  crumbs.emplace_back(repr, admin.object_url(pk, "change"));
  crumbs.emplace_back("History", "");
  auto data = admin_page_data("Change history: " + repr, request, crumbs);
  Data entries{Data::type::list};
  for (const auto& entry : object_history(*connection, admin, pk)) {
    Data item{Data::type::object};
    item.set("time", entry.action_time);
    item.set("user", entry.username);
    item.set("action", describe_change(entry));
    entries.push_back(item);
  }
  data.set("has_entries", flag(!entries.is_empty_list()));
  data.set("entries", entries);
  data.set("object_repr", optional_text(repr));
  return render_admin(services, context, "admin/object_history", data);
}

}  // namespace ocl::admin
