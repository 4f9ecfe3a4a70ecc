#include "admin/model_admin.hpp"

#include <cctype>

#include "auth/models.hpp"
#include "lettings/models.hpp"
#include "profiles/models.hpp"

namespace ocl::admin {
namespace {

ModelAdmin group_admin() {
  return ModelAdmin{.model = &auth::group_model(),
                    .str_fields = {"name"},
                    .list_display = {"name"},
                    .search_fields = {"name"},
                    .list_filter = {},
                    .ordering = {"name"},
                    .fields = {"name", "permissions"},
                    .readonly_fields = {},
                    .view_on_site = {}};
}

// Django's AbstractUser messages and help texts.
std::vector<FieldRule> user_rules() {
  return {
      {.field = "username",
       .unique_message = "A user with that username already exists.",
       .help_text = "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
       .username = true},
      {.field = "is_active",
       .unique_message = {},
       .help_text = "Designates whether this user should be treated as active. Unselect this instead of deleting "
                    "accounts.",
       .username = false},
      {.field = "is_staff",
       .unique_message = {},
       .help_text = "Designates whether the user can log into this admin site.",
       .username = false},
      {.field = "is_superuser",
       .unique_message = {},
       .help_text = "Designates that this user has all permissions without explicitly assigning them.",
       .username = false},
      {.field = "groups",
       .unique_message = {},
       .help_text = "The groups this user belongs to. A user will get all permissions granted to each of their "
                    "groups.",
       .username = false},
      {.field = "user_permissions",
       .unique_message = {},
       .help_text = "Specific permissions for this user.",
       .username = false},
  };
}

// Django's UserAdmin: list_display, search_fields, list_filter and ordering as it declares them.
ModelAdmin user_admin() {
  return ModelAdmin{.model = &auth::user_model(),
                    .str_fields = {"username"},
                    .list_display = {"username", "email", "first_name", "last_name", "is_staff"},
                    .search_fields = {"username", "first_name", "last_name", "email"},
                    .list_filter = {"is_staff", "is_superuser", "is_active"},
                    .ordering = {"username"},
                    .fields = {"username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser",
                               "groups", "user_permissions"},
                    .readonly_fields = {"last_login", "date_joined"},
                    .view_on_site = {},
                    .field_rules = user_rules()};
}

ModelAdmin address_admin() {
  return ModelAdmin{.model = &lettings::address_model(),
                    .str_fields = {"number", "street"},
                    .list_display = {"street", "number", "city", "state", "zip_code", "country_iso_code"},
                    .search_fields = {"street", "city"},
                    .list_filter = {},
                    .ordering = {},
                    .fields = {"number", "street", "city", "state", "zip_code", "country_iso_code"},
                    .readonly_fields = {},
                    .view_on_site = {}};
}

ModelAdmin letting_admin() {
  return ModelAdmin{.model = &lettings::letting_model(),
                    .str_fields = {"title"},
                    .list_display = {"title", "address"},
                    .search_fields = {"title"},
                    .list_filter = {},
                    .ordering = {},
                    .fields = {"title", "address"},
                    .readonly_fields = {},
                    .view_on_site = "/lettings/{id}/"};
}

ModelAdmin profile_admin() {
  return ModelAdmin{.model = &profiles::profile_model(),
                    .str_fields = {"user__username"},
                    .list_display = {"user", "favorite_city"},
                    .search_fields = {"user__username", "favorite_city"},
                    .list_filter = {},
                    .ordering = {},
                    .fields = {"user", "favorite_city"},
                    .readonly_fields = {},
                    .view_on_site = "/profiles/{user__username}/"};
}

}  // namespace

const std::vector<ModelAdmin>& registry() {
  static const std::vector<ModelAdmin> admins = {group_admin(), user_admin(), address_admin(), letting_admin(),
                                                 profile_admin()};
  return admins;
}

const ModelAdmin* find_admin(std::string_view app_label, std::string_view model_name) {
  for (const auto& admin : registry()) {
    if (admin.app_label() == app_label && admin.model_name() == model_name) {
      return &admin;
    }
  }
  return nullptr;
}

const ModelAdmin* find_admin(std::string_view model_label) {
  const auto dot = model_label.find('.');
  if (dot == std::string_view::npos) {
    return nullptr;
  }
  return find_admin(model_label.substr(0, dot), model_label.substr(dot + 1));
}

std::string app_verbose_name(std::string_view app_label) {
  if (app_label == "auth") {
    return "Authentication and Authorization";
  }
  return capitalize_first(app_label);
}

std::string capitalize_first(std::string_view text) {
  std::string result(text);
  if (!result.empty()) {
    result.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(result.front())));
  }
  return result;
}

}  // namespace ocl::admin
