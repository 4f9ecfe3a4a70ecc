#include "admin/views.hpp"

#include "admin/admin_log.hpp"
#include "admin/change_list.hpp"
#include "admin/deletion.hpp"
#include "admin/forms.hpp"
#include "admin/messages.hpp"
#include "admin/page.hpp"
#include "admin/query_builder.hpp"
#include "http/errors.hpp"
#include "http/responses.hpp"

namespace ocl::admin {
namespace {

using Data = templates::Data;

Data model_entry(const ModelAdmin& admin, const Permissions& permissions) {
  Data entry{Data::type::object};
  entry.set("name", capitalize_first(admin.model->verbose_name_plural));
  entry.set("url", optional_text(permissions.view ? admin.changelist_url() : ""));
  entry.set("add_url", optional_text(permissions.add ? admin.changelist_url() + "add/" : ""));
  entry.set("view_only", flag(permissions.view && !permissions.change));
  return entry;
}

// The apps the user may see, each with its models, in registry order.
Data app_list(const auth::CurrentUser& user, std::string_view only_app) {
  Data apps{Data::type::list};
  Data current{Data::type::object};
  Data models{Data::type::list};
  std::string current_label;
  const auto flush = [&] {
    if (!current_label.empty() && !models.is_empty_list()) {
      current.set("models", models);
      apps.push_back(current);
    }
  };
  for (const auto& admin : registry()) {
    if ((!only_app.empty() && admin.app_label() != only_app) ||
        !user.has_module_perms(admin.app_label(), admin.model_name())) {
      continue;
    }
    if (admin.app_label() != current_label) {
      flush();
      current_label = admin.app_label();
      current = Data{Data::type::object};
      current.set("name", app_verbose_name(current_label));
      current.set("url", optional_text("/admin/" + current_label + "/"));
      models = Data{Data::type::list};
    }
    models.push_back(model_entry(admin, permissions_for(user, admin)));
  }
  flush();
  return apps;
}

Data recent_actions_data(db::Connection& connection, const auth::CurrentUser& user) {
  Data list{Data::type::list};
  for (const auto& entry : recent_actions(connection, user.id)) {
    Data item{Data::type::object};
    item.set("repr", entry.object_repr);
    const auto* admin = find_admin(entry.app_label, entry.model);
    const bool linked = admin != nullptr && entry.flag != ActionFlag::deletion && !entry.object_id.empty();
    item.set("url", optional_text(linked ? admin->changelist_url() + entry.object_id + "/change/" : ""));
    item.set("model", admin != nullptr      ? capitalize_first(admin->model->verbose_name)
                      : entry.model.empty() ? std::string("Unknown content")
                                            : capitalize_first(entry.model));
    item.set("action", entry.flag == ActionFlag::addition ? "Added"
                       : entry.flag == ActionFlag::change ? "Changed"
                                                          : "Deleted");
    item.set("icon", entry.flag == ActionFlag::addition ? "plus-circle"
                     : entry.flag == ActionFlag::change ? "pencil"
                                                        : "x-circle");
    list.push_back(item);
  }
  return list;
}

std::string cell_text(const db::Value& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    return std::to_string(*number);
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    return *text;
  }
  return "-";
}

bool is_boolean_column(const ModelAdmin& admin, const std::string& column) {
  const auto* field = admin.model->field(column);
  return field != nullptr && field->type == db::FieldType::boolean;
}

Data header_data(const ModelAdmin& admin, const ListParams& params) {
  Data headers{Data::type::list};
  for (std::size_t index = 0; index < admin.list_display.size(); ++index) {
    Data header{Data::type::object};
    header.set("label", column_label(admin, admin.list_display[index]));
    const auto active = std::ranges::find(params.sort, index, &SortKey::column);
    const bool ascending_now = active != params.sort.end() && active->ascending;
    auto toggled = params;
    toggled.page = 1;
    toggled.sort = {{index, !ascending_now}};
    header.set("sort_url", "?" + list_query_string(toggled));
    header.set("sorted", active == params.sort.end() ? "none" : (ascending_now ? "ascending" : "descending"));
    header.set("ascending", flag(active != params.sort.end() && ascending_now));
    header.set("descending", flag(active != params.sort.end() && !ascending_now));
    headers.push_back(header);
  }
  return headers;
}

Data rows_data(const ModelAdmin& admin, const ChangeListPage& page) {
  Data rows{Data::type::list};
  for (const auto& row : page.rows) {
    Data item{Data::type::object};
    item.set("pk", std::to_string(row.pk));
    item.set("url", optional_text(admin.object_url(row.pk, "change")));
    Data cells{Data::type::list};
    for (std::size_t index = 0; index < row.cells.size(); ++index) {
      Data cell{Data::type::object};
      const bool boolean = is_boolean_column(admin, admin.list_display[index]);
      cell.set("text", cell_text(row.cells[index]));
      cell.set("first", flag(index == 0));
      cell.set("boolean", flag(boolean));
      cell.set("yes", flag(boolean && cell_text(row.cells[index]) == "1"));
      cells.push_back(cell);
    }
    item.set("cells", cells);
    rows.push_back(item);
  }
  return rows;
}

Data filters_data(const ModelAdmin& admin, const ListParams& params) {
  Data filters{Data::type::list};
  for (const auto& field_name : admin.list_filter) {
    Data filter{Data::type::object};
    filter.set("title", admin.model->field(field_name)->verbose_name);
    const auto current = std::ranges::find(params.filters, field_name, &std::pair<std::string, bool>::first);
    Data choices{Data::type::list};
    for (const auto& [label, value] : std::vector<std::pair<std::string, int>>{{"All", -1}, {"Yes", 1}, {"No", 0}}) {
      auto changed = params;
      changed.page = 1;
      std::erase_if(changed.filters, [&](const auto& entry) { return entry.first == field_name; });
      if (value >= 0) {
        changed.filters.emplace_back(field_name, value == 1);
      }
      const bool selected = value < 0 ? current == params.filters.end()
                                      : current != params.filters.end() && current->second == (value == 1);
      Data choice{Data::type::object};
      choice.set("label", label);
      choice.set("url", optional_text("?" + list_query_string(changed)));
      choice.set("selected", flag(selected));
      choices.push_back(choice);
    }
    filter.set("choices", choices);
    filters.push_back(filter);
  }
  return filters;
}

Data pagination_data(const ListParams& params, const ChangeListPage& page) {
  Data pages{Data::type::list};
  for (std::int64_t number = 1; number <= page.page_count; ++number) {
    if (page.page_count > 10 && number > 2 && number < page.page_count - 1 && std::abs(number - page.page) > 2) {
      continue;
    }
    auto changed = params;
    changed.page = number;
    Data item{Data::type::object};
    item.set("number", std::to_string(number));
    item.set("url", optional_text("?" + list_query_string(changed)));
    item.set("current", flag(number == page.page));
    pages.push_back(item);
  }
  return pages;
}

std::string count_text(const ModelAdmin& admin, std::int64_t count) {
  return std::to_string(count) + " " + (count == 1 ? admin.model->verbose_name : admin.model->verbose_name_plural);
}

http::Response render_change_list(const app::Services& services, http::Context& context,
                                  const auth::AdminRequest& request, const ModelAdmin& admin, const ListParams& params,
                                  bool lookup_error) {
  const auto permissions = permissions_for(request.user, admin);
  auto connection = services.database.lease();
  const auto page = load_change_list(*connection, admin, params);
  const auto verb = permissions.change ? "change" : "view";
  auto data = admin_page_data("Select " + admin.model->verbose_name + " to " + verb, request,
                              {model_crumbs(admin).front(), {capitalize_first(admin.model->verbose_name_plural), ""}});
  data.set("model_plural", capitalize_first(admin.model->verbose_name_plural));
  data.set("add_url", optional_text(permissions.add ? admin.changelist_url() + "add/" : ""));
  data.set("add_label", "Add " + admin.model->verbose_name);
  data.set("searchable", flag(!admin.search_fields.empty()));
  data.set("search", params.search);
  data.set("searching", flag(!params.search.empty() || !params.filters.empty()));
  data.set("result_count", count_text(admin, page.result_count));
  data.set("full_count", std::to_string(page.full_count) + " total");
  data.set("clear_url", admin.changelist_url());
  data.set("headers", header_data(admin, params));
  data.set("rows", rows_data(admin, page));
  data.set("actions", flag(permissions.remove && !page.rows.empty()));
  data.set("filters", filters_data(admin, params));
  data.set("has_filters", flag(!admin.list_filter.empty()));
  data.set("pages", pagination_data(params, page));
  data.set("paginated", flag(page.page_count > 1));
  data.set("lookup_error", flag(lookup_error));
  data.set("messages", take_messages(services, context));
  data.set("hidden_filters", [&] {
    Data hidden{Data::type::list};
    for (const auto& [field, value] : params.filters) {
      Data item{Data::type::object};
      item.set("name", field + "__exact");
      item.set("value", value ? "1" : "0");
      hidden.push_back(item);
    }
    return hidden;
  }());
  auto response = render_admin(services, context, "admin/change_list", data);
  clear_messages(services, context, response);
  return response;
}

std::vector<std::int64_t> selected_ids(const http::QueryParams& post) {
  std::vector<std::int64_t> ids;
  for (const auto& [name, value] : post) {
    // Anything but a whole id is ignored, as Django's queryset filter would find nothing for it.
    if (const auto id = parse_integer(value); name == "_selected_action" && id) {
      ids.push_back(*id);
    }
  }
  return ids;
}

}  // namespace

