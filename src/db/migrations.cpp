#include "db/migrations.hpp"

#include <array>
#include <chrono>

#include <fmt/format.h>

namespace ocl::db {
namespace {

// The final state of the schema after Django 4.2's migrations, statement for statement as Django's
// SQLite backend wrote it (column order and index names included), in the order the tables appear in
// a database Django migrated. "IF NOT EXISTS" makes each statement safe to run again.
constexpr std::array<std::string_view, 28> sqlite_schema = {
    R"sql(CREATE TABLE IF NOT EXISTS "django_migrations" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" datetime NOT NULL))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "auth_group_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "auth_user_user_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED))sql",
    R"sql(CREATE UNIQUE INDEX IF NOT EXISTS "auth_group_permissions_group_id_permission_id_0cd325b0_uniq" ON "auth_group_permissions" ("group_id", "permission_id"))sql",
    R"sql(CREATE INDEX IF NOT EXISTS "auth_group_permissions_group_id_b120cbf9" ON "auth_group_permissions" ("group_id"))sql",
    R"sql(CREATE INDEX IF NOT EXISTS "auth_group_permissions_permission_id_84c5c92e" ON "auth_group_permissions" ("permission_id"))sql",
    R"sql(CREATE UNIQUE INDEX IF NOT EXISTS "auth_user_groups_user_id_group_id_94350c0c_uniq" ON "auth_user_groups" ("user_id", "group_id"))sql",
    R"sql(CREATE INDEX IF NOT EXISTS "auth_user_groups_user_id_6a12ed8b" ON "auth_user_groups" ("user_id"))sql",
    R"sql(CREATE INDEX IF NOT EXISTS "auth_user_groups_group_id_97559544" ON "auth_user_groups" ("group_id"))sql",
    R"sql(CREATE UNIQUE INDEX IF NOT EXISTS "auth_user_user_permissions_user_id_permission_id_14a6b632_uniq" ON "auth_user_user_permissions" ("user_id", "permission_id"))sql",
    R"sql(CREATE INDEX IF NOT EXISTS "auth_user_user_permissions_user_id_a95ead1b" ON "auth_user_user_permissions" ("user_id"))sql",
    R"sql(CREATE INDEX IF NOT EXISTS "auth_user_user_permissions_permission_id_1fbb5f2c" ON "auth_user_user_permissions" ("permission_id"))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "django_admin_log" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "action_time" datetime NOT NULL, "object_id" text NULL, "object_repr" varchar(200) NOT NULL, "change_message" text NOT NULL, "content_type_id" integer NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "action_flag" smallint unsigned NOT NULL CHECK ("action_flag" >= 0)))sql",
    R"sql(CREATE INDEX IF NOT EXISTS "django_admin_log_content_type_id_c4bce8eb" ON "django_admin_log" ("content_type_id"))sql",
    R"sql(CREATE INDEX IF NOT EXISTS "django_admin_log_user_id_c564eba6" ON "django_admin_log" ("user_id"))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "django_content_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL))sql",
    R"sql(CREATE UNIQUE INDEX IF NOT EXISTS "django_content_type_app_label_model_76bd3d3b_uniq" ON "django_content_type" ("app_label", "model"))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "auth_permission" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "codename" varchar(100) NOT NULL, "name" varchar(255) NOT NULL))sql",
    R"sql(CREATE UNIQUE INDEX IF NOT EXISTS "auth_permission_content_type_id_codename_01ab375a_uniq" ON "auth_permission" ("content_type_id", "codename"))sql",
    R"sql(CREATE INDEX IF NOT EXISTS "auth_permission_content_type_id_2f476e4b" ON "auth_permission" ("content_type_id"))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "lettings_address" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "number" integer unsigned NOT NULL CHECK ("number" >= 0), "street" varchar(64) NOT NULL, "city" varchar(64) NOT NULL, "state" varchar(2) NOT NULL, "zip_code" integer unsigned NOT NULL CHECK ("zip_code" >= 0), "country_iso_code" varchar(3) NOT NULL))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "profiles_profile" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "favorite_city" varchar(64) NOT NULL, "user_id" integer NOT NULL UNIQUE REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "lettings_letting" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "title" varchar(256) NOT NULL, "address_id" integer NOT NULL UNIQUE REFERENCES "lettings_address" ("id") DEFERRABLE INITIALLY DEFERRED))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" datetime NOT NULL))sql",
    R"sql(CREATE INDEX IF NOT EXISTS "django_session_expire_date_a5c62663" ON "django_session" ("expire_date"))sql",
    R"sql(CREATE TABLE IF NOT EXISTS "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL))sql",
};

