#pragma once
/// @file
/// @brief The data every page's layout needs, and rendering a page into a response.

#include <string_view>

#include "app/services.hpp"
#include "http/message.hpp"
#include "templates/engine.hpp"

namespace ocl::site {

/// @brief Which navigation entry a page belongs to.
enum class Section { none, home, lettings, profiles };

/// @brief Layout data for a page: title, active navigation entry, version.
templates::Data page_data(std::string_view title, Section section);

/// @brief Renders `template_name` with `data` into an HTML response with `status`.
http::Response render_page(const app::Services& services, const http::Request& request, std::string_view template_name,
                           const templates::Data& data, http::Status status = http::Status::ok);

}  // namespace ocl::site
