#pragma once
/// @file
/// @brief IP addresses and ranges written as in gunicorn's FORWARDED_ALLOW_IPS ("127.0.0.1,::1,10.0.0.0/8", "*").

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

namespace ocl::net {

/// @brief An IPv4 or IPv6 address from text; IPv4-mapped IPv6 addresses (\::ffff:a.b.c.d) come back as IPv4.
std::optional<boost::asio::ip::address> parse_address(std::string_view text);

/// @brief The same address with an IPv4-mapped IPv6 address turned into its IPv4 form.
boost::asio::ip::address unmapped(const boost::asio::ip::address& address);

/// @brief The loopback addresses, FORWARDED_ALLOW_IPS's default: a proxy on the same machine.
inline constexpr std::string_view loopback_addresses = "127.0.0.1,::1";

/// @brief A set of addresses: single addresses, CIDR ranges, or every address ("*").
class AddressRanges {
 public:
  /// @brief No address at all.
  AddressRanges() = default;

  /// @brief Parses a comma-separated list; throws std::invalid_argument naming the first entry that is
  /// neither an address, a CIDR range nor "*".
  static AddressRanges parse(std::string_view list);

  /// @brief True when `address` is in one of the ranges.
  [[nodiscard]] bool contains(const boost::asio::ip::address& address) const;
  /// @brief True when the list was "*" (or held it): every address.
  [[nodiscard]] bool matches_any() const { return any_; }
  /// @brief True when every address in the set is a loopback address (the server's own machine).
  [[nodiscard]] bool only_loopback() const;
  /// @brief True when no address is in the set.
  [[nodiscard]] bool empty() const { return !any_ && ranges_.empty(); }
  /// @brief The list as written, normalised ("127.0.0.1/32,::1/128" or "*").
  [[nodiscard]] std::string to_string() const;

 private:
  using Range = std::variant<boost::asio::ip::network_v4, boost::asio::ip::network_v6>;
  bool any_ = false;
  std::vector<Range> ranges_;
};

}  // namespace ocl::net