// The same final state as Django 4.2's PostgreSQL backend leaves it: identity keys, timestamptz,
// boolean, foreign keys added afterwards as DEFERRABLE INITIALLY DEFERRED constraints, an index per
// foreign key and a varchar_pattern_ops "_like" index per indexed text column, under Django's own
// constraint names. PostgreSQL's DDL is transactional, so a failed migrate leaves nothing behind.
// One statement per line reads best, however long.
// clang-format off
constexpr std::array<std::string_view, 42> postgresql_schema = {
    R"sql(CREATE TABLE "django_migrations" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "app" varchar(255) NOT NULL, "name" varchar(255) NOT NULL, "applied" timestamp with time zone NOT NULL))sql",
    R"sql(CREATE TABLE "django_content_type" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL))sql",
    R"sql(ALTER TABLE "django_content_type" ADD CONSTRAINT "django_content_type_app_label_model_76bd3d3b_uniq" UNIQUE ("app_label", "model"))sql",
    R"sql(CREATE TABLE "auth_permission" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "name" varchar(255) NOT NULL, "content_type_id" integer NOT NULL, "codename" varchar(100) NOT NULL))sql",
    R"sql(ALTER TABLE "auth_permission" ADD CONSTRAINT "auth_permission_content_type_id_codename_01ab375a_uniq" UNIQUE ("content_type_id", "codename"))sql",
    R"sql(CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "name" varchar(150) NOT NULL UNIQUE))sql",
    R"sql(CREATE TABLE "auth_group_permissions" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "group_id" integer NOT NULL, "permission_id" integer NOT NULL))sql",
    R"sql(ALTER TABLE "auth_group_permissions" ADD CONSTRAINT "auth_group_permissions_group_id_permission_id_0cd325b0_uniq" UNIQUE ("group_id", "permission_id"))sql",
    R"sql(CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "password" varchar(128) NOT NULL, "last_login" timestamp with time zone NULL, "is_superuser" boolean NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "first_name" varchar(150) NOT NULL, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" boolean NOT NULL, "is_active" boolean NOT NULL, "date_joined" timestamp with time zone NOT NULL))sql",
    R"sql(CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "user_id" integer NOT NULL, "group_id" integer NOT NULL))sql",
    R"sql(ALTER TABLE "auth_user_groups" ADD CONSTRAINT "auth_user_groups_user_id_group_id_94350c0c_uniq" UNIQUE ("user_id", "group_id"))sql",
    R"sql(CREATE TABLE "auth_user_user_permissions" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "user_id" integer NOT NULL, "permission_id" integer NOT NULL))sql",
    R"sql(ALTER TABLE "auth_user_user_permissions" ADD CONSTRAINT "auth_user_user_permissions_user_id_permission_id_14a6b632_uniq" UNIQUE ("user_id", "permission_id"))sql",
    R"sql(CREATE TABLE "django_admin_log" ("id" integer NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "action_time" timestamp with time zone NOT NULL, "object_id" text NULL, "object_repr" varchar(200) NOT NULL, "action_flag" smallint NOT NULL CHECK ("action_flag" >= 0), "change_message" text NOT NULL, "content_type_id" integer NULL, "user_id" integer NOT NULL))sql",
    R"sql(CREATE TABLE "django_session" ("session_key" varchar(40) NOT NULL PRIMARY KEY, "session_data" text NOT NULL, "expire_date" timestamp with time zone NOT NULL))sql",
    R"sql(CREATE TABLE "lettings_address" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "number" integer NOT NULL CHECK ("number" >= 0), "street" varchar(64) NOT NULL, "city" varchar(64) NOT NULL, "state" varchar(2) NOT NULL, "zip_code" integer NOT NULL CHECK ("zip_code" >= 0), "country_iso_code" varchar(3) NOT NULL))sql",
    R"sql(CREATE TABLE "lettings_letting" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "title" varchar(256) NOT NULL, "address_id" bigint NOT NULL UNIQUE))sql",
    R"sql(CREATE TABLE "profiles_profile" ("id" bigint NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, "favorite_city" varchar(64) NOT NULL, "user_id" integer NOT NULL UNIQUE))sql",
    R"sql(ALTER TABLE "auth_permission" ADD CONSTRAINT "auth_permission_content_type_id_2f476e4b_fk_django_co" FOREIGN KEY ("content_type_id") REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(ALTER TABLE "auth_group_permissions" ADD CONSTRAINT "auth_group_permissions_group_id_b120cbf9_fk_auth_group_id" FOREIGN KEY ("group_id") REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(ALTER TABLE "auth_group_permissions" ADD CONSTRAINT "auth_group_permissio_permission_id_84c5c92e_fk_auth_perm" FOREIGN KEY ("permission_id") REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(ALTER TABLE "auth_user_groups" ADD CONSTRAINT "auth_user_groups_user_id_6a12ed8b_fk_auth_user_id" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(ALTER TABLE "auth_user_groups" ADD CONSTRAINT "auth_user_groups_group_id_97559544_fk_auth_group_id" FOREIGN KEY ("group_id") REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(ALTER TABLE "auth_user_user_permissions" ADD CONSTRAINT "auth_user_user_permissions_user_id_a95ead1b_fk_auth_user_id" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(ALTER TABLE "auth_user_user_permissions" ADD CONSTRAINT "auth_user_user_permi_permission_id_1fbb5f2c_fk_auth_perm" FOREIGN KEY ("permission_id") REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(ALTER TABLE "django_admin_log" ADD CONSTRAINT "django_admin_log_content_type_id_c4bce8eb_fk_django_co" FOREIGN KEY ("content_type_id") REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(ALTER TABLE "django_admin_log" ADD CONSTRAINT "django_admin_log_user_id_c564eba6_fk_auth_user_id" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(ALTER TABLE "lettings_letting" ADD CONSTRAINT "lettings_letting_address_id_d7e3fd19_fk_lettings_address_id" FOREIGN KEY ("address_id") REFERENCES "lettings_address" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(ALTER TABLE "profiles_profile" ADD CONSTRAINT "profiles_profile_user_id_a3e81f91_fk_auth_user_id" FOREIGN KEY ("user_id") REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)sql",
    R"sql(CREATE INDEX "auth_permission_content_type_id_2f476e4b" ON "auth_permission" ("content_type_id"))sql",
    R"sql(CREATE INDEX "auth_group_name_a6ea08ec_like" ON "auth_group" ("name" varchar_pattern_ops))sql",
    R"sql(CREATE INDEX "auth_group_permissions_group_id_b120cbf9" ON "auth_group_permissions" ("group_id"))sql",
    R"sql(CREATE INDEX "auth_group_permissions_permission_id_84c5c92e" ON "auth_group_permissions" ("permission_id"))sql",
    R"sql(CREATE INDEX "auth_user_username_6821ab7c_like" ON "auth_user" ("username" varchar_pattern_ops))sql",
    R"sql(CREATE INDEX "auth_user_groups_user_id_6a12ed8b" ON "auth_user_groups" ("user_id"))sql",
    R"sql(CREATE INDEX "auth_user_groups_group_id_97559544" ON "auth_user_groups" ("group_id"))sql",
    R"sql(CREATE INDEX "auth_user_user_permissions_user_id_a95ead1b" ON "auth_user_user_permissions" ("user_id"))sql",
    R"sql(CREATE INDEX "auth_user_user_permissions_permission_id_1fbb5f2c" ON "auth_user_user_permissions" ("permission_id"))sql",
    R"sql(CREATE INDEX "django_admin_log_content_type_id_c4bce8eb" ON "django_admin_log" ("content_type_id"))sql",
    R"sql(CREATE INDEX "django_admin_log_user_id_c564eba6" ON "django_admin_log" ("user_id"))sql",
    R"sql(CREATE INDEX "django_session_expire_date_a5c62663" ON "django_session" ("expire_date"))sql",
    R"sql(CREATE INDEX "django_session_session_key_c0390e0f_like" ON "django_session" ("session_key" varchar_pattern_ops))sql",
};
// clang-format on

