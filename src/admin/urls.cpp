#include "admin/urls.hpp"

#include <set>

#include "admin/views.hpp"
#include "auth/guard.hpp"
#include "http/responses.hpp"

namespace ocl::admin {
namespace {

using http::Method;

void add_model_routes(http::Router& router, const app::Services& services, const ModelAdmin& admin) {
  const auto* s = &services;
  const auto* a = &admin;
  const auto base = admin.changelist_url();
  const auto name = "admin:" + admin.app_label() + "_" + admin.model_name() + "_";
  const auto guard = [s](auth::AdminView view) { return auth::require_staff(*s, std::move(view)); };
  router.add(name + "changelist", base,
             guard([s, a](http::Context& c, const auth::AdminRequest& r) { return changelist_view(*s, c, r, *a); }),
             {Method::get, Method::post});
  const bool is_user = admin.model->label() == "auth.user";
  router.add(name + "add", base + "add/", guard([s, a, is_user](http::Context& c, const auth::AdminRequest& r) {
               return is_user ? user_add_view(*s, c, r, *a) : add_view(*s, c, r, *a);
             }),
             {Method::get, Method::post});
  if (is_user) {
    router.add(
        "admin:auth_user_password_change", base + "<int:object_id>/password/",
        guard([s, a](http::Context& c, const auth::AdminRequest& r) { return user_password_view(*s, c, r, *a); }),
        {Method::get, Method::post});
  }
  router.add(name + "change", base + "<int:object_id>/change/",
             guard([s, a](http::Context& c, const auth::AdminRequest& r) { return change_view(*s, c, r, *a); }),
             {Method::get, Method::post});
  router.add(name + "delete", base + "<int:object_id>/delete/",
             guard([s, a](http::Context& c, const auth::AdminRequest& r) { return delete_view(*s, c, r, *a); }),
             {Method::get, Method::post});
  router.add(name + "history", base + "<int:object_id>/history/",
             guard([s, a](http::Context& c, const auth::AdminRequest& r) { return history_view(*s, c, r, *a); }));
  // Django redirects /admin/<app>/<model>/<pk>/ to the change page.
  router.add(name + "object", base + "<int:object_id>/", [a](http::Context& c) {
    return http::redirect_response(c.request, a->object_url(c.params.integer("object_id"), "change"), false);
  });
}

}  // namespace

void add_routes(http::Router& router, const app::Services& services) {
  const auto* s = &services;
  router.add("admin:index", "/admin/",
             auth::require_staff(services,
                                 [s](http::Context& c, const auth::AdminRequest& r) { return index_view(*s, c, r); }));
  std::set<std::string> apps;
  for (const auto& admin : registry()) {
    if (apps.insert(admin.app_label()).second) {
      const auto& label = admin.app_label();
      router.add("admin:app_list_" + label, "/admin/" + label + "/",
                 auth::require_staff(services, [s, label](http::Context& c, const auth::AdminRequest& r) {
                   return app_index_view(*s, c, r, label);
                 }));
    }
    add_model_routes(router, services, admin);
  }
}

}  // namespace ocl::admin
