#include "site/page.hpp"

#include "config/version.hpp"
#include "http/responses.hpp"

namespace ocl::site {

templates::Data page_data(std::string_view title, Section section) {
  templates::Data data{templates::Data::type::object};
  data.set("page_title", std::string(title));
  data.set("version", std::string(config::version()));
  data.set("nav_home", section == Section::home ? templates::Data::type::bool_true : templates::Data::type::bool_false);
  data.set("nav_lettings",
           section == Section::lettings ? templates::Data::type::bool_true : templates::Data::type::bool_false);
  data.set("nav_profiles",
           section == Section::profiles ? templates::Data::type::bool_true : templates::Data::type::bool_false);
  return data;
}

http::Response render_page(const app::Services& services, const http::Request& request, std::string_view template_name,
                           const templates::Data& data, http::Status status) {
  return http::html_response(request, status, services.templates.render(template_name, data));
}

}  // namespace ocl::site
