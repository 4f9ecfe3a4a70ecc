#include "profiles/urls.hpp"

#include "http/responses.hpp"
#include "profiles/views.hpp"

namespace ocl::profiles {

void add_routes(http::Router& router, const app::Services& services) {
  const auto* s = &services;
  router.add("profiles:index", "/profiles/", [s](http::Context& c) { return index(*s, c); }).cached();
  router.add("profiles:profile", "/profiles/<str:username>/", [s](http::Context& c) { return profile(*s, c); })
      .cached();
  // The Django site served profiles at /profiles/profiles/<username>/: keep old links working.
  router.add("profiles:legacy-profile", "/profiles/profiles/<str:username>/", [s](http::Context& c) {
    const auto& username = c.params.text("username");
    return http::redirect_response(c.request, s->router.reverse("profiles:profile", {{"username", username}}), true);
  });
}

}  // namespace ocl::profiles
