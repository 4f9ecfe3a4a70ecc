#include "db/fixtures.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "db/migrations.hpp"
#include "db/tests/test_database.hpp"

namespace ocl::db {
namespace {

using testing::count_rows;
using testing::rows_as_text;

std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

const std::vector<std::string> public_labels = {"auth.user", "lettings", "profiles"};

class FixturesTest : public ::testing::Test {
 protected:
  /// A new, migrated database file in the test's directory.
  std::unique_ptr<SqliteConnection> fresh_database(const std::string& name = "fresh.sqlite3") {
    auto connection = std::make_unique<SqliteConnection>(directory.file(name));
    migrate(*connection);
    return connection;
  }
  std::unique_ptr<SqliteConnection> shared_copy() {
    return std::make_unique<SqliteConnection>(testing::copy_django_database(directory));
  }

  testing::TempDirectory directory;
};

TEST_F(FixturesTest, WholeSharedDatabaseRoundTripsByteForByte) {
  auto shared = shared_copy();
  for (const std::optional<int> indent : {std::optional<int>{}, std::optional<int>{2}}) {
    const auto original = dump(*shared, {}, indent);
    auto fresh = fresh_database(indent ? "indented.sqlite3" : "compact.sqlite3");
    const auto report = load(*fresh, original);
    EXPECT_EQ(report.objects, 12U + 48U + 6U + 3U + 25U + 6U + 6U + 4U);
    EXPECT_EQ(report.fixtures, 1U);
    EXPECT_EQ(dump(*fresh, {}, indent), original);
  }
}

TEST_F(FixturesTest, PublicModelsRoundTripByteForByte) {
  auto shared = shared_copy();
  for (const auto& labels :
       {public_labels, std::vector<std::string>{"lettings"}, std::vector<std::string>{"profiles", "auth.user"}}) {
    const auto original = dump(*shared, labels, 2);
    auto fresh = fresh_database("fresh-" + std::to_string(labels.size()) + labels.front() + ".sqlite3");
    load(*fresh, original);
    EXPECT_EQ(dump(*fresh, labels, 2), original);
  }
}

TEST_F(FixturesTest, DumpWritesWhatDjangosDumpdataWrites) {
  auto shared = shared_copy();
  const std::vector<std::string> letting{"lettings.Letting"};
  const auto compact = dump(*shared, letting, std::nullopt);
  EXPECT_TRUE(compact.starts_with(
      R"([{"model": "lettings.letting", "pk": 1, "fields": {"title": "Joshua Tree Green Haus /w Hot Tub", "address": 1}}, {"model": "lettings.letting", "pk": 2,)"));
  EXPECT_TRUE(compact.ends_with(R"("title": "Underground Hygge", "address": 6}}])"));
  const std::vector<std::string> address{"lettings.address"};
  EXPECT_TRUE(dump(*shared, address, 2)
                  .starts_with("[\n{\n  \"model\": \"lettings.address\",\n  \"pk\": 1,\n"
                               "  \"fields\": {\n    \"number\": 7217,\n"));
  const std::vector<std::string> user{"auth.user"};
  const auto users = dump(*shared, user, std::nullopt);
  EXPECT_NE(users.find(R"("last_login": "2020-06-14T09:41:56.975Z", "is_superuser": true, "username": "admin")"),
            std::string::npos);
  EXPECT_NE(users.find(R"("date_joined": "2020-06-14T09:44:05Z", "groups": [], "user_permissions": []})"),
            std::string::npos);
  const std::vector<std::string> admin{"admin"};
  EXPECT_NE(
      dump(*shared, admin, std::nullopt)
          .find(
              R"("object_repr": "AirWow", "action_flag": 2, "change_message": "[{\"changed\": {\"fields\": [\"First name\", \"Last name\", \"Email address\"]}}]"})"),
      std::string::npos);
  const std::vector<std::string> sessions{"sessions"};
  EXPECT_NE(dump(*shared, sessions, std::nullopt).find(R"("pk": "4wft0b87ddgdd2olyjzcblw2mtw34j5l")"),
            std::string::npos);
}

TEST_F(FixturesTest, EmptySelectionsDumpAnEmptyArray) {
  auto fresh = fresh_database();
  const std::vector<std::string> lettings{"lettings"};
  EXPECT_EQ(dump(*fresh, lettings, std::nullopt), "[]");
  EXPECT_EQ(dump(*fresh, lettings, 2), "[\n]\n");
}

TEST_F(FixturesTest, LabelsSelectModelsInModelOrder) {
  const std::vector<std::string> labels{"profiles", "lettings.Letting", "auth", "lettings.letting"};
  std::vector<std::string> selected;
  for (const auto* model : select_models(labels)) {
    selected.push_back(model->label());
  }
  EXPECT_EQ(selected, (std::vector<std::string>{"auth.permission", "auth.group", "auth.user", "lettings.letting",
                                                "profiles.profile"}));
  EXPECT_EQ(select_models({}).size(), 9U);
  for (const auto* bad : {"nope", "lettings.nope", "nope.address", "Lettings"}) {
    const std::vector<std::string> label{bad};
    EXPECT_THROW(select_models(label), UnknownLabelError) << bad;
  }
}

TEST_F(FixturesTest, DemoFixtureIsTheSharedDatabasesPublicData) {
  auto shared = shared_copy();
  const auto demo = read_text(OCL_SOURCE_DIR "/fixtures/demo.json");
  EXPECT_EQ(demo, dump(*shared, public_labels, 2));
  auto fresh = fresh_database();
  EXPECT_EQ(load(*fresh, demo).objects, 22U);
  EXPECT_EQ(rows_as_text(*fresh, "SELECT * FROM lettings_letting"),
            rows_as_text(*shared, "SELECT * FROM lettings_letting"));
  EXPECT_EQ(rows_as_text(*fresh, "SELECT * FROM lettings_address"),
            rows_as_text(*shared, "SELECT * FROM lettings_address"));
  EXPECT_EQ(rows_as_text(*fresh, "SELECT * FROM profiles_profile"),
            rows_as_text(*shared, "SELECT * FROM profiles_profile"));
}

TEST_F(FixturesTest, AdversarialFixtureLoadsAndRoundTrips) {
  const auto adversarial = read_text(OCL_SOURCE_DIR "/tests/data/adversarial.json");
  auto fresh = fresh_database();
  EXPECT_EQ(load(*fresh, adversarial).objects, 19U);
  EXPECT_EQ(dump(*fresh, public_labels, 2), adversarial);
  EXPECT_EQ(rows_as_text(*fresh, "SELECT id FROM lettings_letting ORDER BY id"),
            (std::vector<std::string>{"1|", "2|", "5|", "9|", "77|", "1000|"}));
  EXPECT_EQ(rows_as_text(*fresh, "SELECT title FROM lettings_letting WHERE id = 1"),
            std::vector<std::string>{"<script>alert(1)</script>|"});
  EXPECT_EQ(rows_as_text(*fresh, "SELECT MIN(number), MAX(number), MIN(zip_code), MAX(zip_code) FROM lettings_address"),
            std::vector<std::string>{"0|9999|0|99999|"});
  EXPECT_EQ(rows_as_text(*fresh, "SELECT last_login FROM auth_user WHERE username = 'josé.garcía'"),
            std::vector<std::string>{"2024-02-29 23:59:59.999000|"});
}

TEST_F(FixturesTest, LaterInsertsGetIdsAfterTheLoadedOnes) {
  auto fresh = fresh_database();
  load(*fresh, read_text(OCL_SOURCE_DIR "/tests/data/adversarial.json"));
  EXPECT_EQ(rows_as_text(*fresh, "SELECT seq FROM sqlite_sequence WHERE name = 'lettings_letting'"),
            std::vector<std::string>{"1000|"});
  fresh->execute(
      "INSERT INTO lettings_address (number, street, city, state, zip_code, country_iso_code) "
      "VALUES (1, 'a', 'b', 'CC', 1, 'USA')");
  EXPECT_EQ(fresh->query("SELECT MAX(id) FROM lettings_address").rows.at(0).integer(0), 1001);
}

TEST_F(FixturesTest, LoadUpdatesByPkAndReplacesManyToManyRows) {
  auto shared = shared_copy();
  load(*shared, R"([{"model": "lettings.letting", "pk": 3, "fields": {"title": "Renamed", "address": 3}},
                    {"model": "auth.user", "pk": 2, "fields": {"password": "x", "last_login": "2021-01-01T02:00:00+02:00",
                     "is_superuser": false, "username": "4meRomance", "first_name": "John", "last_name": "R",
                     "email": "j@example.com", "is_staff": false, "is_active": true,
                     "date_joined": "2020-06-14T09:44:05.5Z", "user_permissions": [3, 1, 3]}}])");
  EXPECT_EQ(count_rows(*shared, "lettings_letting"), 6);
  EXPECT_EQ(rows_as_text(*shared, "SELECT title FROM lettings_letting WHERE id = 3"),
            std::vector<std::string>{"Renamed|"});
  EXPECT_EQ(rows_as_text(*shared, "SELECT last_login, date_joined FROM auth_user WHERE id = 2"),
            std::vector<std::string>{"2021-01-01 00:00:00|2020-06-14 09:44:05.500000|"});
  EXPECT_EQ(rows_as_text(*shared, "SELECT permission_id FROM auth_user_user_permissions WHERE user_id = 2 ORDER BY 1"),
            (std::vector<std::string>{"1|", "3|"}));
  // A many-to-many field left out keeps its rows; one given replaces them.
  load(*shared, R"([{"model": "auth.group", "pk": 1, "fields": {"name": "editors", "permissions": [4]}}])");
  load(*shared, R"([{"model": "auth.user", "pk": 2, "fields": {"password": "x", "is_superuser": false,
                     "username": "4meRomance", "is_staff": false, "is_active": true,
                     "date_joined": "2020-06-14T09:44:05Z", "groups": [1]}}])");
  EXPECT_EQ(rows_as_text(*shared, "SELECT permission_id FROM auth_user_user_permissions WHERE user_id = 2 ORDER BY 1"),
            (std::vector<std::string>{"1|", "3|"}));
  const std::vector<std::string> user{"auth.user"};
  EXPECT_NE(
      dump(*shared, user, std::nullopt)
          .find(
              R"("last_login": null, "is_superuser": false, "username": "4meRomance", "first_name": "", "last_name": "", "email": "", "is_staff": false, "is_active": true, "date_joined": "2020-06-14T09:44:05Z", "groups": [1], "user_permissions": [1, 3]})"),
      std::string::npos);
}

