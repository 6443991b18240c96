// A network namespace the tool makes for load that loopback cannot carry (needs root):
//
// - peers that vanish without a FIN or an RST (on loopback a closed socket always sends
//   one): sessions opened from inside, then the namespace's end of the veth pair is set
//   down, so nothing the peers send or answer reaches the device again;
// - raw packet storms (ARP, ICMP, UDP, IP fragments, TCP flag combinations, SYN) with
//   source addresses of a benchmarking network (198.18.0.0/15, RFC 2544) that exist
//   nowhere, so the device's answers are dropped inside the namespace.
//
// The namespace `pcdos-<pid>-<n>` is joined to the host by a veth pair (198.18.X.1 on
// the host, 198.18.X.2 inside). Inside, the route to the loopback target goes through
// the pair (route_localnet on both ends lets 127.0.0.0/8 cross it), and the namespace's
// own loopback stays down. Only loopback IPv4 targets are reached this way.
// The destructor deletes the namespace and with it the pair; namespaces left behind by a
// killed run (their pid is gone) are deleted by the next create().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/availability/load_socket.hpp"

namespace pc::availability {

class Netns {
 public:
  // nullptr and `why_not` when not possible (not root, no `ip`, not a loopback IPv4
  // target, the kernel refused).
  static std::unique_ptr<Netns> create(const SocketAddress& target, std::string& why_not);
  ~Netns();
  Netns(const Netns&) = delete;
  Netns& operator=(const Netns&) = delete;

  // `n` sockets made inside the namespace (they stay there; use them from any thread).
  std::vector<Fd> sockets(size_t n, int domain, int type, int protocol, int& err);
  // The namespace's end of the pair up or down: down, every peer inside vanishes.
  bool set_link(bool up, std::string& error);

  const std::string& name() const { return name_; }
  uint32_t host_ipv4() const { return base_ | 1; }    // 198.18.X.1
  uint32_t inside_ipv4() const { return base_ | 2; }  // 198.18.X.2
  uint32_t subnet() const { return base_; }           // 198.18.X.0/24
  int inside_ifindex() const { return inside_ifindex_; }

 private:
  Netns() = default;
  std::string name_, host_if_, inside_if_, target_ip_;
  uint32_t base_ = 0;
  int inside_ifindex_ = 0;
  bool made_ = false;
};

// "a.b.c.d" of a host-order IPv4 address.
std::string ipv4_text(uint32_t address);

}  // namespace pc::availability