constexpr std::array<std::string_view, 13> table_names = {
    "django_migrations", "auth_group_permissions", "auth_user_groups", "auth_user_user_permissions",
    "django_admin_log",  "django_content_type",    "auth_permission",  "auth_group",
    "lettings_address",  "profiles_profile",       "lettings_letting", "django_session",
    "auth_user",
};

constexpr std::array<MigrationName, 24> migrations = {{
    {"contenttypes", "0001_initial"},
    {"auth", "0001_initial"},
    {"admin", "0001_initial"},
    {"admin", "0002_logentry_remove_auto_add"},
    {"admin", "0003_logentry_add_action_flag_choices"},
    {"contenttypes", "0002_remove_content_type_name"},
    {"auth", "0002_alter_permission_name_max_length"},
    {"auth", "0003_alter_user_email_max_length"},
    {"auth", "0004_alter_user_username_opts"},
    {"auth", "0005_alter_user_last_login_null"},
    {"auth", "0006_require_contenttypes_0002"},
    {"auth", "0007_alter_validators_add_error_messages"},
    {"auth", "0008_alter_user_username_max_length"},
    {"auth", "0009_alter_user_last_name_max_length"},
    {"auth", "0010_alter_group_name_max_length"},
    {"auth", "0011_update_proxy_permissions"},
    {"oc_lettings_site", "0001_initial"},
    {"sessions", "0001_initial"},
    {"auth", "0012_alter_user_first_name_max_length"},
    {"lettings", "0001_initial"},
    {"oc_lettings_site", "0002_remove_letting_address_delete_address_delete_letting"},
    {"oc_lettings_site", "0003_delete_profile"},
    {"profiles", "0001_initial"},
    {"lettings", "0002_alter_address_options"},
}};

