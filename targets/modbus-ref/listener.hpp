// The listening TCP socket and the signal fd that ends the event loop.
#pragma once

#include <cstdint>
#include <string>

#include "core/posix/unique_fd.hpp"

namespace pc::modbus_ref {

// Binds a non-blocking IPv4 listening socket to `address`:`port` (0: any free port).
// Throws std::system_error when the address is bad or the port is taken.
posix::UniqueFd listen_tcp(const std::string& address, std::uint16_t port);

// The port a bound socket ended up on.
std::uint16_t bound_port(const posix::UniqueFd& socket);

// Blocks SIGTERM and SIGINT for the process and returns a signalfd that reports them,
// so the event loop sees a stop request as an ordinary readable fd. SIGPIPE is ignored.
posix::UniqueFd stop_signal_fd();

}  // namespace pc::modbus_ref
