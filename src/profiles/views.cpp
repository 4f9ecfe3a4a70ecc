#include "profiles/views.hpp"

#include "http/errors.hpp"
#include "site/page.hpp"

namespace ocl::profiles {

templates::Data index_data(std::span<const std::string> usernames, const http::Router& router) {
  auto data = site::page_data("Profiles", site::Section::profiles);
  templates::Data items{templates::Data::type::list};
  for (const auto& username : usernames) {
    templates::Data item{templates::Data::type::object};
    item.set("username", username);
    item.set("url", router.reverse("profiles:profile", {{"username", username}}));
    items.push_back(item);
  }
  data.set("profiles", items);
  return data;
}

templates::Data profile_data(const Profile& profile, const http::Router& router) {
  auto data = site::page_data(profile.username, site::Section::profiles);
  data.set("username", profile.username);
  // Mustache treats "" as true in sections: leave empty fields out so the page shows its placeholder.
  for (const auto& [name, value] : {std::pair<const char*, const std::string&>{"first_name", profile.first_name},
                                    {"last_name", profile.last_name},
                                    {"email", profile.email},
                                    {"favorite_city", profile.favorite_city}}) {
    if (!value.empty()) {
      data.set(name, value);
    }
  }
  data.set("profiles_url", router.reverse("profiles:index"));
  return data;
}

http::Response index(const app::Services& services, http::Context& context) {
  auto connection = services.database.lease();
  const auto usernames = ProfileRepository{*connection}.list_usernames();
  return site::render_page(services, context.request, "profiles/index", index_data(usernames, services.router));
}

http::Response profile(const app::Services& services, http::Context& context) {
  auto connection = services.database.lease();
  const auto found = ProfileRepository{*connection}.find(context.params.text("username"));
  if (!found) {
    throw http::NotFound("no such profile");
  }
  return site::render_page(services, context.request, "profiles/profile", profile_data(*found, services.router));
}

}  // namespace ocl::profiles
