#include "lettings/urls.hpp"

#include "http/responses.hpp"
#include "lettings/views.hpp"

namespace ocl::lettings {

void add_routes(http::Router& router, const app::Services& services) {
  const auto* s = &services;
  router.add("lettings:index", "/lettings/", [s](http::Context& c) { return index(*s, c); }).cached();
  router.add("lettings:letting", "/lettings/<int:letting_id>/", [s](http::Context& c) { return letting(*s, c); })
      .cached();
  // The Django site served details at /lettings/lettings/<id>/: keep old links working.
  router.add("lettings:legacy-letting", "/lettings/lettings/<int:letting_id>/", [s](http::Context& c) {
    const auto& id = c.params.text("letting_id");
    return http::redirect_response(c.request, s->router.reverse("lettings:letting", {{"letting_id", id}}), true);
  });
}

}  // namespace ocl::lettings
