#include "config/deploy_checks.hpp"

#include <set>

namespace ocl::config {

bool is_weak_secret_key(const std::string& key) {
  constexpr std::size_t min_length = 50;
  constexpr std::size_t min_distinct = 5;
  const std::set<char> distinct(key.begin(), key.end());
  return key.size() < min_length || distinct.size() < min_distinct || key.starts_with("django-insecure-") ||
         key.starts_with("insecure-");
}

std::vector<DeployFinding> deploy_checks(const Settings& settings) {
  using Level = DeployFinding::Level;
  std::vector<DeployFinding> findings;
  if (settings.debug) {
    findings.push_back({Level::error, "security.E018",
                        "DEBUG is on: error details and insecure cookies. Set DEBUG=false in production."});
  }
  if (is_weak_secret_key(settings.secret_key)) {
    findings.push_back({Level::error, "security.E009",
                        "SECRET_KEY is short or predictable: use at least 50 random characters "
                        "(e.g. `openssl rand -base64 48`)."});
  }
  if (settings.allowed_hosts.empty()) {
    findings.push_back(
        {Level::warning, "security.W020", "ALLOWED_HOSTS is empty: every request will be refused with 400."});
  }
  if (settings.hsts_seconds == 0) {
    findings.push_back({Level::warning, "security.W004",
                        "SECURE_HSTS_SECONDS is not set: browsers are not told to use HTTPS only. "
                        "Set it (e.g. 31536000) once the site is served over HTTPS."});
  } else if (!settings.hsts_include_subdomains) {
    findings.push_back({Level::warning, "security.W005",
                        "SECURE_HSTS_INCLUDE_SUBDOMAINS is off: subdomains may still be reached over HTTP."});
  }
  if (!settings.ssl_redirect) {
    findings.push_back({Level::warning, "security.W008",
                        "SECURE_SSL_REDIRECT is off: plain-HTTP requests are served instead of redirected."});
  } else if (!settings.trust_forwarded_proto && settings.forwarded_allow_ips.only_loopback()) {
    findings.push_back({Level::warning, "ocl.W001",
                        "SECURE_SSL_REDIRECT is on but FORWARDED_ALLOW_IPS trusts only this machine: behind a "
                        "proxy that terminates TLS elsewhere (Render) every request would be redirected again. "
                        "Set FORWARDED_ALLOW_IPS to the proxy's addresses (\"*\" on Render)."});
  }
  if (settings.forwarded_allow_ips.matches_any() && !settings.ssl_redirect) {
    findings.push_back({Level::warning, "ocl.W003",
                        "FORWARDED_ALLOW_IPS is \"*\" while SECURE_SSL_REDIRECT is off: any client that reaches "
                        "the server directly can name its own address and scheme. Use \"*\" only where the proxy "
                        "is the only way in and HTTPS is enforced."});
  }
  return findings;
}

}  // namespace ocl::config
