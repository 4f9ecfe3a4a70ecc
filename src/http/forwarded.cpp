#include "http/forwarded.hpp"

#include <optional>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/algorithm/string/predicate.hpp>

#include "http/text.hpp"

namespace ocl::http {
namespace {

namespace ip = boost::asio::ip;

constexpr std::string_view forwarded_proto_header = "X-Forwarded-Proto";

/// One hop of a forwarding chain: the address it names (if any) and the scheme it reports (if any).
struct Hop {
  std::optional<ip::address> address;
  std::optional<bool> https;
};

/// Every value of a header that may be repeated, joined as one comma-separated list (RFC 9110 5.3).
std::string joined_values(const Request& request, std::string_view name) {
  std::string joined;
  for (auto [field, end] = request.equal_range(name); field != end; ++field) {
    if (!joined.empty()) {
      joined += ',';
    }
    joined += field->value();
  }
  return joined;
}

std::vector<std::string_view> split_list(std::string_view list, char separator) {
  std::vector<std::string_view> items;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto end = std::min(list.find(separator, start), list.size());
    items.push_back(trim(list.substr(start, end - start)));
    start = end + 1;
  }
  return items;
}

/// An address as proxies write it: "203.0.113.7", "203.0.113.7:4711", "2001:db8::1", "[2001:db8::1]:4711".
std::optional<ip::address> node_address(std::string_view node) {
  if (node.starts_with('[')) {
    const auto close = node.find(']');
    if (close == std::string_view::npos || (close + 1 < node.size() && node[close + 1] != ':')) {
      return std::nullopt;
    }
    return net::parse_address(node.substr(1, close - 1));
  }
  if (const auto colon = node.find(':'); colon != std::string_view::npos && node.find(':', colon + 1) == node.npos) {
    return net::parse_address(node.substr(0, colon));  // IPv4 with a port
  }
  return net::parse_address(node);
}

/// X-Forwarded-For: "client, proxy1, proxy2"; nullopt when an entry is not an address.
std::optional<std::vector<Hop>> x_forwarded_for_hops(std::string_view list) {
  std::vector<Hop> hops;
  for (const auto entry : split_list(list, ',')) {
    auto address = node_address(entry);
    if (!address) {
      return std::nullopt;
    }
    hops.push_back({address, std::nullopt});
  }
  return hops;
}

std::string_view unquoted(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

/// RFC 7239 Forwarded: 'for=192.0.2.60;proto=https, for="[2001:db8::17]:4711"'. "unknown" and obfuscated
/// identifiers ("_hidden") name no address; a hop without an address ends the walk at the peer.
std::optional<std::vector<Hop>> forwarded_hops(std::string_view list) {
  std::vector<Hop> hops;
  for (const auto element : split_list(list, ',')) {
    Hop hop;
    for (const auto pair : split_list(element, ';')) {
      const auto equals = pair.find('=');
      if (equals == std::string_view::npos) {
        return std::nullopt;
      }
      const auto name = pair.substr(0, equals);
      const auto value = unquoted(pair.substr(equals + 1));
      if (boost::algorithm::iequals(name, "for") && value != "unknown" && !value.starts_with('_')) {
        hop.address = node_address(value);
        if (!hop.address) {
          return std::nullopt;
        }
      } else if (boost::algorithm::iequals(name, "proto")) {
        hop.https = boost::algorithm::iequals(value, "https");
      }
    }
    hops.push_back(hop);
  }
  return hops;
}

/// The right-most hop that is not a trusted proxy, or the left-most when every hop is trusted.
const Hop* client_hop(const std::vector<Hop>& hops, const net::AddressRanges& proxies) {
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    if (!hop->address || !proxies.contains(*hop->address) || std::next(hop) == hops.rend()) {
      return &*hop;
    }
  }
  return nullptr;
}

/// The right-most X-Forwarded-Proto value: the one the nearest proxy wrote.
bool last_proto_is_https(const Request& request) {
  const auto values = split_list(joined_values(request, forwarded_proto_header), ',');
  return boost::algorithm::iequals(values.back(), "https");
}

ClientOrigin from_trusted_peer(const Request& request, const ip::address& peer, const net::AddressRanges& proxies) {
  ClientOrigin origin{peer.to_string(), false};
  const bool has_x_forwarded_for = request.count("X-Forwarded-For") != 0;
  const auto header = has_x_forwarded_for ? "X-Forwarded-For" : "Forwarded";
  const auto list = joined_values(request, header);
  const auto hops = has_x_forwarded_for ? x_forwarded_for_hops(list) : forwarded_hops(list);
  const Hop* client = nullptr;
  if (!list.empty() && !hops) {
    spdlog::debug("ignored a malformed {} header from {}: '{}'", header, origin.address, list.substr(0, 200));
  } else if (hops) {
    client = client_hop(*hops, proxies);
  }
  if (client != nullptr && client->address) {
    origin.address = net::unmapped(*client->address).to_string();
  }
  if (request.count(forwarded_proto_header) != 0) {
    origin.https = last_proto_is_https(request);
  } else if (client != nullptr && client->https) {
    origin.https = *client->https;
  }
  return origin;
}

bool has_forwarding_headers(const Request& request) {
  return request.count("X-Forwarded-For") != 0 || request.count("Forwarded") != 0 ||
         request.count(forwarded_proto_header) != 0;
}

}  // namespace

ClientOrigin resolve_forwarding(Request& request, const ip::address& peer, const ForwardingTrust& trust) {
  const auto plain_peer = net::unmapped(peer);
  if (!has_forwarding_headers(request)) {
    return {plain_peer.to_string(), false};  // the common case, direct or from a proxy that adds nothing
  }
  ClientOrigin origin{plain_peer.to_string(), false};
  if (trust.proxies.contains(plain_peer)) {
    origin = from_trusted_peer(request, plain_peer, trust.proxies);
  } else if (trust.proto_from_any_peer && request.count(forwarded_proto_header) != 0) {
    origin.https = last_proto_is_https(request);
  }
  request.erase(forwarded_proto_header);
  if (origin.https) {
    request.set(forwarded_proto_header, "https");
  }
  return origin;
}

bool is_https(const Request& request) {
  return request[forwarded_proto_header] == "https";
}

}  // namespace ocl::http
