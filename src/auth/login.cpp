#include "auth/login.hpp"

#include <spdlog/spdlog.h>

#include "auth/passwords.hpp"
#include "auth/sessions.hpp"
#include "auth/users.hpp"

namespace ocl::auth {
namespace {

std::optional<User> lookup(db::Database& database, std::string_view username) {
  auto connection = database.lease();
  return find_user_by_username(*connection, username);
}

void upgrade_hash(db::Database& database, const User& user, const std::string& new_hash) {
  auto connection = database.lease();
  const auto changed = connection->execute("UPDATE auth_user SET password = ? WHERE id = ? AND password = ?",
                                           {new_hash, user.id, user.password});
  if (changed == 1) {
    spdlog::info("password hash of user {} upgraded to pbkdf2_sha256 with {} iterations", user.id,
                 default_pbkdf2_iterations);
  }
}

}  // namespace

std::optional<User> authenticate(db::Database& database, HashingGate::Ticket& ticket, std::string_view username,
                                 std::string_view password) {
  auto user = lookup(database, username);
  if (!user) {
    ticket.run([&] { run_default_hasher(password); });
    return std::nullopt;
  }
  if (!ticket.run([&] { return check_password(password, user->password); }) || !user->is_active) {
    return std::nullopt;
  }
  if (must_update(user->password)) {
    const auto new_hash = ticket.run([&] { return make_password(password); });
    upgrade_hash(database, *user, new_hash);
  }
  return user;
}

std::string open_session(db::Database& database, std::string_view secret_key, std::int64_t user_id,
                         const std::optional<std::string>& previous_session_key) {
  const auto now = std::chrono::system_clock::now();
  auto connection = database.lease();
  return db::in_transaction(*connection, [&] {
    // The hash of the password as stored now: a concurrent sign-in may have upgraded it.
    const auto user = find_user(*connection, user_id);
    if (!user) {
      throw std::runtime_error("the user disappeared while signing in");
    }
    SessionStore store(*connection, secret_key);
    if (previous_session_key) {
      store.remove(*previous_session_key);
    }
    update_last_login(*connection, user_id, now);
    return store.create(login_session_data(user_id, user->password, secret_key), now);
  });
}

}  // namespace ocl::auth
