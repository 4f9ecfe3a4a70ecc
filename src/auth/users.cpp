#include "auth/users.hpp"

#include "auth/sessions.hpp"

namespace ocl::auth {
namespace {

constexpr std::string_view user_columns =
    "SELECT id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, "
    "date_joined FROM auth_user ";

bool flag(const db::Row& row, std::size_t column) {
  return !row.is_null(column) && row.integer(column) != 0;
}

User user_from_row(const db::Row& row) {
  User user;
  user.id = row.integer(0);
  user.password = row.text(1);
  user.last_login = row.optional_text(2);
  user.is_superuser = flag(row, 3);
  user.username = row.text(4);
  user.first_name = row.text(5);
  user.last_name = row.text(6);
  user.email = row.text(7);
  user.is_staff = flag(row, 8);
  user.is_active = flag(row, 9);
  user.date_joined = row.text(10);
  return user;
}

std::optional<User> first_user(const db::ResultSet& result) {
  if (result.empty()) {
    return std::nullopt;
  }
  return user_from_row(result.rows.front());
}

}  // namespace

std::optional<User> find_user(db::Connection& connection, std::int64_t id) {
  return first_user(connection.query(std::string(user_columns) + "WHERE id = ?", {id}));
}

std::optional<User> find_user_by_username(db::Connection& connection, std::string_view username) {
  return first_user(connection.query(std::string(user_columns) + "WHERE username = ?", {std::string(username)}));
}

std::set<std::string> user_permissions(db::Connection& connection, std::int64_t user_id) {
  const auto result = connection.query(
      "SELECT content_type.app_label || '.' || permission.codename FROM auth_permission AS permission "
      "JOIN django_content_type AS content_type ON content_type.id = permission.content_type_id "
      "WHERE permission.id IN (SELECT permission_id FROM auth_user_user_permissions WHERE user_id = ?) "
      "OR permission.id IN (SELECT granted.permission_id FROM auth_group_permissions AS granted "
      "JOIN auth_user_groups AS membership ON membership.group_id = granted.group_id WHERE membership.user_id = ?)",
      {user_id, user_id});
  std::set<std::string> permissions;
  for (const auto& row : result.rows) {
    permissions.insert(row.text(0));
  }
  return permissions;
}

void set_password_hash(db::Connection& connection, std::int64_t user_id, std::string_view password_hash) {
  connection.execute("UPDATE auth_user SET password = ? WHERE id = ?", {std::string(password_hash), user_id});
}

void update_last_login(db::Connection& connection, std::int64_t user_id, std::chrono::system_clock::time_point now) {
  connection.execute("UPDATE auth_user SET last_login = ? WHERE id = ?", {database_datetime(now), user_id});
}

std::int64_t insert_user(db::Connection& connection, const NewUser& user, std::chrono::system_clock::time_point now) {
  connection.execute(
      "INSERT INTO auth_user (password, last_login, is_superuser, username, first_name, last_name, email, is_staff, "
      "is_active, date_joined) VALUES (?, NULL, ?, ?, '', '', ?, ?, TRUE, ?)",
      {user.password_hash, std::int64_t{user.is_superuser ? 1 : 0}, user.username, user.email,
       std::int64_t{user.is_staff ? 1 : 0}, database_datetime(now)});
  return connection.query("SELECT id FROM auth_user WHERE username = ?", {user.username}).rows.front().integer(0);
}

}  // namespace ocl::auth
