// Small socket helpers shared by the TCP and UDP transports: waiting on one descriptor
// until a deadline, socket addresses from a pinned Address, and which errno values are
// the target's doing (Refused, Reset) rather than ours (Error).
#pragma once

#include <sys/socket.h>

#include <string>

#include "core/transport/transport.hpp"

namespace pc::transport::detail {

enum class Wait : uint8_t { Ready, Timeout, Failed };
// Waits until `fd` has one of `events` (POLLIN/POLLOUT; errors and hang-ups count as
// ready, the following read or write reports them) or the deadline passes. A deadline
// in the past still checks once without blocking.
Wait wait_fd(int fd, short events, Deadline deadline);

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;
  int family() const { return storage.ss_family; }
  const sockaddr* get() const;
};
// The numeric address of `address` (address.resolved, address.port).
bool to_socket_address(const Address& address, SocketAddress& out, std::string& error);
// A numeric host with port 0 (a source address to bind before connecting).
bool to_socket_address(const std::string& numeric_host, SocketAddress& out, std::string& error);
// "127.0.0.1:502" or "[::1]:502".
std::string format_address(const sockaddr* address, socklen_t length);
std::string local_name(int fd);
std::string peer_name(int fd);

// errno after connect() or SO_ERROR: true when the target (or the network in front of
// it) said no; false for local failures (descriptors, ports, permissions).
bool is_refusal(int error_number);
// errno after read/recv/send: the peer reset the connection.
bool is_reset(int error_number);

std::string errno_text(const char* what, int error_number);
uint32_t micros_between(Clock::time_point from, Clock::time_point to);

Received make_received(Outcome outcome, std::string error = {});

}  // namespace pc::transport::detail