TEST_F(FixturesTest, SeveralFixturesLoadInOneTransaction) {
  auto fresh = fresh_database();
  const std::vector<FixtureSource> sources{
      {"demo.json", read_text(OCL_SOURCE_DIR "/fixtures/demo.json")},
      {"bad.json", R"([{"model": "lettings.letting", "pk": 1, "fields": {"title": null, "address": 1}}])"}};
  try {
    load(*fresh, sources);
    FAIL() << "expected FixtureError";
  } catch (const FixtureError& error) {
    EXPECT_STREQ(error.what(), "bad.json: object #1 (lettings.letting pk=1): field 'title' may not be null");
  }
  EXPECT_EQ(count_rows(*fresh, "auth_user"), 0);
  const auto report = load(*fresh, std::span(sources).first(1));
  EXPECT_EQ(report.objects, 22U);
  EXPECT_EQ(report.fixtures, 1U);
}

/// A fixture that must be refused, and the message it must give.
struct BadFixture {
  std::string name;
  std::string json;
  std::string message;
};

/// Names the case in test output instead of dumping its bytes.
void PrintTo(const BadFixture& fixture, std::ostream* out) {
  *out << fixture.name;
}

std::string letting(int pk, const std::string& title, int address) {
  return R"({"model": "lettings.letting", "pk": )" + std::to_string(pk) + R"(, "fields": {"title": ")" + title +
         R"(", "address": )" + std::to_string(address) + "}}";
}

