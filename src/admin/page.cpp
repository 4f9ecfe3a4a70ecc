#include "admin/page.hpp"

#include "http/errors.hpp"
#include "http/responses.hpp"

namespace ocl::admin {

templates::Data flag(bool value) {
  return value ? templates::Data::type::bool_true : templates::Data::type::bool_false;
}

templates::Data optional_text(const std::string& text) {
  if (text.empty()) {
    return templates::Data::type::bool_false;
  }
  return templates::Data{text};
}

templates::Data admin_page_data(std::string_view title, const auth::AdminRequest& request,
                                const std::vector<Crumb>& crumbs) {
  templates::Data data{templates::Data::type::object};
  data.set("page_title", std::string(title));
  data.set("title", std::string(title));
  data.set("username", request.user.username);
  data.set("csrf_token", request.csrf_token);
  templates::Data list{templates::Data::type::list};
  for (const auto& [label, url] : crumbs) {
    templates::Data crumb{templates::Data::type::object};
    crumb.set("label", label);
    crumb.set("url", optional_text(url));
    list.push_back(crumb);
  }
  data.set("crumbs", list);
  data.set("has_crumbs", flag(!crumbs.empty()));
  return data;
}

std::vector<Crumb> model_crumbs(const ModelAdmin& admin) {
  return {{app_verbose_name(admin.app_label()), "/admin/" + admin.app_label() + "/"},
          {capitalize_first(admin.model->verbose_name_plural), admin.changelist_url()}};
}

http::Response render_admin(const app::Services& services, const http::Context& context, std::string_view name,
                            const templates::Data& data, http::Status status) {
  return http::html_response(context.request, status, services.templates.render(name, data));
}

Permissions permissions_for(const auth::CurrentUser& user, const ModelAdmin& admin) {
  const auto& app = admin.app_label();
  const auto& model = admin.model_name();
  Permissions permissions;
  permissions.add = user.has_perm(app, "add_" + model);
  permissions.change = user.has_perm(app, "change_" + model);
  permissions.remove = user.has_perm(app, "delete_" + model);
  permissions.view = permissions.change || user.has_perm(app, "view_" + model);
  return permissions;
}

void require(bool allowed) {
  if (!allowed) {
    throw http::HttpError(http::Status::forbidden, "admin permission denied");
  }
}

}  // namespace ocl::admin
