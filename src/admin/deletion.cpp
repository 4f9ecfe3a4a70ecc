#include "admin/deletion.hpp"

#include <algorithm>

#include "admin/forms.hpp"
#include "admin/query_builder.hpp"
#include "app/models.hpp"

namespace ocl::admin {
namespace {

/// A relation from `model`'s `field` to another model.
struct Reference {
  const db::Model* model;
  const db::Field* field;
};

std::vector<Reference> references_to(const db::Model& target) {
  std::vector<Reference> references;
  for (const auto* model : app::all_models()) {
    for (const auto& field : model->fields) {
      if (is_relation(field) && field.related_model == target.label()) {
        references.push_back({model, &field});
      }
    }
  }
  return references;
}

std::vector<std::int64_t> referencing_ids(db::Connection& connection, const Reference& reference, std::int64_t pk) {
  const auto result = connection.query("SELECT " + quote_identifier(reference.model->primary_key().column) + " FROM " +
                                           quote_identifier(reference.model->table) + " WHERE " +
                                           quote_identifier(reference.field->column) + " = ? ORDER BY 1",
                                       {pk});
  std::vector<std::int64_t> ids;
  for (const auto& row : result.rows) {
    ids.push_back(row.integer(0));
  }
  return ids;
}

std::string repr_of(db::Connection& connection, const db::Model& model, std::int64_t pk) {
  if (const auto* admin = find_admin(model.label()); admin != nullptr) {
    return object_repr(connection, *admin, pk).value_or("");
  }
  return capitalize_first(model.verbose_name) + " object (" + std::to_string(pk) + ")";
}

class Collector {
 public:
  Collector(db::Connection& connection, const auth::CurrentUser& user) : connection_(connection), user_(user) {}

  void collect(const db::Model& model, std::int64_t pk, int depth) {
    add(model, pk, depth);
    for (const auto& reference : references_to(model)) {
      for (const auto id : referencing_ids(connection_, reference, pk)) {
        collect(*reference.model, id, depth + 1);
      }
    }
  }

  DeletionPlan take() { return std::move(plan_); }

 private:
  void add(const db::Model& model, std::int64_t pk, int depth) {
    const auto* admin = find_admin(model.label());
    DeletedObject object{&model, pk, repr_of(connection_, model, pk), depth, {}};
    if (admin != nullptr && user_.has_perm(model.app_label, "change_" + model.model_name)) {
      object.change_url = admin->object_url(pk, "change");
    }
    plan_.objects.push_back(std::move(object));
    count(capitalize_first(model.verbose_name_plural));
    if (admin != nullptr && !user_.has_perm(model.app_label, "delete_" + model.model_name) &&
        std::ranges::find(plan_.perms_needed, model.verbose_name) == plan_.perms_needed.end()) {
      plan_.perms_needed.push_back(model.verbose_name);
    }
  }

  void count(const std::string& plural) {
    const auto found = std::ranges::find(plan_.summary, plural, &std::pair<std::string, std::int64_t>::first);
    if (found == plan_.summary.end()) {
      plan_.summary.emplace_back(plural, 1);
    } else {
      ++found->second;
    }
  }

  db::Connection& connection_;
  const auth::CurrentUser& user_;
  DeletionPlan plan_;
};

// Many-to-many rows go with either end: the object's own (user -> groups) and others' (group <- users).
void delete_many_to_many_rows(db::Connection& connection, const db::Model& model, std::int64_t pk) {
  for (const auto* other : app::all_models()) {
    for (const auto& field : other->fields) {
      if (field.type != db::FieldType::many_to_many || !field.through) {
        continue;
      }
      const auto& through = *field.through;
      if (other == &model) {
        connection.execute("DELETE FROM " + quote_identifier(through.table) + " WHERE " +
                               quote_identifier(through.source_column) + " = ?",
                           {pk});
      }
      if (field.related_model == model.label()) {
        connection.execute("DELETE FROM " + quote_identifier(through.table) + " WHERE " +
                               quote_identifier(through.target_column) + " = ?",
                           {pk});
      }
    }
  }
}

}  // namespace

DeletionPlan plan_deletion(db::Connection& connection, const ModelAdmin& admin, const std::vector<std::int64_t>& pks,
                           const auth::CurrentUser& user) {
  Collector collector(connection, user);
  for (const auto pk : pks) {
    collector.collect(*admin.model, pk, 0);
  }
  return collector.take();
}

void delete_cascade(db::Connection& connection, const db::Model& model, std::int64_t pk) {
  for (const auto& reference : references_to(model)) {
    for (const auto id : referencing_ids(connection, reference, pk)) {
      delete_cascade(connection, *reference.model, id);
    }
  }
  delete_many_to_many_rows(connection, model, pk);
  connection.execute("DELETE FROM " + quote_identifier(model.table) + " WHERE " +
                         quote_identifier(model.primary_key().column) + " = ?",
                     {pk});
}

}  // namespace ocl::admin
