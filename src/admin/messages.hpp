#pragma once
/// @file
/// @brief One-time notices shown after a redirect ("The letting “X” was added successfully."),
/// carried in a signed "messages" cookie as Django's cookie message storage does.

#include <string_view>

#include "app/services.hpp"
#include "http/context.hpp"
#include "templates/engine.hpp"

namespace ocl::admin {

/// @brief Adds a notice to a (redirect) response; `level` is "success", "warning" or "error".
void add_message(http::Response& response, const app::Services& services, std::string_view level,
                 std::string_view text);

/// @brief The notices the request carries, as a template list of {level, text}; empty when none or tampered with.
templates::Data take_messages(const app::Services& services, const http::Context& context);

/// @brief Expires the notices cookie on `response` when the request carried one (they are shown once).
void clear_messages(const app::Services& services, const http::Context& context, http::Response& response);

}  // namespace ocl::admin
