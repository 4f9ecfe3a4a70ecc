#include "auth/guard.hpp"

#include "auth/authentication.hpp"
#include "auth/csrf.hpp"
#include "http/responses.hpp"

namespace ocl::auth {
http::Handler require_staff(const app::Services& services, AdminView view) {
  return [&services, view = std::move(view)](http::Context& context) {
    enforce_csrf(context);
    const auto csrf = csrf_state(context.request);
    auto signed_in = signed_in_user(services, context.request);
    http::Response response;
    if (!signed_in || !signed_in->user.is_active || !signed_in->user.is_staff) {
      response = http::redirect_response(context.request, login_url_for(context), false);
    } else {
      AdminRequest admin{std::move(signed_in->user), mask_csrf_secret(csrf.secret)};
      admin.session_key = std::move(signed_in->session_key);
      response = view(context, admin);
    }
    add_admin_headers(response, services.settings, csrf.secret);
    return response;
  };
}

}  // namespace ocl::auth
