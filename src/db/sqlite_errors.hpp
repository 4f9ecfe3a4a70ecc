#pragma once
/// @file
/// @brief How SQLite result codes become the database layer's exceptions.

#include <string>
#include <string_view>

namespace ocl::db {

/// @brief The primary result code of an extended one (SQLITE_BUSY for SQLITE_BUSY_RECOVERY).
int primary_code(int code);

/// @brief The name of a result code's primary code ("SQLITE_FULL"), or "SQLITE_ERROR <n>" when unknown.
std::string sqlite_error_name(int code);

/// @brief True when a failure with `code` says the database cannot serve now (busy, read-only, full, I/O,
/// cannot open): the request may succeed once the fault is fixed.
bool is_unavailable_code(int code);

/// @brief True when a connection that failed with `code` can still be reused: false after read-only, full,
/// I/O and open failures, whose connection may stay read-only or in a bad state until reopened.
bool keeps_connection(int code);

/// @brief Throws ConstraintError, UnavailableError (its reason is the code's name) or DatabaseError for `code`.
[[noreturn]] void throw_sqlite_error(int code, const std::string& message);

}  // namespace ocl::db
