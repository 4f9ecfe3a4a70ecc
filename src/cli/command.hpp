#pragma once
/// @file
/// @brief What every `oc-lettings <command>` receives, and its exit codes.

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "config/settings.hpp"

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

}  // namespace ocl::cli
