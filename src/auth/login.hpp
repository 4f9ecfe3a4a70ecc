#pragma once
/// @file
/// @brief Signing in: checking a username and password, and opening the session.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "auth/login_limits.hpp"
#include "auth/models.hpp"
#include "db/database.hpp"

namespace ocl::auth {

/// @brief Django's ModelBackend.authenticate for the admin: the active user with this username and password, or
/// nullopt. An unknown username costs one default hash, so it takes as long as a wrong password. A hash older than
/// the current default is replaced (only if nobody changed it meanwhile). Hashing runs through `ticket`'s gate and
/// no database connection is held while it runs.
std::optional<User> authenticate(db::Database& database, HashingGate::Ticket& ticket, std::string_view username,
                                 std::string_view password);

/// @brief Django's login(): a new session row for the user (the old one, if any, deleted), last_login set.
/// Returns the new session key.
std::string open_session(db::Database& database, std::string_view secret_key, std::int64_t user_id,
                         const std::optional<std::string>& previous_session_key);

}  // namespace ocl::auth
