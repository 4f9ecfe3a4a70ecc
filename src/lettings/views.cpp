#include "lettings/views.hpp"

#include "http/errors.hpp"
#include "site/page.hpp"

namespace ocl::lettings {

templates::Data index_data(std::span<const LettingSummary> lettings, const http::Router& router) {
  auto data = site::page_data("Lettings", site::Section::lettings);
  templates::Data items{templates::Data::type::list};
  for (const auto& letting : lettings) {
    templates::Data item{templates::Data::type::object};
    item.set("title", letting.title);
    item.set("url", router.reverse("lettings:letting", {{"letting_id", std::to_string(letting.id)}}));
    items.push_back(item);
  }
  data.set("lettings", items);
  return data;
}

templates::Data letting_data(const Letting& letting, const http::Router& router) {
  auto data = site::page_data(letting.title, site::Section::lettings);
  data.set("title", letting.title);
  templates::Data address{templates::Data::type::object};
  address.set("number", std::to_string(letting.address.number));
  address.set("street", letting.address.street);
  address.set("city", letting.address.city);
  address.set("state", letting.address.state);
  address.set("zip_code", std::to_string(letting.address.zip_code));
  address.set("country_iso_code", letting.address.country_iso_code);
  data.set("address", address);
  data.set("lettings_url", router.reverse("lettings:index"));
  return data;
}

http::Response index(const app::Services& services, http::Context& context) {
  auto connection = services.database.lease();
  const auto lettings = LettingRepository{*connection}.list_all();
  return site::render_page(services, context.request, "lettings/index", index_data(lettings, services.router));
}

http::Response letting(const app::Services& services, http::Context& context) {
  auto connection = services.database.lease();
  const auto found = LettingRepository{*connection}.find(context.params.integer("letting_id"));
  if (!found) {
    throw http::NotFound("no such letting");
  }
  return site::render_page(services, context.request, "lettings/letting", letting_data(*found, services.router));
}

}  // namespace ocl::lettings
