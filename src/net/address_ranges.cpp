#include "net/address_ranges.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/algorithm/string/trim.hpp>
#include <boost/system/error_code.hpp>

namespace ocl::net {
namespace {

namespace ip = boost::asio::ip;

/// "10.0.0.0/8" or "2001:db8::/32"; a bare address is a range of one. Host bits must be zero, as in
/// Python's ipaddress.ip_network, so a typo such as "10.0.0.1/8" is caught instead of widened.
std::optional<std::variant<ip::network_v4, ip::network_v6>> parse_range(std::string_view entry) {
  const auto slash = entry.find('/');
  const auto address = parse_address(entry.substr(0, slash));
  if (!address) {
    return std::nullopt;
  }
  const int full = address->is_v4() ? 32 : 128;
  int prefix = full;
  if (slash != std::string_view::npos) {
    const auto digits = entry.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    prefix = std::stoi(std::string(digits));
    if (prefix > full) {
      return std::nullopt;
    }
  }
  if (address->is_v4()) {
    const ip::network_v4 network(address->to_v4(), static_cast<unsigned short>(prefix));
    if (network.network() != address->to_v4()) return std::nullopt;
    return network;
  }
  const ip::network_v6 network(address->to_v6(), static_cast<unsigned short>(prefix));
  if (network.network() != address->to_v6()) return std::nullopt;
  return network;
}

}  // namespace

ip::address unmapped(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  }
  return address;
}

std::optional<ip::address> parse_address(std::string_view text) {
  boost::system::error_code error;
  const auto address = ip::make_address(std::string(text), error);
  if (error) {
    return std::nullopt;
  }
  return unmapped(address);
}

AddressRanges AddressRanges::parse(std::string_view list) {
  AddressRanges ranges;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = std::min(list.find(',', start), list.size());
    const auto entry = boost::algorithm::trim_copy(std::string(list.substr(start, comma - start)));
    start = comma + 1;
    if (entry.empty()) {
      continue;
    }
    if (entry == "*") {
      ranges.any_ = true;
      continue;
    }
    const auto range = parse_range(entry);
    if (!range) {
      throw std::invalid_argument("'" + entry + "' is not an IP address, a CIDR range with its host bits zero, or *");
    }
    ranges.ranges_.push_back(*range);
  }
  return ranges;
}

bool AddressRanges::contains(const ip::address& address) const {
  if (any_) {
    return true;
  }
  const auto plain = unmapped(address);
  for (const auto& range : ranges_) {
    if (const auto* v4 = std::get_if<ip::network_v4>(&range); v4 != nullptr && plain.is_v4()) {
      if (ip::network_v4(plain.to_v4(), 32).is_subnet_of(*v4) || ip::network_v4(plain.to_v4(), 32) == *v4) {
        return true;
      }
    } else if (const auto* v6 = std::get_if<ip::network_v6>(&range); v6 != nullptr && plain.is_v6()) {
      if (ip::network_v6(plain.to_v6(), 128).is_subnet_of(*v6) || ip::network_v6(plain.to_v6(), 128) == *v6) {
        return true;
      }
    }
  }
  return false;
}

bool AddressRanges::only_loopback() const {
  const auto loopback_v4 = ip::make_network_v4("127.0.0.0/8");
  return !any_ && std::ranges::all_of(ranges_, [&](const Range& range) {
    if (const auto* v4 = std::get_if<ip::network_v4>(&range)) {
      return *v4 == loopback_v4 || v4->is_subnet_of(loopback_v4);
    }
    return std::get<ip::network_v6>(range) == ip::make_network_v6("::1/128");
  });
}

std::string AddressRanges::to_string() const {
  if (any_) {
    return "*";
  }
  std::string text;
  for (const auto& range : ranges_) {
    if (!text.empty()) {
      text += ',';
    }
    text += std::visit([](const auto& network) { return network.to_string(); }, range);
  }
  return text;
}

}  // namespace ocl::net
