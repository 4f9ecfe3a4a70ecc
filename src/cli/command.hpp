#pragma once
/// @file
/// @brief What every `oc-lettings <command>` receives, and its exit codes.

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "db/migrations.hpp"

namespace ocl::cli {

/// @brief Exit codes shared by all commands.
enum ExitCode : int {
  exit_ok = 0,
  exit_failure = 1,  ///< the command ran and failed (bad fixture, database error)
  exit_usage = 2,    ///< bad arguments or configuration
};

/// @brief The inputs of one command run.
struct CommandContext {
  const config::Settings& settings;
  std::vector<std::string> args;  ///< the arguments after the command name
  std::ostream& out;
  std::ostream& err;
};

/// @brief One CLI command: its name, one-line help and entry point.
struct Command {
  std::string name;
  std::string usage;    ///< "loaddata FILE.json"
  std::string summary;  ///< one line for --help
  std::function<int(const CommandContext&)> run;
};

/// @brief Commands working on the data: migrate, loaddata, dumpdata (defined in cli/data_commands.cpp).
std::vector<Command> data_commands();

/// @brief Django's migrations, then the tables of the project's own (the sign-in throttle's), which Django ignores.
db::MigrationReport migrate_all(db::Connection& connection);

/// @brief `generate`: many lettings and profiles for load tests (defined in cli/generate.cpp).
Command generate_command();

/// @brief Commands for accounts and sessions: createsuperuser, changepassword, clearsessions (defined in
/// cli/auth_commands.cpp).
std::vector<Command> auth_commands();

}  // namespace ocl::cli

namespace ocl::cli {

/// @brief Commands that run the server: serve, check, healthcheck, compressstatic (defined in cli/server_commands.cpp).
std::vector<Command> server_commands();

/// @brief Runs `oc-lettings` with its arguments (argv without the program name); returns the exit code.
int run(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

/// @brief Configures the default logger: logfmt-style lines on stderr at `level`.
void configure_logging(spdlog::level::level_enum level);

/// @brief Parses "--name value" / "--name=value" options from `args`, removing them; nullopt if absent.
/// Throws std::invalid_argument when the option has no value.
std::optional<std::string> take_option(std::vector<std::string>& args, std::string_view name);

/// @brief Removes the flag `name` from `args`; true if it was there.
bool take_flag(std::vector<std::string>& args, std::string_view name);

}  // namespace ocl::cli