/// A model Django's post_migrate gives a content type and four permissions.
struct ContentTypeSpec {
  std::string_view app_label;
  std::string_view model;
  std::string_view verbose_name;
};

constexpr std::array<ContentTypeSpec, 9> content_types = {{
    {"admin", "logentry", "log entry"},
    {"auth", "permission", "permission"},
    {"auth", "group", "group"},
    {"auth", "user", "user"},
    {"contenttypes", "contenttype", "content type"},
    {"sessions", "session", "session"},
    {"lettings", "address", "address"},
    {"lettings", "letting", "letting"},
    {"profiles", "profile", "profile"},
}};

constexpr std::array<std::string_view, 4> permission_actions = {"add", "change", "delete", "view"};

// Django stores DateTimeField values in SQLite as naive UTC text with microseconds.
std::string utc_now_text() {
  using namespace std::chrono;
  const auto now = floor<std::chrono::microseconds>(system_clock::now());
  const auto day = floor<days>(now);
  const year_month_day date{day};
  const hh_mm_ss time{now - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count(), time.subseconds().count());
}

bool table_exists(Connection& connection, std::string_view table) {
  if (connection.dialect() == Dialect::postgresql) {
    return !connection
                .query(
                    "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
                    "AND table_name = ?",
                    {Value{std::string(table)}})
                .empty();
  }
  return !connection.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", {Value{std::string(table)}})
              .empty();
}

void create_schema(Connection& connection) {
  // PostgreSQL has no IF NOT EXISTS for constraints: its schema is created whole, once.
  if (connection.dialect() == Dialect::postgresql && table_exists(connection, "django_migrations")) {
    return;
  }
  for (const auto statement : schema_statements(connection.dialect())) {
    connection.execute(statement);
  }
}

