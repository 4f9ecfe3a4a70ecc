#include "admin/admin_log.hpp"
#include "admin/forms.hpp"
#include "admin/messages.hpp"
#include "admin/page.hpp"
#include "admin/views.hpp"
#include "auth/passwords.hpp"
#include "auth/validators.hpp"
#include "http/errors.hpp"
#include "http/responses.hpp"

namespace ocl::admin {
namespace {

using Data = templates::Data;

struct PasswordForm {
  std::string username;
  std::vector<std::string> username_errors;
  std::vector<std::string> password1_errors;
  std::vector<std::string> password2_errors;

  [[nodiscard]] bool valid() const {
    return username_errors.empty() && password1_errors.empty() && password2_errors.empty();
  }
  [[nodiscard]] std::size_t error_count() const {
    return username_errors.size() + password1_errors.size() + password2_errors.size();
  }
};

// Django's SetPasswordMixin: both required, equal, and accepted by the password validators.
void check_passwords(PasswordForm& form, const http::QueryParams& post, const auth::UserAttributes& user) {
  const auto password1 = std::string(http::find_param(post, "password1").value_or(""));
  const auto password2 = std::string(http::find_param(post, "password2").value_or(""));
  if (password1.empty()) {
    form.password1_errors.emplace_back("This field is required.");
  }
  if (password2.empty()) {
    form.password2_errors.emplace_back("This field is required.");
  }
  if (!password1.empty() && !password2.empty() && password1 != password2) {
    form.password2_errors.emplace_back("The two password fields didn\u2019t match.");
  }
  if (form.password1_errors.empty() && form.password2_errors.empty()) {
    form.password2_errors = auth::validate_password(password2, user);
  }
}

Data errors_data(const std::vector<std::string>& errors) {
  Data list{Data::type::list};
  for (const auto& error : errors) {
    list.push_back(Data{error});
  }
  return list;
}

http::Response render_password_form(const app::Services& services, http::Context& context,
                                    const auth::AdminRequest& request, const ModelAdmin& admin,
                                    const PasswordForm& form, const std::string& title, bool adding) {
  auto crumbs = model_crumbs(admin);
  crumbs.emplace_back(adding ? title : form.username, "");
  auto data = admin_page_data(title, request, crumbs);
  data.set("adding", flag(adding));
  data.set("username_value", form.username);
  data.set("username_errors", errors_data(form.username_errors));
  data.set("has_username_errors", flag(!form.username_errors.empty()));
  data.set("password1_errors", errors_data(form.password1_errors));
  data.set("has_password1_errors", flag(!form.password1_errors.empty()));
  data.set("password2_errors", errors_data(form.password2_errors));
  data.set("has_password2_errors", flag(!form.password2_errors.empty()));
  const auto errors = form.error_count();
  data.set("error_note", optional_text(errors == 0   ? ""
                                       : errors == 1 ? "Please correct the error below."
                                                     : "Please correct the errors below."));
  data.set("action", context.target.raw_path);
  return render_admin(services, context, "admin/user_password_form", data);
}

std::int64_t insert_user(db::Connection& connection, const std::string& username, const std::string& hash) {
  return connection
      .query(
          "INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, last_name, email, "
          "is_staff, is_active, date_joined) VALUES (?, NULL, FALSE, ?, '', '', '', FALSE, TRUE, ?) RETURNING id",
          {hash, username, utc_now()})
      .rows.at(0)
      .integer(0);
}

}  // namespace

http::Response user_add_view(const app::Services& services, http::Context& context, const auth::AdminRequest& request,
                             const ModelAdmin& admin) {
  const auto permissions = permissions_for(request.user, admin);
  require(permissions.add && permissions.change);
  const std::string title = "Add user";
  if (context.request.method() != http::Method::post) {
    return render_password_form(services, context, request, admin, {}, title, true);
  }
  const auto post = http::parse_query(context.request.body());
  auto connection = services.database.lease();
  auto username_admin = admin;
  username_admin.fields = {"username"};
  const auto bound = bind_form(*connection, username_admin, post, std::nullopt);
  PasswordForm form;
  form.username = bound.fields.front().value();
  form.username_errors = bound.fields.front().errors;
  check_passwords(form, post, {form.username, "", "", ""});
  if (!form.valid()) {
    return render_password_form(services, context, request, admin, form, title, true);
  }
  const auto hash = auth::make_password(std::string(http::find_param(post, "password1").value_or("")));
  const auto id = db::in_transaction(*connection, [&] {
    const auto created = insert_user(*connection, form.username, hash);
    write_log(*connection, {request.user.id, &admin, created, form.username, ActionFlag::addition, added_message()});
    return created;
  });
  const bool another = http::find_param(post, "_addanother").has_value();
  auto response = http::redirect_response(
      context.request, another ? admin.changelist_url() + "add/" : admin.object_url(id, "change"), false);
  add_message(response, services, "success",
              "The user \u201c" + form.username + "\u201d was added successfully. " +
                  (another ? "You may add another user below." : "You may edit it again below."));
  return response;
}

http::Response user_password_view(const app::Services& services, http::Context& context,
                                  const auth::AdminRequest& request, const ModelAdmin& admin) {
  require(permissions_for(request.user, admin).change);
  const auto id = context.params.integer("object_id");
  auto connection = services.database.lease();
  const auto found =
      connection->query("SELECT username, first_name, last_name, email FROM auth_user WHERE id = ?", {id});
  if (found.empty()) {
    throw http::NotFound("user not found");
  }
  const auto& row = found.rows.front();
  PasswordForm form;
  form.username = row.text(0);
  const auto title = "Change password: " + form.username;
  if (context.request.method() != http::Method::post) {
    return render_password_form(services, context, request, admin, form, title, false);
  }
  const auto post = http::parse_query(context.request.body());
  check_passwords(form, post, {row.text(0), row.text(1), row.text(2), row.text(3)});
  if (!form.valid()) {
    return render_password_form(services, context, request, admin, form, title, false);
  }
  const auto hash = auth::make_password(std::string(http::find_param(post, "password1").value_or("")));
  db::in_transaction(*connection, [&] {
    connection->execute("UPDATE auth_user SET password = ? WHERE id = ?", {hash, id});
    write_log(*connection, {request.user.id, &admin, id, form.username, ActionFlag::change,
                            R"([{"changed": {"fields": ["password"]}}])"});
  });
  auto response = http::redirect_response(context.request, admin.object_url(id, "change"), false);
  add_message(response, services, "success", "Password changed successfully.");
  return response;
}

}  // namespace ocl::admin