http::Response index_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request) {
  auto data = admin_page_data("Site administration", request, {});
  data.set("apps", app_list(request.user, {}));
  auto connection = services.database.lease();
  const auto recent = recent_actions_data(*connection, request.user);
  data.set("recent_actions", recent);
  data.set("has_recent", flag(!recent.is_empty_list()));
  data.set("is_index", flag(true));
  data.set("messages", take_messages(services, context));
  auto response = render_admin(services, context, "admin/index", data);
  clear_messages(services, context, response);
  return response;
}

http::Response app_index_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                              std::string_view app_label) {
  const auto apps = app_list(request.user, app_label);
  if (apps.is_empty_list()) {
    throw http::HttpError(http::Status::forbidden, "no model of this app is visible");
  }
  const auto name = app_verbose_name(app_label);
  auto data = admin_page_data(name + " administration", request, {{name, ""}});
  data.set("apps", apps);
  return render_admin(services, context, "admin/index", data);
}

http::Response changelist_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                               const ModelAdmin& admin) {
  require(permissions_for(request.user, admin).view);
  if (context.request.method() == http::Method::post) {
    const auto post = http::parse_query(context.request.body());
    const auto ids = selected_ids(post);
    if (http::find_param(post, "action").value_or("") != "delete_selected" || ids.empty()) {
      auto response = http::redirect_response(context.request, admin.changelist_url(), false);
      add_message(response, services, "warning",
                  "Items must be selected in order to perform actions on them. No items have been changed.");
      return response;
    }
    return delete_selected(services, context, request, admin, ids, post);
  }
  const auto params = parse_list_params(admin, context.query);
  if (!params) {
    const bool error_page = context.query.size() == 1 && context.query.front().first == "e";
    if (!error_page) {
      return http::redirect_response(context.request, admin.changelist_url() + "?e=1", false);
    }
  }
  return render_change_list(services, context, request, admin, params.value_or(ListParams{}), !params.has_value());
}

}  // namespace ocl::admin