std::vector<std::string> record_migrations(Connection& connection) {
  std::vector<std::string> applied;
  const auto applied_at = utc_now_text();
  for (const auto& migration : migrations) {
    const Value app{std::string(migration.app)};
    const Value name{std::string(migration.name)};
    if (connection.query("SELECT 1 FROM django_migrations WHERE app = ? AND name = ?", {app, name}).empty()) {
      connection.execute("INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, ?)",
                         {app, name, Value{applied_at}});
      applied.push_back(fmt::format("{}.{}", migration.app, migration.name));
    }
  }
  return applied;
}

std::size_t ensure_content_types(Connection& connection) {
  std::size_t added = 0;
  for (const auto& type : content_types) {
    const Value app_label{std::string(type.app_label)};
    const Value model{std::string(type.model)};
    if (connection.query("SELECT 1 FROM django_content_type WHERE app_label = ? AND model = ?", {app_label, model})
            .empty()) {
      connection.execute("INSERT INTO django_content_type (app_label, model) VALUES (?, ?)", {app_label, model});
      ++added;
    }
  }
  return added;
}

std::size_t ensure_permissions_of(Connection& connection, const ContentTypeSpec& type) {
  const auto found = connection.query("SELECT id FROM django_content_type WHERE app_label = ? AND model = ?",
                                      {Value{std::string(type.app_label)}, Value{std::string(type.model)}});
  const Value content_type_id{found.rows.at(0).integer(0)};
  std::size_t added = 0;
  for (const auto action : permission_actions) {
    const Value codename{fmt::format("{}_{}", action, type.model)};
    const Value name{fmt::format("Can {} {}", action, type.verbose_name)};
    if (connection
            .query("SELECT 1 FROM auth_permission WHERE content_type_id = ? AND codename = ?",
                   {content_type_id, codename})
            .empty()) {
      connection.execute("INSERT INTO auth_permission (content_type_id, codename, name) VALUES (?, ?, ?)",
                         {content_type_id, codename, name});
      ++added;
    }
  }
  return added;
}

std::size_t ensure_permissions(Connection& connection) {
  std::size_t added = 0;
  for (const auto& type : content_types) {
    added += ensure_permissions_of(connection, type);
  }
  return added;
}

}  // namespace

std::span<const MigrationName> known_migrations() {
  return migrations;
}

std::span<const std::string_view> schema_statements(Dialect dialect) {
  switch (dialect) {
    case Dialect::sqlite:
      return sqlite_schema;
    case Dialect::postgresql:
      return postgresql_schema;
  }
  throw DatabaseError("unknown SQL dialect");
}

std::span<const std::string_view> schema_tables() {
  return table_names;
}

MigrationReport migrate(Connection& connection) {
  return in_transaction(connection, [&connection] {
    create_schema(connection);
    MigrationReport report;
    report.applied = record_migrations(connection);
    report.content_types_added = ensure_content_types(connection);
    report.permissions_added = ensure_permissions(connection);
    return report;
  });
}

bool has_schema(Connection& connection) {
  for (const auto table : schema_tables()) {
    if (!table_exists(connection, table)) {
      return false;
    }
  }
  return true;
}

void advance_id_counter(Connection& connection, std::string_view table, std::string_view key_column) {
  if (connection.dialect() == Dialect::postgresql) {
    connection.query(
        fmt::format("SELECT setval(pg_get_serial_sequence('\"{0}\"', '{1}'), COALESCE(MAX(\"{1}\"), 1), "
                    "MAX(\"{1}\") IS NOT NULL) FROM \"{0}\"",
                    table, key_column));
    return;
  }
  // SQLite's AUTOINCREMENT follows explicit ids by itself; sqlite_sequence is set anyway, so the
  // guarantee does not depend on how the rows were written.
  const auto highest = connection.query(fmt::format("SELECT MAX(\"{}\") FROM \"{}\"", key_column, table));
  if (highest.rows.at(0).is_null(0)) {
    return;
  }
  const Value name{std::string(table)};
  const Value top{highest.rows.at(0).integer(0)};
  if (connection.execute("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?", {top, name}) == 0) {
    connection.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", {name, top});
  }
}

}  // namespace ocl::db
