#include <cctype>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <ostream>

#include <termios.h>
#include <unistd.h>

#include "auth/passwords.hpp"
#include "auth/sessions.hpp"
#include "auth/users.hpp"
#include "auth/validators.hpp"
#include "cli/command.hpp"
#include "db/database.hpp"

namespace ocl::cli {
namespace {

constexpr int max_password_tries = 3;
constexpr std::size_t max_username_length = 150;

/// Turns terminal echo off while a password is typed (only when stdin is a terminal).
class HiddenInput {
 public:
  HiddenInput() {
    if (::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved_) == 0) {
      auto quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~HiddenInput() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  HiddenInput(const HiddenInput&) = delete;
  HiddenInput& operator=(const HiddenInput&) = delete;
  [[nodiscard]] bool active() const { return active_; }

 private:
  termios saved_{};
  bool active_ = false;
};

/// Prompts and reads one line; nullopt at end of input.
std::optional<std::string> prompt(const CommandContext& context, std::string_view question, bool hidden = false) {
  context.out << question << std::flush;
  std::string line;
  bool read = false;
  {
    const HiddenInput guard;
    read = static_cast<bool>(std::getline(std::cin, line));
    if (hidden && guard.active()) context.out << "\n";
  }
  if (!read) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

/// Django's UnicodeUsernameValidator (letters, digits and @.+-_; non-ASCII letters allowed), at most 150 characters.
std::optional<std::string> username_problem(std::string_view username) {
  if (username.empty()) return "This field cannot be blank.";
  if (username.size() > max_username_length) return "Ensure this value has at most 150 characters.";
  for (const char character : username) {
    const auto byte = static_cast<unsigned char>(character);
    const bool allowed =
        std::isalnum(byte) != 0 || byte >= 0x80 || std::string_view("@.+-_").find(character) != std::string_view::npos;
    if (!allowed) {
      return "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.";
    }
  }
  return std::nullopt;
}

bool is_valid_email(std::string_view email) {
  const auto at = email.find('@');
  return email.empty() ||
         (at != std::string_view::npos && at > 0 && email.find('@', at + 1) == std::string_view::npos &&
          email.find('.', at) != std::string_view::npos && email.back() != '.' &&
          email.find_first_of(" \t\r\n<>\"") == std::string_view::npos);
}

void print_errors(std::ostream& stream, const std::vector<std::string>& errors) {
  for (const auto& error : errors) stream << error << "\n";
}

/// Asks for a password twice until both match and pass the validators; nullopt after end of input or 3 mismatches.
std::optional<std::string> ask_new_password(const CommandContext& context, const auth::UserAttributes& user) {
  for (int attempt = 0; attempt < max_password_tries; ++attempt) {
    auto first = prompt(context, "Password: ", true);
    const auto second = first ? prompt(context, "Password (again): ", true) : std::nullopt;
    if (!second) return std::nullopt;
    if (*first != *second) {
      context.err << "Error: Your passwords didn't match.\n";
      continue;
    }
    const auto errors = auth::validate_password(*first, user);
    if (errors.empty()) return first;
    print_errors(context.err, errors);
  }
  return std::nullopt;
}

std::optional<std::string> environment_value(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read once, single-threaded CLI
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

struct SuperuserInput {
  std::string username;
  std::string email;
  std::optional<std::string> password;  ///< nullopt: an unusable password, as Django without a password
};

int insert_superuser(const CommandContext& context, const SuperuserInput& input) {
  auto database = db::open_database(context.settings.database, 1);
  auto connection = database->lease();
  if (auth::find_user_by_username(*connection, input.username)) {
    context.err << "Error: That username is already taken.\n";
    return exit_failure;
  }
  const auto hash = input.password ? auth::make_password(*input.password) : auth::make_unusable_password();
  auth::insert_user(*connection, {input.username, input.email, hash, true, true}, std::chrono::system_clock::now());
  context.out << "Superuser created successfully.\n";
  return exit_ok;
}

int create_superuser_noinput(const CommandContext& context, std::vector<std::string>& args) {
  SuperuserInput input;
  input.username =
      take_option(args, "--username").value_or(environment_value("DJANGO_SUPERUSER_USERNAME").value_or(""));
  input.email = take_option(args, "--email").value_or(environment_value("DJANGO_SUPERUSER_EMAIL").value_or(""));
  if (!args.empty()) throw std::invalid_argument("unexpected argument '" + args.front() + "'");
  if (input.username.empty()) throw std::invalid_argument("You must use --username with --noinput.");
  if (input.email.empty()) throw std::invalid_argument("You must use --email with --noinput.");
  if (const auto problem = username_problem(input.username)) {
    context.err << "Error: " << *problem << "\n";
    return exit_failure;
  }
  if (!is_valid_email(input.email)) {
    context.err << "Error: Enter a valid email address.\n";
    return exit_failure;
  }
  input.password = environment_value("DJANGO_SUPERUSER_PASSWORD");
  if (input.password) {
    const auto errors = auth::validate_password(*input.password, {input.username, "", "", input.email});
    if (!errors.empty()) {
      context.err << "Error: the password in DJANGO_SUPERUSER_PASSWORD is refused:\n";
      print_errors(context.err, errors);
      return exit_failure;
    }
  }
  return insert_superuser(context, input);
}

std::optional<std::string> ask_username(const CommandContext& context) {
  while (true) {
    auto username = prompt(context, "Username: ");
    if (!username) return std::nullopt;
    const auto problem = username_problem(*username);
    if (!problem) return username;
    context.err << "Error: " << *problem << "\n";
  }
}

std::optional<std::string> ask_email(const CommandContext& context) {
  while (true) {
    auto email = prompt(context, "Email address: ");
    if (!email || is_valid_email(*email)) return email;
    context.err << "Error: Enter a valid email address.\n";
  }
}

int create_superuser_interactive(const CommandContext& context) {
  SuperuserInput input;
  const auto username = ask_username(context);
  const auto email = username ? ask_email(context) : std::nullopt;
  if (email) {
    input.username = *username;
    input.email = *email;
    input.password = ask_new_password(context, {input.username, "", "", input.email});
  }
  if (!email || !input.password) {
    context.err << "\nOperation cancelled.\n";
    return exit_failure;
  }
  return insert_superuser(context, input);
}

/// Runs a command, turning a database failure into a message and exit code 1.
template <typename Run>
int reporting_database_errors(const CommandContext& context, std::string_view name, Run&& run) {
  try {
    return run();
  } catch (const db::DatabaseError& error) {
    context.err << name << " failed: " << error.what() << "\n";
    return exit_failure;
  }
}

int run_createsuperuser(const CommandContext& context) {
  auto args = context.args;
  if (take_flag(args, "--noinput") || take_flag(args, "--no-input")) {
    return reporting_database_errors(context, "createsuperuser",
                                     [&] { return create_superuser_noinput(context, args); });
  }
  if (!args.empty()) {
    throw std::invalid_argument("unexpected argument '" + args.front() + "' (options need --noinput)");
  }
  return reporting_database_errors(context, "createsuperuser", [&] { return create_superuser_interactive(context); });
}

int change_password(const CommandContext& context) {
  const auto& username = context.args.front();
  auto database = db::open_database(context.settings.database, 1);
  auto connection = database->lease();
  const auto user = auth::find_user_by_username(*connection, username);
  if (!user) {
    context.err << "Error: user '" << username << "' does not exist\n";
    return exit_failure;
  }
  context.out << "Changing password for user '" << username << "'\n";
  const auto password = ask_new_password(context, {user->username, user->first_name, user->last_name, user->email});
  if (!password) {
    context.err << "Error: Aborting password change for user '" << username << "' after " << max_password_tries
                << " attempts\n";
    return exit_failure;
  }
  auth::set_password_hash(*connection, user->id, auth::make_password(*password));
  context.out << "Password changed successfully for user '" << username << "'\n";
  return exit_ok;
}

int run_changepassword(const CommandContext& context) {
  if (context.args.size() != 1) throw std::invalid_argument("usage: changepassword USERNAME");
  return reporting_database_errors(context, "changepassword", [&] { return change_password(context); });
}

int clear_sessions(const CommandContext& context) {
  auto database = db::open_database(context.settings.database, 1);
  auto connection = database->lease();
  auth::SessionStore(*connection, context.settings.secret_key).clear_expired(std::chrono::system_clock::now());
  return exit_ok;
}

int run_clearsessions(const CommandContext& context) {
  if (!context.args.empty()) throw std::invalid_argument("clearsessions takes no arguments");
  return reporting_database_errors(context, "clearsessions", [&] { return clear_sessions(context); });
}

}  // namespace

std::vector<Command> auth_commands() {
  return {
      Command{"createsuperuser", "createsuperuser [--noinput --username USERNAME --email EMAIL]",
              "Create an admin superuser (with --noinput the password comes from DJANGO_SUPERUSER_PASSWORD)",
              run_createsuperuser},
      Command{"changepassword", "changepassword USERNAME", "Change a user's password (asked twice on stdin)",
              run_changepassword},
      Command{"clearsessions", "clearsessions", "Delete expired sessions from the database", run_clearsessions},
  };
}

}  // namespace ocl::cli