std::string address(const std::string& fields) {
  return R"({"model": "lettings.address", "pk": 50, "fields": {)" + fields + "}}";
}

const std::string good_address_fields =
    R"("street": "s", "city": "c", "state": "CA", "zip_code": 1, "country_iso_code": "USA")";

std::vector<BadFixture> bad_fixtures() {
  // The first object is valid and changes a row, so a refused fixture must also undo it.
  const auto prefix = "[" + letting(1, "Changed", 1) + ", ";
  return {
      {"TooLong", prefix + letting(2, "Also changed", 2) + ", " + letting(7, std::string(257, 'x'), 3) + "]",
       "object #3 (lettings.letting pk=7): field 'title' is longer than 256 characters"},
      {"TooLongMultibyte", prefix + letting(7, "\xc3\xa9" + std::string(256, 'x'), 3) + "]",
       "object #2 (lettings.letting pk=7): field 'title' is longer than 256 characters"},
      {"UnknownModel", prefix + R"({"model": "lettings.villa", "pk": 1, "fields": {}}])",
       "object #2: unknown model 'lettings.villa'"},
      {"UnknownField", prefix + R"({"model": "lettings.letting", "pk": 1, "fields": {"price": 3}}])",
       "object #2 (lettings.letting pk=1): unknown field 'price'"},
      {"MissingPk", prefix + R"({"model": "lettings.letting", "fields": {"title": "t", "address": 1}}])",
       "object #2 (lettings.letting): missing pk"},
      {"WrongTypeInteger", prefix + address(R"("number": "twelve", )" + good_address_fields) + "]",
       "object #2 (lettings.address pk=50): field 'number' must be an integer"},
      {"WrongTypeText", prefix + R"({"model": "lettings.letting", "pk": 1, "fields": {"title": 42, "address": 1}}])",
       "object #2 (lettings.letting pk=1): field 'title' must be a string"},
      {"WrongTypeBoolean",
       prefix +
           R"({"model": "auth.user", "pk": 1, "fields": {"password": "p", "is_superuser": false, "username": "u", "is_staff": "maybe", "is_active": true, "date_joined": "2020-06-14T09:44:05Z"}}])",
       "object #2 (auth.user pk=1): field 'is_staff' must be true or false"},
      {"WrongTypeDatetime",
       prefix +
           R"({"model": "sessions.session", "pk": "k", "fields": {"session_data": "d", "expire_date": "2020-13-01T00:00:00Z"}}])",
       "object #2 (sessions.session pk=k): field 'expire_date' must be a date and time like "
       "\"2020-06-14T09:41:56.975Z\""},
      {"OutOfRangeHigh", prefix + address(R"("number": 10000, )" + good_address_fields) + "]",
       "object #2 (lettings.address pk=50): field 'number' is out of range (10000)"},
      {"OutOfRangeNegative", prefix + address(R"("number": -1, )" + good_address_fields) + "]",
       "object #2 (lettings.address pk=50): field 'number' is out of range (-1)"},
      {"OutOfRangeZip",
       prefix +
           address(
               R"("number": 1, "street": "s", "city": "c", "state": "CA", "zip_code": 100000, "country_iso_code": "USA")") +
           "]",
       "object #2 (lettings.address pk=50): field 'zip_code' is out of range (100000)"},
      {"TooShort",
       prefix +
           address(
               R"("number": 1, "street": "s", "city": "c", "state": "C", "zip_code": 1, "country_iso_code": "USA")") +
           "]",
       "object #2 (lettings.address pk=50): field 'state' is shorter than 2 characters"},
      {"NullNotAllowed", prefix + R"({"model": "lettings.letting", "pk": 1, "fields": {"title": null, "address": 1}}])",
       "object #2 (lettings.letting pk=1): field 'title' may not be null"},
      {"MissingRequiredField", prefix + R"({"model": "lettings.letting", "pk": 9, "fields": {"address": 1}}])",
       "object #2 (lettings.letting pk=9): field 'title' is missing"},
      {"DanglingForeignKey", prefix + letting(9, "Nowhere", 999) + "]",
       "object #2 (lettings.letting pk=9): field 'address' refers to lettings.address pk=999, which does not exist"},
      {"DanglingManyToMany",
       prefix + R"({"model": "auth.group", "pk": 1, "fields": {"name": "g", "permissions": [9999]}}])",
       "object #2 (auth.group pk=1): field 'permissions' refers to auth.permission pk=9999, which does not exist"},
      {"UniqueViolation", prefix + letting(9, "Same address", 2) + "]",
       "object #2 (lettings.letting pk=9): cannot be saved: "},
      {"NotAnObject", prefix + "42]", "object #2: is not a JSON object"},
      {"NotAnArray", R"({"model": "lettings.letting"})", "a fixture must be a JSON array of objects"},
      {"MalformedJson", "[\n" + letting(1, "Changed", 1) + ",\n  {\"model\": }]",
       "malformed JSON at line 3, column 13"},
  };
}

class BadFixtureTest : public FixturesTest, public ::testing::WithParamInterface<BadFixture> {};

TEST_P(BadFixtureTest, IsRefusedWithAMessageNamingTheRecordAndChangesNothing) {
  auto shared = shared_copy();
  const auto before = dump(*shared, {}, std::nullopt);
  const auto sequences = rows_as_text(*shared, "SELECT * FROM sqlite_sequence ORDER BY name");
  try {
    load(*shared, GetParam().json);
    FAIL() << "expected FixtureError";
  } catch (const FixtureError& error) {
    EXPECT_TRUE(std::string(error.what()).starts_with(GetParam().message)) << error.what();
  }
  EXPECT_FALSE(shared->in_transaction());
  EXPECT_EQ(dump(*shared, {}, std::nullopt), before);
  EXPECT_EQ(rows_as_text(*shared, "SELECT * FROM sqlite_sequence ORDER BY name"), sequences);
}

INSTANTIATE_TEST_SUITE_P(Cases, BadFixtureTest, ::testing::ValuesIn(bad_fixtures()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ocl::db
