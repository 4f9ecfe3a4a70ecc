#pragma once
/// @file
/// @brief Declarative descriptions of the Django models stored in the database.
///
/// One description per model drives everything generic: fixtures (loaddata/dumpdata)
/// and the admin engine. Each feature folder declares its own models (lettings/models.cpp,
/// profiles/models.cpp, auth/models.cpp); app/models.cpp lists them all.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ocl::db {

/// @brief The Django field classes the site's models use.
enum class FieldType {
  auto_pk,                 ///< AutoField / BigAutoField primary key ("id")
  integer,                 ///< IntegerField
  positive_integer,        ///< PositiveIntegerField (>= 0)
  positive_small_integer,  ///< PositiveSmallIntegerField (>= 0, <= 32767)
  boolean,                 ///< BooleanField (stored 0/1 in SQLite)
  char_field,              ///< CharField(max_length)
  text,                    ///< TextField
  datetime,                ///< DateTimeField (UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]" in SQLite)
  foreign_key,             ///< ForeignKey (column "<name>_id")
  one_to_one,              ///< OneToOneField (column "<name>_id", UNIQUE)
  many_to_many,            ///< ManyToManyField through a join table
  primary_key_char,        ///< CharField(primary_key=True), e.g. django_session.session_key
};

/// @brief The join table behind a ManyToManyField.
struct ThroughTable {
  std::string table;          ///< e.g. "auth_user_groups"
  std::string source_column;  ///< e.g. "user_id"
  std::string target_column;  ///< e.g. "group_id"
};

/// @brief One model field, as Django declares it.
struct Field {
  std::string name;    ///< Django field name, as in fixtures and admin forms ("address")
  std::string column;  ///< database column ("address_id"); empty for many_to_many
  FieldType type = FieldType::char_field;
  std::string verbose_name;  ///< label shown to people ("Zip code")
  bool nullable = false;     ///< null=True
  bool blank = false;        ///< blank=True (optional in forms)
  bool unique = false;
  std::optional<std::int64_t> max_length;  ///< CharField max_length, in characters
  std::optional<std::int64_t> min_value;   ///< validators: MinValueValidator
  std::optional<std::int64_t> max_value;   ///< validators: MaxValueValidator
  std::optional<std::int64_t> min_length;  ///< validators: MinLengthValidator
  std::string related_model;               ///< "app_label.model" for relations
  std::optional<ThroughTable> through;     ///< for many_to_many
};

/// @brief One Django model: its identity, table and fields (primary key first).
struct Model {
  std::string app_label;              ///< "lettings"
  std::string model_name;             ///< lower-case class name: "address"
  std::string table;                  ///< "lettings_address"
  std::string verbose_name;           ///< "address"
  std::string verbose_name_plural;    ///< "addresses"
  std::vector<Field> fields;          ///< primary key first, then concrete fields, then many-to-many
  std::vector<std::string> ordering;  ///< Meta.ordering ("-action_time"), empty for primary-key order

  /// @brief "app_label.model_name", as in fixtures.
  [[nodiscard]] std::string label() const { return app_label + "." + model_name; }
  /// @brief The primary-key field.
  [[nodiscard]] const Field& primary_key() const { return fields.front(); }
  /// @brief The field with that name, or nullptr.
  [[nodiscard]] const Field* field(std::string_view name) const {
    for (const auto& candidate : fields) {
      if (candidate.name == name) {
        return &candidate;
      }
    }
    return nullptr;
  }
};

}  // namespace ocl::db
