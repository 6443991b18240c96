#include "core/capture/ip_address.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>

namespace pc::capture {

std::optional<IpAddress> IpAddress::from_bytes(std::span<const std::uint8_t> raw) {
  if (raw.size() != 4 && raw.size() != 16) return std::nullopt;
  IpAddress address;
  address.version = raw.size() == 4 ? 4 : 6;
  std::copy(raw.begin(), raw.end(), address.bytes.begin());
  return address;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  if (text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string zero_terminated(text);
  IpAddress address;
  if (inet_pton(AF_INET, zero_terminated.c_str(), address.bytes.data()) == 1) {
    address.version = 4;
    return address;
  }
  if (inet_pton(AF_INET6, zero_terminated.c_str(), address.bytes.data()) == 1) {
    address.version = 6;
    return address;
  }
  return std::nullopt;
}

std::string IpAddress::to_string() const {
  std::array<char, INET6_ADDRSTRLEN> text{};
  const int family = version == 4 ? AF_INET : AF_INET6;
  if (inet_ntop(family, bytes.data(), text.data(), text.size()) == nullptr) return {};
  return std::string(text.data());
}

}  // namespace pc::capture
