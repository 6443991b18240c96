// Sockets for load: thousands at once, opened without waiting, closed with a FIN or a
// RST, their source addresses spread over 127.0.0.0/8 so a flood never runs out of
// ephemeral ports. The campaign's transport handles one connection with deadlines; a
// storm needs many, cheaply, in one event loop.
//
// Running out of descriptors or source ports is the tool's problem, never the device's:
// local_error() names those errno values, and storms report them as harness errors.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <utility>

#include "core/posix/unique_fd.hpp"
#include "core/transport/transport.hpp"

namespace pc::availability {

// One descriptor, closed when the object goes.
using Fd = posix::UniqueFd;

// The target as a socket address.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family() const { return storage.ss_family; }
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  uint32_t ipv4() const;  // host byte order; 0 for IPv6
  uint16_t port() const;
};
bool to_socket_address(const transport::Address& a, SocketAddress& out, std::string& error);

// errno values that mean the tool ran out of something (descriptors, ports, memory).
bool local_error(int err);

// Raises the soft descriptor limit to the hard one; returns the new soft limit.
uint64_t raise_descriptor_limit();

// Source addresses for loopback floods: 127.0.0.2, 127.0.0.3, ... 127.0.255.254 in turn,
// so every address brings its own range of ephemeral ports. Empty for other targets.
class SourceSpreader {
 public:
  explicit SourceSpreader(const SocketAddress& target, uint32_t addresses = 4096);
  std::string next();

 private:
  bool loopback_ = false;
  uint32_t count_ = 0, at_ = 0;
};

struct OpenOptions {
  std::string source;      // bind here first ("" = the kernel chooses)
  bool no_delay = true;    // TCP_NODELAY: every write goes out as it is
  int receive_buffer = 0;  // SO_RCVBUF when > 0 (a peer that never reads: small)
};

// A non-blocking TCP socket connecting to `target` (the connect may still be in progress:
// wait for it to be writable, then read connect_error()). Invalid Fd and `err` on failure.
Fd open_tcp(const SocketAddress& target, const OpenOptions& options, int& err);
// The same with a socket made elsewhere (inside a network namespace).
bool connect_tcp(Fd& fd, const SocketAddress& target, const OpenOptions& options, int& err);
// SO_ERROR of a socket whose connect finished (0 = connected).
int connect_error(int fd);
// Closes with an RST (SO_LINGER 0) instead of a FIN.
void close_abortive(Fd& fd);
// Writes what it can without blocking: bytes written, 0 when the peer's window is full,
// -1 with errno when the connection is gone.
ssize_t send_some(int fd, const uint8_t* data, size_t size);

}  // namespace pc::availability
