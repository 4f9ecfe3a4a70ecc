#include "admin_session.hpp"

#include <array>

#include <openssl/evp.h>

#include "page_helpers.hpp"

namespace ocl::integration {
namespace {

std::string base64(const unsigned char* data, std::size_t size) {
  std::string encoded(4 * ((size + 2) / 3), '\0');
  const auto written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), data, static_cast<int>(size));
  encoded.resize(static_cast<std::size_t>(written));
  return encoded;
}

// Django's "pbkdf2_sha256$<iterations>$<salt>$<base64 hash>".
std::string django_hash(const std::string& password, const std::string& salt, int iterations) {
  std::array<unsigned char, 32> key{};
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                    EVP_sha256(), static_cast<int>(key.size()), key.data());
  return "pbkdf2_sha256$" + std::to_string(iterations) + "$" + salt + "$" + base64(key.data(), key.size());
}

}  // namespace

AdminSession::AdminSession(const ServerProcess& server, std::string username, std::string password)
    : AdminSession(Endpoint{server.port()}, username, password) {}

AdminSession::AdminSession(Endpoint endpoint, const std::string& username, const std::string& password)
    : endpoint_(std::move(endpoint)) {
  const auto token = form_token("/admin/login/");
  sign_in_status_ =
      send("POST", "/admin/login/",
           form_body(
               {{"csrfmiddlewaretoken", token}, {"username", username}, {"password", password}, {"next", "/admin/"}}),
           sign_in_timeout)
          .result_int();
}

HttpResponse AdminSession::get(const std::string& target) {
  return send("GET", target, {});
}

HttpResponse AdminSession::post(const std::string& target, const FormFields& fields, bool with_token) {
  auto all = fields;
  if (with_token) {
    all.insert(all.begin(), {"csrfmiddlewaretoken", form_token("/admin/")});
  }
  return send("POST", target, form_body(all));
}

HttpResponse AdminSession::send(std::string_view method, const std::string& target, const std::string& body,
                                std::chrono::milliseconds timeout) {
  std::string cookie;
  for (const auto& [name, value] : cookies_) {
    cookie += (cookie.empty() ? "" : "; ") + name + "=" + value;
  }
  HeaderList headers{{"Cookie", cookie}};
  if (method == "POST") {
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  auto response = http_request(endpoint_.port, method, target, headers, body, timeout, endpoint_.source);
  remember_cookies(response);
  return response;
}

void AdminSession::remember_cookies(const HttpResponse& response) {
  for (const auto& field : response) {
    if (field.name() != boost::beast::http::field::set_cookie) {
      continue;
    }
    const std::string value(field.value());
    const auto equals = value.find('=');
    const auto end = value.find(';');
    const auto name = value.substr(0, equals);
    const auto content = value.substr(equals + 1, end - equals - 1);
    if (value.find("Max-Age=0") != std::string::npos) {
      cookies_.erase(name);
    } else {
      cookies_[name] = content;
    }
  }
}

std::string AdminSession::form_token(const std::string& target) {
  return csrf_token_in(get(target).body());
}

std::string form_body(const FormFields& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += (body.empty() ? "" : "&") + percent_encode_all(name) + "=" + percent_encode_all(value);
  }
  return body;
}

std::string csrf_token_in(const std::string& html) {
  const std::string marker = R"(name="csrfmiddlewaretoken" value=")";
  const auto start = html.find(marker);
  if (start == std::string::npos) {
    return {};
  }
  const auto begin = start + marker.size();
  return html.substr(begin, html.find('"', begin) - begin);
}

std::int64_t create_staff_user(const std::string& database_url, const std::string& username,
                               const std::string& password, const std::vector<std::string>& codenames) {
  const auto database = open_test_database(database_url);
  auto connection = database->lease();
  const auto id = connection
                      ->query(
                          "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, "
                          "is_staff, is_active, date_joined) VALUES (?, FALSE, ?, '', '', '', TRUE, TRUE, "
                          "'2024-01-01 00:00:00') RETURNING id",
                          {django_hash(password, "integrationsalt", 1000), username})
                      .rows.at(0)
                      .integer(0);
  for (const auto& codename : codenames) {
    connection->execute(
        "INSERT INTO auth_user_user_permissions (user_id, permission_id) SELECT CAST(? AS integer), p.id FROM "
        "auth_permission p "
        "JOIN django_content_type c ON c.id = p.content_type_id WHERE p.codename = ? AND c.app_label IN "
        "('auth', 'lettings', 'profiles')",
        {id, codename});
  }
  return id;
}

}  // namespace ocl::integration
