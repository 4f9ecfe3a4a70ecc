#include "admin/forms.hpp"

#include <gtest/gtest.h>

#include "admin/tests/admin_test_support.hpp"

namespace ocl::admin {
namespace {

using Messages = std::vector<std::string>;

http::QueryParams valid_address() {
  return {{"number", "12"}, {"street", "Ocean Drive"}, {"city", "Laguna Beach"},
          {"state", "CA"},  {"zip_code", "92651"},     {"country_iso_code", "USA"}};
}

http::QueryParams with(http::QueryParams params, const std::string& name, const std::string& value) {
  for (auto& [key, old] : params) {
    if (key == name) {
      old = value;
    }
  }
  return params;
}

class FormsTest : public testing::SharedDatabaseTest {
 protected:
  Messages errors(std::string_view model, const http::QueryParams& post, const std::string& field,
                  std::optional<std::int64_t> pk = std::nullopt) {
    const auto form = bind_form(connection, *find_admin(model), post, pk);
    const auto* found = form.find(field);
    return found == nullptr ? Messages{"no such field"} : found->errors;
  }
  Messages address_errors(const std::string& field, const std::string& value) {
    return errors("lettings.address", with(valid_address(), field, value), field);
  }
};

TEST_F(FormsTest, ValidAddressSavesAndReloads) {
  const auto& admin = *find_admin("lettings.address");
  const auto form = bind_form(connection, admin, valid_address(), std::nullopt);
  ASSERT_TRUE(form.valid());
  const auto pk = save_form(connection, admin, form, std::nullopt);
  const auto values = load_values(connection, admin, pk);
  ASSERT_TRUE(values);
  EXPECT_EQ(values->at("street"), Messages{"Ocean Drive"});
  EXPECT_EQ(values->at("zip_code"), Messages{"92651"});
  EXPECT_EQ(object_repr(connection, admin, pk), "12 Ocean Drive");
}

TEST_F(FormsTest, AddressValidationMessagesAreDjangos) {
  EXPECT_EQ(address_errors("number", ""), Messages{"This field is required."});
  EXPECT_EQ(address_errors("number", "ten"), Messages{"Enter a whole number."});
  EXPECT_EQ(address_errors("number", "1.5"), Messages{"Enter a whole number."});
  EXPECT_EQ(address_errors("number", "-1"), Messages{"Ensure this value is greater than or equal to 0."});
  EXPECT_EQ(address_errors("number", "10000"), Messages{"Ensure this value is less than or equal to 9999."});
  EXPECT_EQ(address_errors("number", "99999999999999999999999"),
            Messages{"Ensure this value is less than or equal to 9999."});
  EXPECT_EQ(address_errors("number", "9999"), Messages{});
  EXPECT_EQ(address_errors("zip_code", "100000"), Messages{"Ensure this value is less than or equal to 99999."});
  EXPECT_EQ(address_errors("street", std::string(65, 'x')),
            Messages{"Ensure this value has at most 64 characters (it has 65)."});
  EXPECT_EQ(address_errors("city", "   "), Messages{"This field is required."});
  EXPECT_EQ(address_errors("state", "C"), Messages{"Ensure this value has at least 2 characters (it has 1)."});
  EXPECT_EQ(address_errors("state", "CAL"), Messages{"Ensure this value has at most 2 characters (it has 3)."});
  EXPECT_EQ(address_errors("country_iso_code", "US"),
            Messages{"Ensure this value has at least 3 characters (it has 2)."});
  EXPECT_EQ(address_errors("country_iso_code", "\xc3\xa9\xc3\xa9\xc3\xa9"), Messages{});
}

TEST_F(FormsTest, InvalidInputIsKeptForRedisplay) {
  const auto form =
      bind_form(connection, *find_admin("lettings.address"), with(valid_address(), "number", "ten"), std::nullopt);
  EXPECT_EQ(form.error_count(), 1U);
  EXPECT_EQ(form.find("number")->value(), "ten");
  EXPECT_EQ(form.find("city")->value(), "Laguna Beach");
}

TEST_F(FormsTest, OneLettingPerAddress) {
  const auto used = connection.query("SELECT address_id FROM lettings_letting LIMIT 1").rows.at(0).integer(0);
  const http::QueryParams post{{"title", "Another"}, {"address", std::to_string(used)}};
  EXPECT_EQ(errors("lettings.letting", post, "address"), Messages{"Letting with this Address already exists."});
  const auto owner = connection.query("SELECT id FROM lettings_letting WHERE address_id = ?", {used}).rows.at(0);
  EXPECT_EQ(errors("lettings.letting", post, "address", owner.integer(0)), Messages{});
  EXPECT_EQ(errors("lettings.letting", {{"title", "x"}, {"address", "999"}}, "address"),
            Messages{"Select a valid choice. That choice is not one of the available choices."});
  EXPECT_EQ(errors("lettings.letting", {{"title", std::string(257, 't')}}, "title"),
            Messages{"Ensure this value has at most 256 characters (it has 257)."});
}

TEST_F(FormsTest, LettingSelectOffersAddresses) {
  const auto form = make_form(connection, *find_admin("lettings.letting"), {}, false);
  const auto* address = form.find("address");
  ASSERT_NE(address, nullptr);
  EXPECT_EQ(address->widget, Widget::select);
  EXPECT_EQ(address->choices.size(), 6U);
}

TEST_F(FormsTest, ProfileRules) {
  const auto used = connection.query("SELECT user_id FROM profiles_profile LIMIT 1").rows.at(0).integer(0);
  EXPECT_EQ(errors("profiles.profile", {{"user", std::to_string(used)}}, "user"),
            Messages{"Profile with this User already exists."});
  EXPECT_EQ(errors("profiles.profile", {{"user", "1"}}, "favorite_city"), Messages{});
  EXPECT_EQ(errors("profiles.profile", {{"user", "1"}, {"favorite_city", std::string(65, 'c')}}, "favorite_city"),
            Messages{"Ensure this value has at most 64 characters (it has 65)."});
  EXPECT_EQ(
      view_on_site_url(connection, *find_admin("profiles.profile"),
                       connection.query("SELECT id FROM profiles_profile WHERE user_id = 3").rows.at(0).integer(0)),
      "/profiles/AirWow/");
}

TEST_F(FormsTest, UsernameRules) {
  const http::QueryParams base{{"username", "bad name!"}};
  EXPECT_EQ(
      errors("auth.user", base, "username"),
      Messages{"Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."});
  EXPECT_EQ(errors("auth.user", {{"username", "AirWow"}}, "username"),
            Messages{"A user with that username already exists."});
  EXPECT_EQ(errors("auth.user", {{"username", "AirWow"}}, "username", 3), Messages{});
  EXPECT_EQ(errors("auth.user", {{"username", std::string(151, 'u')}}, "username"),
            Messages{"Ensure this value has at most 150 characters (it has 151)."});
  EXPECT_TRUE(is_valid_username("j.doe+admin@example-site_1"));
}

TEST_F(FormsTest, ChangedLabelsUseVerboseNamesInFormOrder) {
  const auto& admin = *find_admin("lettings.address");
  const auto pk =
      save_form(connection, admin, bind_form(connection, admin, valid_address(), std::nullopt), std::nullopt);
  const auto before = *load_values(connection, admin, pk);
  auto post = with(with(valid_address(), "zip_code", "00001"), "city", "Irvine");
  const auto form = bind_form(connection, admin, post, pk);
  EXPECT_EQ(changed_labels(form, before), (Messages{"City", "Zip code"}));
  EXPECT_EQ(changed_labels(bind_form(connection, admin, with(valid_address(), "number", "012"), pk), before),
            Messages{});
}

TEST_F(FormsTest, ManyToManyFieldsSaveTheirRows) {
  const auto& admin = *find_admin("auth.group");
  const auto form =
      bind_form(connection, admin, {{"name", "Editors"}, {"permissions", "44"}, {"permissions", "42"}}, std::nullopt);
  ASSERT_TRUE(form.valid());
  const auto pk = save_form(connection, admin, form, std::nullopt);
  EXPECT_EQ(load_values(connection, admin, pk)->at("permissions"), (Messages{"42", "44"}));
  EXPECT_EQ(errors("auth.group", {{"name", "Editors"}, {"permissions", "9999"}}, "permissions"),
            Messages{"Select a valid choice. 9999 is not one of the available choices."});
  EXPECT_EQ(errors("auth.group", {{"name", "Editors"}}, "name"), Messages{"Group with this Name already exists."});
}

}  // namespace
}  // namespace ocl::admin
