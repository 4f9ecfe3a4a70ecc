#include "db/sqlite_errors.hpp"

#include <sqlite3.h>

#include "db/value.hpp"

namespace ocl::db {
int primary_code(int code) {
  return code & 0xff;
}

std::string sqlite_error_name(int code) {
  switch (primary_code(code)) {
    case SQLITE_BUSY:
      return "SQLITE_BUSY";
    case SQLITE_LOCKED:
      return "SQLITE_LOCKED";
    case SQLITE_READONLY:
      return "SQLITE_READONLY";
    case SQLITE_IOERR:
      return "SQLITE_IOERR";
    case SQLITE_FULL:
      return "SQLITE_FULL";
    case SQLITE_CANTOPEN:
      return "SQLITE_CANTOPEN";
    case SQLITE_CORRUPT:
      return "SQLITE_CORRUPT";
    case SQLITE_CONSTRAINT:
      return "SQLITE_CONSTRAINT";
    default:
      return "SQLITE_ERROR " + std::to_string(code);
  }
}

bool is_unavailable_code(int code) {
  switch (primary_code(code)) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return true;
    default:
      return false;
  }
}

bool keeps_connection(int code) {
  return !is_unavailable_code(code) || primary_code(code) == SQLITE_BUSY || primary_code(code) == SQLITE_LOCKED;
}

void throw_sqlite_error(int code, const std::string& message) {
  if (primary_code(code) == SQLITE_CONSTRAINT) {
    throw ConstraintError(message);
  }
  if (is_unavailable_code(code)) {
    throw UnavailableError(message, sqlite_error_name(code));
  }
  throw DatabaseError(message);
}

}  // namespace ocl::db
