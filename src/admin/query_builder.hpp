#pragma once
/// @file
/// @brief SQL text built only from model descriptions: column paths ("user__username") become
/// quoted column expressions with the LEFT JOINs they need. Values are never part of the text.

#include <string>
#include <string_view>
#include <vector>

#include "db/model.hpp"

namespace ocl::admin {

/// @brief Double-quotes an identifier taken from a model description.
std::string quote_identifier(std::string_view name);

/// @brief Collects the joins a query needs while turning field paths into SQL expressions.
class QueryBuilder {
 public:
  /// @brief A query over `model`'s table, aliased "t".
  explicit QueryBuilder(const db::Model& model);

  /// @brief The expression of a field path; a relation without a further field yields the related
  /// object's __str__ text. Throws std::invalid_argument for an unknown field.
  std::string expression(std::string_view path);
  /// @brief The expression of the base model's __str__, as text.
  std::string str_expression();
  /// @brief The base table's primary-key column.
  [[nodiscard]] std::string primary_key() const;
  /// @brief "FROM <table> AS t LEFT JOIN ..." with every join requested so far.
  [[nodiscard]] std::string from_clause() const;

 private:
  struct Join {
    std::string key;  ///< path of the relation from the base model ("user")
    std::string alias;
    std::string clause;
  };

  std::string resolve(const db::Model& model, const std::string& alias, const std::string& prefix,
                      std::string_view path);
  std::string str_of(const db::Model& model, const std::string& alias, const std::string& prefix);
  std::string join(const db::Field& field, const db::Model& related, const std::string& alias, const std::string& key);

  const db::Model& model_;
  std::vector<Join> joins_;
};

/// @brief The model a relation field points to; throws std::logic_error if it is not described.
const db::Model& related_model(const db::Field& field);

/// @brief True for foreign keys and one-to-one fields (they own a column).
bool is_relation(const db::Field& field);

}  // namespace ocl::admin
