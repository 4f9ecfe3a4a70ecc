#include <memory>

#include <spdlog/spdlog.h>

#include "auth/authentication.hpp"
#include "auth/cookies.hpp"
#include "auth/csrf.hpp"
#include "auth/guard.hpp"
#include "auth/login.hpp"
#include "auth/login_limits.hpp"
#include "auth/passwords.hpp"
#include "auth/sessions.hpp"
#include "auth/urls.hpp"
#include "auth/users.hpp"
#include "auth/validators.hpp"
#include "http/errors.hpp"
#include "http/responses.hpp"
#include "site/page.hpp"

namespace ocl::auth {
namespace {

using Clock = std::chrono::system_clock;

constexpr std::string_view invalid_login =
    "Please enter the correct username and password for a staff account. Note that both fields may be "
    "case-sensitive.";
constexpr std::string_view field_required = "This field is required.";
constexpr std::string_view busy_message = "Many people are signing in right now. Please try again in a few seconds.";

/// What the authentication views share: the throttle (its counts in the database) and this process's hashing gate.
struct AuthState {
  explicit AuthState(db::Database& database) : throttle(database) {}
  LoginThrottle throttle;
  HashingGate gate;
};

std::string form_value(const http::QueryParams& form, std::string_view name) {
  const auto value = http::find_param(form, name);
  return value ? std::string(*value) : std::string{};
}

std::string next_or_index(std::string_view next) {
  return is_safe_next(next) ? encode_location(next) : std::string(admin_index_path);
}

http::Response finish(const app::Services& services, http::Response response, std::string_view csrf_secret) {
  add_admin_headers(response, services.settings, csrf_secret);
  return response;
}

// ---- log in ----

struct LoginForm {
  std::string username;
  std::string next;
  std::string error;
  std::string notice;
  std::string username_error;
  std::string password_error;
};

http::Response login_page(const app::Services& services, const http::Context& context, const LoginForm& form,
                          std::string_view csrf_secret, http::Status status = http::Status::ok) {
  auto data = site::page_data("Log in", site::Section::none);
  data.set("action", std::string(login_path));
  data.set("csrf_token", mask_csrf_secret(csrf_secret));
  data.set("username", form.username);
  data.set("next", form.next);
  const std::pair<std::string_view, const std::string*> optional_values[] = {{"error", &form.error},
                                                                             {"notice", &form.notice},
                                                                             {"username_error", &form.username_error},
                                                                             {"password_error", &form.password_error}};
  for (const auto& [name, value] : optional_values) {
    if (!value->empty()) {
      data.set(std::string(name), *value);
    }
  }
  return finish(services, site::render_page(services, context.request, "admin/login", data, status), csrf_secret);
}

std::string not_authorized_notice(const std::string& username) {
  return "You are authenticated as " + username +
         ", but are not authorized to access this page. Would you like to login to a different account?";
}

http::Response show_login(const app::Services& services, http::Context& context) {
  const auto csrf = csrf_state(context.request);
  LoginForm form;
  form.next = form_value(context.query, "next");
  if (const auto signed_in = signed_in_user(services, context.request)) {
    if (signed_in->user.is_active && signed_in->user.is_staff) {
      return finish(services, http::redirect_response(context.request, next_or_index(form.next), false), csrf.secret);
    }
    form.notice = not_authorized_notice(signed_in->user.username);
  }
  return login_page(services, context, form, csrf.secret);
}

http::Response signed_in_redirect(const app::Services& services, const http::Context& context,
                                  const std::string& session_key, const std::string& next) {
  auto response = http::redirect_response(context.request, next_or_index(next), false);
  // Django's login() rotates the CSRF secret as well as the session key.
  add_admin_headers(response, services.settings, new_csrf_secret());
  response.insert(http::HeaderField::set_cookie, session_cookie(session_key, services.settings));
  return response;
}

bool missing_fields(LoginForm& form, const std::string& password) {
  if (form.username.empty()) form.username_error = field_required;
  if (password.empty()) form.password_error = field_required;
  return form.username.empty() || password.empty();
}

void note_failure(AuthState& state, const LoginForm& form, const std::string& client) {
  if (state.throttle.record_failure(form.username, client)) {
    spdlog::warn("sign-in locked for {} minutes after repeated failures: username='{}' client={}",
                 state.throttle.limits().lockout.count() / 60, form.username.substr(0, 150), client);
  }
}

http::Response throttled_page(const app::Services& services, const http::Context& context, LoginForm form,
                              std::chrono::seconds wait, std::string_view csrf_secret) {
  const auto minutes = (wait.count() + 59) / 60;
  spdlog::warn("sign-in refused (throttled): username='{}' client={}", form.username.substr(0, 150),
               context.client_address);
  form.error = "Too many failed login attempts. Please try again in " + std::to_string(minutes) +
               (minutes == 1 ? " minute." : " minutes.");
  auto response = login_page(services, context, form, csrf_secret, http::Status::too_many_requests);
  response.set(http::HeaderField::retry_after, std::to_string(wait.count()));
  return response;
}

http::Response submit_login(const app::Services& services, AuthState& state, http::Context& context) {
  enforce_csrf(context);
  const auto csrf = csrf_state(context.request);
  const auto posted = http::parse_query(context.request.body());
  LoginForm form;
  form.username = form_value(posted, "username");
  form.next = http::find_param(posted, "next") ? form_value(posted, "next") : form_value(context.query, "next");
  const auto password = form_value(posted, "password");
  if (missing_fields(form, password)) {
    return login_page(services, context, form, csrf.secret);
  }
  if (const auto wait = state.throttle.refused_for(form.username, context.client_address)) {
    return throttled_page(services, context, form, *wait, csrf.secret);
  }
  auto ticket = state.gate.try_admit();
  if (!ticket) {
    form.error = busy_message;
    auto response = login_page(services, context, form, csrf.secret, http::Status::service_unavailable);
    response.set(http::HeaderField::retry_after, "2");
    return response;
  }
  const auto user = authenticate(services.database, *ticket, form.username, password);
  if (!user || !user->is_staff) {
    note_failure(state, form, context.client_address);
    form.error = invalid_login;
    return login_page(services, context, form, csrf.secret);
  }
  state.throttle.record_success(form.username, context.client_address);
  const auto key = open_session(services.database, services.settings.secret_key, user->id,
                                find_cookie(context.request, session_cookie_name));
  spdlog::info("user {} signed in to the admin from {}", user->id, context.client_address);
  return signed_in_redirect(services, context, key, form.next);
}

// ---- log out ----

http::Response logout(const app::Services& services, http::Context& context) {
  enforce_csrf(context);
  const auto csrf = csrf_state(context.request);
  if (const auto key = find_cookie(context.request, session_cookie_name)) {
    auto connection = services.database.lease();
    SessionStore(*connection, services.settings.secret_key).remove(*key);
  }
  auto data = site::page_data("Logged out", site::Section::none);
  data.set("login_url", std::string(login_path));
  auto response = site::render_page(services, context.request, "admin/logged_out", data);
  response.insert(http::HeaderField::set_cookie, delete_cookie_value(session_cookie_name, !services.settings.debug));
  return finish(services, std::move(response), csrf.secret);
}

// ---- password change ----

struct PasswordChangeForm {
  std::string old_password_error;
  std::vector<std::string> new_password1_errors;
  std::vector<std::string> new_password2_errors;
  std::string notice;
};

templates::Data error_list(const std::vector<std::string>& errors) {
  templates::Data list{templates::Data::type::list};
  for (const auto& error : errors) {
    list.push_back(templates::Data(error));
  }
  return list;
}

http::Response password_change_page(const app::Services& services, const http::Context& context,
                                    const AdminRequest& admin, const PasswordChangeForm& form,
                                    http::Status status = http::Status::ok) {
  auto data = site::page_data("Password change", site::Section::none);
  data.set("csrf_token", admin.csrf_token);
  data.set("username", admin.user.username);
  data.set("action", std::string(context.target.raw_path));
  if (!form.old_password_error.empty()) data.set("old_password_error", form.old_password_error);
  if (!form.new_password1_errors.empty()) {
    data.set("new_password1_invalid", templates::Data::type::bool_true);
    data.set("new_password1_errors", error_list(form.new_password1_errors));
  }
  if (!form.new_password2_errors.empty()) {
    data.set("new_password2_invalid", templates::Data::type::bool_true);
    data.set("new_password2_errors", error_list(form.new_password2_errors));
  }
  if (!form.notice.empty()) data.set("notice", form.notice);
  const bool has_errors =
      !form.old_password_error.empty() || !form.new_password1_errors.empty() || !form.new_password2_errors.empty();
  if (has_errors) data.set("has_errors", templates::Data::type::bool_true);
  return site::render_page(services, context.request, "admin/password_change_form", data, status);
}

UserAttributes attributes_of(const User& user) {
  return {user.username, user.first_name, user.last_name, user.email};
}

/// Checks the three fields as Django's PasswordChangeForm does; fills `form` with the problems.
void validate_change(HashingGate::Ticket& ticket, const User& user, const http::QueryParams& posted,
                     PasswordChangeForm& form) {
  const auto old_password = form_value(posted, "old_password");
  const auto new_password1 = form_value(posted, "new_password1");
  const auto new_password2 = form_value(posted, "new_password2");
  if (old_password.empty()) {
    form.old_password_error = field_required;
  } else if (!ticket.run([&] { return check_password(old_password, user.password); })) {
    form.old_password_error = "Your old password was entered incorrectly. Please enter it again.";
  }
  if (new_password1.empty()) form.new_password1_errors.emplace_back(field_required);
  if (new_password2.empty()) {
    form.new_password2_errors.emplace_back(field_required);
  } else if (!new_password1.empty() && new_password1 != new_password2) {
    form.new_password2_errors.emplace_back("The two password fields didn\u2019t match.");
  } else if (!new_password1.empty()) {
    form.new_password2_errors = validate_password(new_password2, attributes_of(user));
  }
}

/// Stores the new hash and moves this sign-in to a new session with the new hash (update_session_auth_hash);
/// every other session of the user stops working.
std::string store_new_password(const app::Services& services, const AdminRequest& admin, const std::string& new_hash) {
  const auto now = Clock::now();
  auto connection = services.database.lease();
  return db::in_transaction(*connection, [&] {
    set_password_hash(*connection, admin.user.id, new_hash);
    SessionStore store(*connection, services.settings.secret_key);
    store.remove(admin.session_key);
    return store.create(login_session_data(admin.user.id, new_hash, services.settings.secret_key), now);
  });
}

http::Response password_change(const app::Services& services, AuthState& state, http::Context& context,
                               const AdminRequest& admin) {
  PasswordChangeForm form;
  if (context.request.method() != http::Method::post) {
    return password_change_page(services, context, admin, form);
  }
  auto ticket = state.gate.try_admit();
  if (!ticket) {
    form.notice = busy_message;
    return password_change_page(services, context, admin, form, http::Status::service_unavailable);
  }
  const auto user = [&] {
    auto connection = services.database.lease();
    return find_user(*connection, admin.user.id);
  }();
  if (!user) {
    throw http::HttpError(http::Status::forbidden, "the user no longer exists");
  }
  const auto posted = http::parse_query(context.request.body());
  validate_change(*ticket, *user, posted, form);
  if (!form.old_password_error.empty() || !form.new_password1_errors.empty() || !form.new_password2_errors.empty()) {
    return password_change_page(services, context, admin, form);
  }
  const auto new_hash = ticket->run([&] { return make_password(form_value(posted, "new_password1")); });
  const auto key = store_new_password(services, admin, new_hash);
  spdlog::info("user {} changed their password", admin.user.id);
  auto response = http::redirect_response(context.request, "/admin/password_change/done/", false);
  response.insert(http::HeaderField::set_cookie, session_cookie(key, services.settings));
  return response;
}

http::Response password_change_done(const app::Services& services, http::Context& context, const AdminRequest& admin) {
  auto data = site::page_data("Password change successful", site::Section::none);
  data.set("username", admin.user.username);
  data.set("index_url", std::string(admin_index_path));
  return site::render_page(services, context.request, "admin/password_change_done", data);
}

}  // namespace

void add_routes(http::Router& router, const app::Services& services) {
  const auto* s = &services;
  auto state = std::make_shared<AuthState>(services.database);
  router.add("admin:login", std::string(login_path),
             [s, state](http::Context& c) {
               return c.request.method() == http::Method::post ? submit_login(*s, *state, c) : show_login(*s, c);
             },
             {http::Method::get, http::Method::post});
  router.add("admin:logout", "/admin/logout/", [s](http::Context& c) { return logout(*s, c); }, {http::Method::post});
  router.add(
      "admin:password_change", "/admin/password_change/",
      require_staff(services, [s, state](http::Context& c,
                                         const AdminRequest& admin) { return password_change(*s, *state, c, admin); }),
      {http::Method::get, http::Method::post});
  router.add("admin:password_change_done", "/admin/password_change/done/",
             require_staff(services, [s](http::Context& c, const AdminRequest& admin) {
               return password_change_done(*s, c, admin);
             }));
}

}  // namespace ocl::auth
