#pragma once
/// @file
/// @brief Who the client is behind trusted proxies: X-Forwarded-For / RFC 7239 Forwarded, X-Forwarded-Proto.

#include <string>

#include <boost/asio/ip/address.hpp>

#include "http/message.hpp"
#include "net/address_ranges.hpp"

namespace ocl::http {

/// @brief Which peers' forwarding headers are believed (FORWARDED_ALLOW_IPS).
struct ForwardingTrust {
  net::AddressRanges proxies = net::AddressRanges::parse(net::loopback_addresses);
  /// The deprecated TRUST_X_FORWARDED_PROTO=true: X-Forwarded-Proto is believed from every peer.
  bool proto_from_any_peer = false;
};

/// @brief The client as the request's trusted forwarding headers describe it.
struct ClientOrigin {
  std::string address;  ///< the client's IP address (the peer's, without trusted forwarding headers)
  bool https = false;   ///< the client reached the first trusted proxy over HTTPS
};

/// @brief Works out the client of `request`, received from `peer`, and leaves in the request only what was
/// believed: X-Forwarded-Proto is set to "https" when the client used HTTPS and removed otherwise, so later
/// layers read the scheme from that header alone and never see a client's own claim.
///
/// From a trusted peer, the client address is the right-most X-Forwarded-For address (or RFC 7239 Forwarded
/// `for=`) that is not itself a trusted proxy; from any other peer the forwarding headers are ignored.
/// Malformed values are ignored (a debug line in the log): the peer is then the client.
ClientOrigin resolve_forwarding(Request& request, const boost::asio::ip::address& peer, const ForwardingTrust& trust);

/// @brief True when the request, as resolve_forwarding() left it, came over HTTPS.
bool is_https(const Request& request);

}  // namespace ocl::http
