// Target addresses: tcp://host:port, udp://host:port, host:port, [v6]:port. A name is
// resolved once, here, and the numeric address pinned, so every connection of a
// campaign goes to the same place and the safety check (loopback) judges that place.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

#include "core/transport/transport.hpp"

namespace pc::transport {

namespace {

bool split_scheme(std::string_view& rest, Address::Kind& kind, std::string& error) {
  const auto marker = rest.find("://");
  if (marker == std::string_view::npos) {
    kind = Address::Kind::Tcp;
    return true;
  }
  const std::string_view scheme = rest.substr(0, marker);
  if (scheme == "tcp") {
    kind = Address::Kind::Tcp;
  } else if (scheme == "udp") {
    kind = Address::Kind::Udp;
  } else {
    error = "unknown scheme '" + std::string(scheme) + "' (tcp:// or udp://)";
    return false;
  }
  rest.remove_prefix(marker + 3);
  return true;
}

bool split_host_port(std::string_view rest, std::string& host, uint16_t& port, std::string& error) {
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      error = "expected [IPv6]:port";
      return false;
    }
    host = std::string(rest.substr(1, close - 1));
    port_text = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) {
      error = "missing :port";
      return false;
    }
    host = std::string(rest.substr(0, colon));
    if (host.find(':') != std::string::npos) {
      error = "an IPv6 address needs brackets: [" + host + "]:port";
      return false;
    }
    port_text = rest.substr(colon + 1);
  }
  if (host.empty()) {
    error = "missing host";
    return false;
  }
  unsigned value = 0;
  const char* end = port_text.data() + port_text.size();
  const auto [stop, ec] = std::from_chars(port_text.data(), end, value);
  if (port_text.empty() || ec != std::errc() || stop != end || value > 65535) {
    error = "bad port '" + std::string(port_text) + "' (0..65535)";
    return false;
  }
  port = static_cast<uint16_t>(value);
  return true;
}

// The first IPv4 result when there is one (most devices listen on IPv4 only, and
// "localhost" often lists ::1 first), else the first result.
bool resolve(const std::string& host, Address::Kind kind, std::string& resolved,
             std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = kind == Address::Kind::Tcp ? SOCK_STREAM : SOCK_DGRAM;
  addrinfo* found = nullptr;
  const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0 || found == nullptr) {
    error = "cannot resolve '" + host + "': " + ::gai_strerror(rc);
    return false;
  }
  const addrinfo* chosen = found;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    if (entry->ai_family == AF_INET) {
      chosen = entry;
      break;
    }
  }
  char numeric[NI_MAXHOST] = {};
  const int name_rc = ::getnameinfo(chosen->ai_addr, chosen->ai_addrlen, numeric, sizeof numeric,
                                    nullptr, 0, NI_NUMERICHOST);
  ::freeaddrinfo(found);
  if (name_rc != 0) {
    error = "cannot format the address of '" + host + "': " + ::gai_strerror(name_rc);
    return false;
  }
  resolved = numeric;
  return true;
}

}  // namespace

bool Address::loopback() const {
  in_addr v4{};
  if (::inet_pton(AF_INET, resolved.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, resolved.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) {
      return true;
    }
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

std::string Address::text() const {
  std::string out = kind == Kind::Tcp ? "tcp://" : "udp://";
  if (host.find(':') != std::string::npos) {
    out += "[" + host + "]";
  } else {
    out += host;
  }
  return out + ":" + std::to_string(port);
}

bool parse_address(const std::string& text, Address& out, std::string& error) {
  std::string_view rest = text;
  Address parsed;
  if (!split_scheme(rest, parsed.kind, error) ||
      !split_host_port(rest, parsed.host, parsed.port, error) ||
      !resolve(parsed.host, parsed.kind, parsed.resolved, error)) {
    error = "address '" + text + "': " + error;
    return false;
  }
  out = std::move(parsed);
  return true;
}

}  // namespace pc::transport
