#include "auth/models.hpp"

#include "db/fields.hpp"

namespace ocl::auth {
namespace {

using db::Field;
using db::FieldType;
using namespace db::fields;  // NOLINT(google-build-using-namespace): reads like models.py

db::Model model(std::string app_label, std::string model_name, std::string table, std::string verbose_name,
                std::string verbose_name_plural, std::vector<Field> fields) {
  return db::Model{.app_label = std::move(app_label),
                   .model_name = std::move(model_name),
                   .table = std::move(table),
                   .verbose_name = std::move(verbose_name),
                   .verbose_name_plural = std::move(verbose_name_plural),
                   .fields = std::move(fields),
                   .ordering = {}};
}

db::Model make_content_type_model() {
  return model(
      "contenttypes", "contenttype", "django_content_type", "content type", "content types",
      {auto_id(), char_field("app_label", "App label", 100), char_field("model", "Python model class name", 100)});
}

db::Model make_permission_model() {
  return model("auth", "permission", "auth_permission", "permission", "permissions",
               {auto_id(), char_field("name", "Name", 255),
                foreign_key("content_type", "Content type", "contenttypes.contenttype"),
                char_field("codename", "Codename", 100)});
}

db::Model make_group_model() {
  return model("auth", "group", "auth_group", "group", "groups",
               {auto_id(), unique(char_field("name", "Name", 150)),
                many_to_many("permissions", "Permissions", "auth.permission",
                             {"auth_group_permissions", "group_id", "permission_id"})});
}

// Declaration order of Django's AbstractUser, which is also the order dumpdata writes.
db::Model make_user_model() {
  return model(
      "auth", "user", "auth_user", "user", "users",
      {auto_id(), char_field("password", "Password", 128),
       nullable(plain("last_login", FieldType::datetime, "Last login")), boolean("is_superuser", "Superuser status"),
       unique(char_field("username", "Username", 150)), optional(char_field("first_name", "First name", 150)),
       optional(char_field("last_name", "Last name", 150)), optional(char_field("email", "Email address", 254)),
       boolean("is_staff", "Staff status"), boolean("is_active", "Active"),
       plain("date_joined", FieldType::datetime, "Date joined"),
       many_to_many("groups", "Groups", "auth.group", {"auth_user_groups", "user_id", "group_id"}),
       many_to_many("user_permissions", "User permissions", "auth.permission",
                    {"auth_user_user_permissions", "user_id", "permission_id"})});
}

db::Model make_session_model() {
  auto session_key = unique(char_field("session_key", "Session key", 40));
  session_key.type = FieldType::primary_key_char;
  return model("sessions", "session", "django_session", "session", "sessions",
               {std::move(session_key), plain("session_data", FieldType::text, "Session data"),
                plain("expire_date", FieldType::datetime, "Expire date")});
}

db::Model make_log_entry_model() {
  auto action_flag = plain("action_flag", FieldType::positive_small_integer, "Action flag");
  action_flag.min_value = 0;
  action_flag.max_value = 32767;
  auto result = model(
      "admin", "logentry", "django_admin_log", "log entry", "log entries",
      {auto_id(), plain("action_time", FieldType::datetime, "Action time"), foreign_key("user", "User", "auth.user"),
       nullable(foreign_key("content_type", "Content type", "contenttypes.contenttype")),
       nullable(plain("object_id", FieldType::text, "Object id")), char_field("object_repr", "Object repr", 200),
       std::move(action_flag), optional(plain("change_message", FieldType::text, "Change message"))});
  result.ordering = {"-action_time"};
  return result;
}

}  // namespace

const db::Model& content_type_model() {
  static const db::Model description = make_content_type_model();
  return description;
}

const db::Model& permission_model() {
  static const db::Model description = make_permission_model();
  return description;
}

const db::Model& group_model() {
  static const db::Model description = make_group_model();
  return description;
}

const db::Model& user_model() {
  static const db::Model description = make_user_model();
  return description;
}

const db::Model& session_model() {
  static const db::Model description = make_session_model();
  return description;
}

const db::Model& log_entry_model() {
  static const db::Model description = make_log_entry_model();
  return description;
}

}  // namespace ocl::auth
