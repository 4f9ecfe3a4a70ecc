#pragma once
/// @file
/// @brief Builders for model field descriptions, as Django's field classes read in models.py.

#include <cstdint>
#include <string>

#include "db/model.hpp"

namespace ocl::db::fields {

/// @brief A field stored in a column named after it.
Field plain(std::string name, FieldType type, std::string verbose_name);
/// @brief The automatic "id" primary key.
Field auto_id();
/// @brief CharField(max_length).
Field char_field(std::string name, std::string verbose_name, std::int64_t max_length);
/// @brief PositiveIntegerField (>= 0) with a MaxValueValidator.
Field positive_integer(std::string name, std::string verbose_name, std::int64_t max_value);
/// @brief BooleanField: never required in forms, an unchecked box means false.
Field boolean(std::string name, std::string verbose_name);
/// @brief ForeignKey to `related_model`, stored in "<name>_id".
Field foreign_key(std::string name, std::string verbose_name, std::string related_model);
/// @brief OneToOneField to `related_model`, stored in "<name>_id" (UNIQUE).
Field one_to_one(std::string name, std::string verbose_name, std::string related_model);
/// @brief ManyToManyField: no column of its own, its rows live in the join table.
Field many_to_many(std::string name, std::string verbose_name, std::string related_model, ThroughTable through);

/// @brief blank=True.
Field optional(Field field);
/// @brief null=True, blank=True.
Field nullable(Field field);
/// @brief unique=True.
Field unique(Field field);
/// @brief A MinLengthValidator.
Field with_min_length(Field field, std::int64_t min_length);

}  // namespace ocl::db::fields
