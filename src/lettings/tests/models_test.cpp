#include "lettings/models.hpp"

#include <gtest/gtest.h>

#include "app/models.hpp"

namespace ocl {
namespace {

std::vector<std::string> field_names(const db::Model& model) {
  std::vector<std::string> names;
  for (const auto& field : model.fields) {
    names.push_back(field.name);
  }
  return names;
}

TEST(LettingsModels, AddressMatchesDjangosDeclaration) {
  const auto& address = lettings::address_model();
  EXPECT_EQ(address.label(), "lettings.address");
  EXPECT_EQ(address.table, "lettings_address");
  EXPECT_EQ(address.verbose_name_plural, "addresses");
  EXPECT_EQ(field_names(address),
            (std::vector<std::string>{"id", "number", "street", "city", "state", "zip_code", "country_iso_code"}));
  EXPECT_EQ(address.field("number")->max_value, 9999);
  EXPECT_EQ(address.field("number")->min_value, 0);
  EXPECT_EQ(address.field("zip_code")->max_value, 99999);
  EXPECT_EQ(address.field("state")->max_length, 2);
  EXPECT_EQ(address.field("state")->min_length, 2);
  EXPECT_EQ(address.field("country_iso_code")->min_length, 3);
  EXPECT_EQ(address.field("street")->max_length, 64);
  EXPECT_EQ(address.primary_key().type, db::FieldType::auto_pk);
}

TEST(LettingsModels, LettingIsLinkedOneToOneToItsAddress) {
  const auto& letting = lettings::letting_model();
  EXPECT_EQ(field_names(letting), (std::vector<std::string>{"id", "title", "address"}));
  const auto* address = letting.field("address");
  ASSERT_NE(address, nullptr);
  EXPECT_EQ(address->type, db::FieldType::one_to_one);
  EXPECT_EQ(address->column, "address_id");
  EXPECT_EQ(address->related_model, "lettings.address");
  EXPECT_EQ(letting.field("title")->max_length, 256);
}

TEST(AppModels, AllModelsComeAfterTheModelsTheyReferTo) {
  const auto& models = app::all_models();
  ASSERT_EQ(models.size(), 9U);
  for (std::size_t index = 0; index < models.size(); ++index) {
    for (const auto& field : models[index]->fields) {
      if (field.related_model.empty()) {
        continue;
      }
      const auto* target = app::find_model(field.related_model);
      ASSERT_NE(target, nullptr) << field.related_model;
      const auto position = std::find(models.begin(), models.end(), target) - models.begin();
      EXPECT_LE(static_cast<std::size_t>(position), index) << models[index]->label() << "." << field.name;
    }
  }
}

TEST(AppModels, FindModelIgnoresTheCaseOfTheModelName) {
  EXPECT_EQ(app::find_model("lettings.Address"), &lettings::address_model());
  EXPECT_EQ(app::find_model("profiles.profile")->fields.at(1).related_model, "auth.user");
  EXPECT_EQ(app::find_model("auth.User")->field("groups")->through->table, "auth_user_groups");
  EXPECT_EQ(app::find_model("lettings.house"), nullptr);
  EXPECT_EQ(app::find_model("lettings"), nullptr);
}

}  // namespace
}  // namespace ocl
