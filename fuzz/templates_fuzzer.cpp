// Hostile values rendered by the real pages: the input becomes a letting title, an address, a user's
// names, email and username, a profile's city, an admin log entry (its text and its JSON change message)
// and the admin search box, then one public or admin page is rendered from that data.
//
// Invariants: the value never appears unescaped (wrapped in markers, it must not occur verbatim when
// it holds one of < > " ' &), and the page has exactly the markup characters it has when those
// characters of the value are replaced by letters: a value can change the text, never the markup.
//
// Why the verbatim search cannot be fooled by two escaped copies meeting the template's own markup
// (with one marker on both sides, the value `">` gave `Qz7&quot;&gt;Qz7">Qz7&quot;&gt;Qz7`, which
// holds `Qz7">Qz7`): the opening and closing markers differ, neither has a border (a proper prefix
// equal to a suffix), neither holds '&' or ';' nor fits inside an entity, and values that hold a
// marker are skipped. An opening marker in the page is then the start of a copy, and what follows
// it is the value itself only if that copy was not escaped.
//
// Input: byte 0 picks the page, the rest is the value (valid UTF-8 without NUL, as every form and
// fixture enforces).

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz/site.hpp"
#include "http/url.hpp"

namespace {

constexpr std::string_view opening_marker = "Qz7[";
constexpr std::string_view closing_marker = "]Wk9";

struct Page {
  std::string_view path;
  bool search = false;       ///< the value also goes into ?q= (the result set then depends on it)
  bool by_username = false;  ///< the value is the last path segment (a profile's username)
};

constexpr std::array<Page, 18> pages = {{
    {"/"},
    {"/lettings/"},
    {"/lettings/1/"},
    {"/profiles/"},
    {"/profiles/AirWow/"},
    {"/profiles/", false, true},
    {"/admin/"},
    {"/admin/lettings/letting/"},
    {"/admin/lettings/letting/1/change/"},
    {"/admin/lettings/address/1/change/"},
    {"/admin/lettings/letting/1/history/"},
    {"/admin/lettings/letting/1/delete/"},
    {"/admin/auth/user/"},
    {"/admin/auth/user/3/change/"},
    {"/admin/profiles/profile/"},
    {"/admin/profiles/profile/3/change/"},
    {"/admin/lettings/letting/", true},
    {"/admin/auth/user/", true},
}};

bool is_markup(char c) {
  return c == '<' || c == '>' || c == '"' || c == '\'' || c == '&';
}

/// Writes `value` wherever the pages show stored text.
bool store(ocl::db::Connection& connection, const std::string& value) {
  connection.execute("UPDATE lettings_letting SET title = ? WHERE id = 1", {value});
  connection.execute("UPDATE lettings_address SET street = ?, city = ?, state = ? WHERE id = 1", {value, value, value});
  connection.execute("UPDATE auth_user SET first_name = ?, last_name = ?, email = ? WHERE id = 3",
                     {value, value, value});
  connection.execute("UPDATE profiles_profile SET favorite_city = ? WHERE user_id = 3", {value});
  connection.execute("UPDATE auth_user SET username = ? WHERE id = 2", {value});
  connection.execute(
      "INSERT INTO django_admin_log (action_time, object_id, object_repr, change_message, content_type_id, "
      "user_id, action_flag) SELECT '2024-01-02 03:04:05', '1', ?, ?, id, 1, 2 FROM django_content_type "
      "WHERE app_label = 'lettings' AND model = 'letting'",
      {value, value});
  return true;
}

std::optional<std::string> render(const Page& page, const std::string& value) {
  std::string target(page.path);
  if (page.by_username) {
    target += ocl::http::percent_encode_segment(value) + "/";
  }
  if (page.search) {
    target += "?q=" + ocl::http::percent_encode_segment(value);
  }
  ocl::http::Request request{ocl::http::Method::get, target, 11};
  request.set(ocl::http::HeaderField::host, "testserver");
  request.set(ocl::http::HeaderField::cookie, "sessionid=" + std::string(ocl::fuzz::session_key));
  const auto response = ocl::fuzz::site().handle(
      request, [&](ocl::fuzz::SandboxConnection& connection) { return store(connection, value); });
  if (!response) {
    return std::nullopt;
  }
  ocl::fuzz::check_response(request, *response);
  return response->body();
}

/// The characters that open or close tags and attribute values ('&' is left out: escapes add it).
std::size_t markup_count(std::string_view body) {
  return static_cast<std::size_t>(
      std::ranges::count_if(body, [](char c) { return c == '<' || c == '>' || c == '"' || c == '\''; }));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  ocl::fuzz::site();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) {
    return 0;
  }
  const auto& page = pages[data[0] % pages.size()];
  const std::string_view raw(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!ocl::http::is_valid_utf8(raw)) {
    return 0;
  }
  if (raw.find(opening_marker) != std::string_view::npos || raw.find(closing_marker) != std::string_view::npos) {
    return 0;
  }
  const std::string hostile = std::string(opening_marker) + std::string(raw) + std::string(closing_marker);
  std::string tame = hostile;
  std::ranges::replace_if(tame, is_markup, 'x');

  const auto hostile_body = render(page, hostile);
  if (!hostile_body) {
    return 0;  // the schema refused the value (e.g. a username taken by another user)
  }
  if (hostile != tame && hostile_body->find(hostile) != std::string::npos) {
    ocl::fuzz::fail("a stored value with markup characters appears unescaped");
  }
  if (page.search || page.by_username) {
    return 0;  // which rows (or which profile) the page shows depends on the value itself
  }
  if (hostile == tame) {
    return 0;  // no markup character to replace: the tame page would be this very page again
  }
  const auto tame_body = render(page, tame);
  if (tame_body && markup_count(*hostile_body) != markup_count(*tame_body)) {
    ocl::fuzz::fail("a stored value changed the page's markup");
  }
  return 0;
}
