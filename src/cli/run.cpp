#include <algorithm>
#include <iostream>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/command.hpp"
#include "config/version.hpp"

namespace ocl::cli {
namespace {

std::vector<Command> all_commands() {
  auto commands = server_commands();
  auto data = data_commands();
  commands.insert(commands.end(), data.begin(), data.end());
  std::ranges::copy(auth_commands(), std::back_inserter(commands));
  return commands;
}

void print_help(std::ostream& out, const std::vector<Command>& commands) {
  out << "Usage: oc-lettings <command> [options]\n\n"
         "OC Lettings: the Orange County Lettings website server.\n\nCommands:\n";
  for (const auto& command : commands) {
    out << "  " << command.usage << "\n      " << command.summary << "\n";
  }
  out << "\nOptions:\n  --help      show this help\n  --version   show the version\n\n"
         "Configuration comes from the environment and an optional .env file (see README).\n";
}

/// Settings for a command; only the commands that serve pages need SECRET_KEY.
config::Settings settings_for(const std::string& command) {
  auto environment = config::read_environment();
  const bool needs_secret = command == "serve" || command == "check";
  if (!needs_secret && !environment.contains("SECRET_KEY")) {
    environment["SECRET_KEY"] = "unused-by-this-command";
  }
  return config::load_settings(environment);
}

}  // namespace

void configure_logging(spdlog::level::level_enum level) {
  static const auto logger = [] {
    auto created = spdlog::stderr_logger_mt("oc-lettings");
    spdlog::set_default_logger(created);
    return created;
  }();
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ level=%l logger=%n %v", spdlog::pattern_time_type::utc);
  spdlog::set_level(level);
  logger->flush_on(spdlog::level::warn);
}

std::optional<std::string> take_option(std::vector<std::string>& args, std::string_view name) {
  for (auto it = args.begin(); it != args.end(); ++it) {
    if (*it == name) {
      if (std::next(it) == args.end()) {
        throw std::invalid_argument(std::string(name) + " needs a value");
      }
      auto value = *std::next(it);
      args.erase(it, std::next(it, 2));
      return value;
    }
    if (it->starts_with(std::string(name) + "=")) {
      auto value = it->substr(name.size() + 1);
      args.erase(it);
      return value;
    }
  }
  return std::nullopt;
}

bool take_flag(std::vector<std::string>& args, std::string_view name) {
  const auto found = std::ranges::find(args, name);
  if (found == args.end()) {
    return false;
  }
  args.erase(found);
  return true;
}

int run(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
  const auto commands = all_commands();
  if (arguments.empty() || arguments.front() == "--help" || arguments.front() == "-h" || arguments.front() == "help") {
    print_help(arguments.empty() ? err : out, commands);
    return arguments.empty() ? exit_usage : exit_ok;
  }
  if (arguments.front() == "--version") {
    out << "oc-lettings " << config::version() << "\n";
    return exit_ok;
  }
  const auto command = std::ranges::find(commands, arguments.front(), &Command::name);
  if (command == commands.end()) {
    err << "oc-lettings: unknown command '" << arguments.front() << "' (see oc-lettings --help)\n";
    return exit_usage;
  }
  std::vector<std::string> args(std::next(arguments.begin()), arguments.end());
  if (take_flag(args, "--help")) {
    out << "Usage: oc-lettings " << command->usage << "\n" << command->summary << "\n";
    return exit_ok;
  }
  try {
    const auto settings = settings_for(command->name);
    configure_logging(settings.log_level);
    return command->run(CommandContext{settings, std::move(args), out, err});
  } catch (const config::ConfigError& error) {
    err << "oc-lettings: configuration error: " << error.what() << "\n";
    return exit_usage;
  } catch (const std::invalid_argument& error) {
    err << "oc-lettings " << command->name << ": " << error.what() << "\n";
    return exit_usage;
  }
}

}  // namespace ocl::cli
