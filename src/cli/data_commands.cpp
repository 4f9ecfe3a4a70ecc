#include <charconv>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <sstream>

#include "auth/login_limits.hpp"
#include "cli/command.hpp"
#include "db/database.hpp"
#include "db/fixtures.hpp"
#include "db/migrations.hpp"

namespace ocl::cli {
namespace {

std::unique_ptr<db::Database> open_configured_database(const CommandContext& context) {
  return db::open_database(context.settings.database, 1);
}

}  // namespace

db::MigrationReport migrate_all(db::Connection& connection) {
  auto report = db::migrate(connection);
  auth::LoginThrottle::create_table(connection);
  return report;
}

namespace {

int run_migrate(const CommandContext& context) {
  if (!context.args.empty()) {
    context.err << "migrate takes no arguments\n";
    return exit_usage;
  }
  try {
    auto database = open_configured_database(context);
    auto connection = database->lease();
    context.out << "Operations to perform:\n"
                << "  Apply all migrations: admin, auth, contenttypes, lettings, profiles, sessions\n"
                << "Running migrations:\n";
    const auto report = migrate_all(*connection);
    if (report.nothing_applied()) {
      context.out << "  No migrations to apply.\n";
    }
    for (const auto& name : report.applied) {
      context.out << "  Applying " << name << "... OK\n";
    }
    return exit_ok;
  } catch (const db::DatabaseError& error) {
    context.err << "migrate failed: " << error.what() << '\n';
    return exit_failure;
  }
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << file.rdbuf();
  return std::move(text).str();
}

int run_loaddata(const CommandContext& context) {
  if (context.args.empty()) {
    context.err << "loaddata needs at least one fixture file: loaddata FILE.json [FILE...]\n";
    return exit_usage;
  }
  std::vector<db::FixtureSource> sources;
  for (const auto& path : context.args) {
    auto text = read_file(path);
    if (!text) {
      context.err << "No fixture named '" << path << "' found (the file cannot be read).\n";
      return exit_failure;
    }
    sources.push_back(db::FixtureSource{path, std::move(*text)});
  }
  try {
    auto database = open_configured_database(context);
    auto connection = database->lease();
    const auto report = db::load(*connection, sources);
    context.out << "Installed " << report.objects << " object(s) from " << report.fixtures << " fixture(s)\n";
    return exit_ok;
  } catch (const db::FixtureError& error) {
    context.err << "Problem installing fixture " << error.what() << "\nNothing was installed.\n";
    return exit_failure;
  } catch (const db::DatabaseError& error) {
    context.err << "loaddata failed: " << error.what() << '\n';
    return exit_failure;
  }
}

/// The parsed arguments of dumpdata.
struct DumpOptions {
  std::vector<std::string> labels;
  std::optional<int> indent;
  std::optional<std::string> output;
};

std::optional<int> parse_indent(std::string_view text) {
  int indent = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, indent);
  if (text.empty() || error != std::errc{} || stop != end || indent < 0) {
    return std::nullopt;
  }
  return indent;
}

/// Splits "--name=value" or takes the next argument; returns nullopt when the value is missing.
std::optional<std::string> option_value(const std::vector<std::string>& args, std::size_t& index) {
  const auto& arg = args[index];
  if (const auto equals = arg.find('='); equals != std::string::npos) {
    return arg.substr(equals + 1);
  }
  if (index + 1 >= args.size()) {
    return std::nullopt;
  }
  return args[++index];
}

bool is_option(const std::string& arg, std::string_view name) {
  return arg == name || arg.starts_with(std::string(name) + "=");
}

std::optional<DumpOptions> parse_dump_options(const CommandContext& context) {
  DumpOptions options;
  const auto& args = context.args;
  for (std::size_t index = 0; index < args.size(); ++index) {
    const auto& arg = args[index];
    if (is_option(arg, "--indent")) {
      const auto value = option_value(args, index);
      options.indent = value ? parse_indent(*value) : std::nullopt;
      if (!options.indent) {
        context.err << "dumpdata: --indent needs a non-negative whole number\n";
        return std::nullopt;
      }
    } else if (is_option(arg, "--output") || arg == "-o") {
      options.output = option_value(args, index);
      if (!options.output || options.output->empty()) {
        context.err << "dumpdata: --output needs a file name\n";
        return std::nullopt;
      }
    } else if (arg.starts_with("-")) {
      context.err << "dumpdata: unknown option '" << arg << "'\n";
      return std::nullopt;
    } else {
      options.labels.push_back(arg);
    }
  }
  return options;
}

int write_dump(const CommandContext& context, const DumpOptions& options, const std::string& text) {
  if (!options.output) {
    context.out << text << (text.ends_with('\n') ? "" : "\n");
    return exit_ok;
  }
  std::ofstream file(*options.output, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    context.err << "dumpdata: cannot write '" << *options.output << "'\n";
    return exit_failure;
  }
  return exit_ok;
}

int run_dumpdata(const CommandContext& context) {
  const auto options = parse_dump_options(context);
  if (!options) {
    return exit_usage;
  }
  try {
    db::select_models(options->labels);  // reports unknown labels before touching the database
    auto database = open_configured_database(context);
    auto connection = database->lease();
    return write_dump(context, *options, db::dump(*connection, options->labels, options->indent));
  } catch (const db::UnknownLabelError& error) {
    context.err << "dumpdata: " << error.what() << '\n';
    return exit_usage;
  } catch (const db::DatabaseError& error) {
    context.err << "dumpdata failed: " << error.what() << '\n';
    return exit_failure;
  }
}

}  // namespace

std::vector<Command> data_commands() {
  return {
      Command{"migrate", "migrate", "Create or update the database schema", run_migrate},
      Command{"loaddata", "loaddata FILE.json [FILE...]", "Install Django JSON fixtures into the database",
              run_loaddata},
      Command{"dumpdata", "dumpdata [app[.Model] ...] [--indent N] [--output FILE]",
              "Write the database content as a Django JSON fixture", run_dumpdata},
      generate_command(),
  };
}

}  // namespace ocl::cli
