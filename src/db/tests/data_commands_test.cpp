#include "cli/command.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "db/tests/test_database.hpp"

namespace ocl::cli {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

class DataCommandsTest : public ::testing::Test {
 protected:
  DataCommandsTest() { settings.database = db::parse_database_url("sqlite:///" + directory.file("site.sqlite3")); }

  /// Runs one command; its output and errors land in `out` and `err`.
  int run(const std::string& name, std::vector<std::string> args) {
    out.str("");
    err.str("");
    for (const auto& command : data_commands()) {
      if (command.name == name) {
        return command.run(CommandContext{settings, std::move(args), out, err});
      }
    }
    ADD_FAILURE() << "no command " << name;
    return -1;
  }

  db::testing::TempDirectory directory;
  config::Settings settings;
  std::ostringstream out;
  std::ostringstream err;
};

TEST_F(DataCommandsTest, MigrateAppliesEverythingOnceThenNothing) {
  ASSERT_EQ(run("migrate", {}), exit_ok);
  EXPECT_NE(out.str().find("  Applying contenttypes.0001_initial... OK\n"), std::string::npos);
  EXPECT_NE(out.str().find("  Applying lettings.0002_alter_address_options... OK\n"), std::string::npos);
  ASSERT_EQ(run("migrate", {}), exit_ok);
  EXPECT_NE(out.str().find("Running migrations:\n  No migrations to apply.\n"), std::string::npos);
  EXPECT_EQ(run("migrate", {"extra"}), exit_usage);
}

TEST_F(DataCommandsTest, SharedDatabaseNeedsOnlyOneMigration) {
  settings.database = db::parse_database_url("sqlite:///" + db::testing::copy_django_database(directory));
  ASSERT_EQ(run("migrate", {}), exit_ok);
  EXPECT_TRUE(out.str().ends_with("Running migrations:\n  Applying lettings.0002_alter_address_options... OK\n"));
}

TEST_F(DataCommandsTest, LoaddataThenDumpdataReproducesTheFixture) {
  ASSERT_EQ(run("migrate", {}), exit_ok);
  const std::string demo = OCL_SOURCE_DIR "/fixtures/demo.json";
  ASSERT_EQ(run("loaddata", {demo}), exit_ok) << err.str();
  EXPECT_EQ(out.str(), "Installed 22 object(s) from 1 fixture(s)\n");
  const auto output = directory.file("dump.json");
  ASSERT_EQ(run("dumpdata", {"auth.user", "lettings", "profiles", "--indent", "2", "--output", output}), exit_ok);
  EXPECT_EQ(read_text(output), read_text(demo));
  ASSERT_EQ(run("dumpdata", {"lettings.letting", "--indent=0"}), exit_ok);
  EXPECT_TRUE(out.str().starts_with("[{\n\"model\": \"lettings.letting\",\n\"pk\": 1,\n\"fields\": {\n\"title\""));
}

TEST_F(DataCommandsTest, LoaddataReportsTheBadRecordAndInstallsNothing) {
  ASSERT_EQ(run("migrate", {}), exit_ok);
  const auto bad = directory.file("bad.json");
  std::ofstream(bad) << R"([{"model": "lettings.address", "pk": 1, "fields": {"number": 1, "street": "s", "city": "c",
      "state": "CA", "zip_code": 1, "country_iso_code": "USA"}},
      {"model": "lettings.letting", "pk": 7, "fields": {"title": "t", "address": 1, "stars": 5}}])";
  EXPECT_EQ(run("loaddata", {OCL_SOURCE_DIR "/fixtures/demo.json", bad}), exit_failure);
  EXPECT_NE(err.str().find("bad.json: object #2 (lettings.letting pk=7): unknown field 'stars'"), std::string::npos)
      << err.str();
  ASSERT_EQ(run("dumpdata", {"lettings"}), exit_ok);
  EXPECT_EQ(out.str(), "[]\n");
}

TEST_F(DataCommandsTest, LoaddataNeedsReadableFiles) {
  EXPECT_EQ(run("loaddata", {directory.file("missing.json")}), exit_failure);
  EXPECT_NE(err.str().find("missing.json"), std::string::npos);
  EXPECT_EQ(run("loaddata", {}), exit_usage);
}

TEST_F(DataCommandsTest, DumpdataRejectsUnknownLabelsAndBadOptions) {
  ASSERT_EQ(run("migrate", {}), exit_ok);
  EXPECT_EQ(run("dumpdata", {"lettings.castle"}), exit_usage);
  EXPECT_NE(err.str().find("Unknown model: lettings.castle"), std::string::npos);
  EXPECT_EQ(run("dumpdata", {"shop"}), exit_usage);
  EXPECT_NE(err.str().find("No installed app with label 'shop'."), std::string::npos);
  EXPECT_EQ(run("dumpdata", {"--indent", "two"}), exit_usage);
  EXPECT_EQ(run("dumpdata", {"--indent"}), exit_usage);
  EXPECT_EQ(run("dumpdata", {"--format", "xml"}), exit_usage);
}

}  // namespace
}  // namespace ocl::cli
