// A TCP server on loopback that misbehaves in one chosen way (mode.hpp), for testing
// that the fuzzer's own transport and engine survive hostile peers. One poll() loop
// serves every connection; SIGTERM or SIGINT ends it with exit code 0.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "mode.hpp"
#include "core/posix/unique_fd.hpp"

namespace pc::hostile {

struct ServerOptions {
  Mode mode = Mode::Silent;
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;
  uint64_t seed = 1;
  size_t max_connections = 256;
};

class HostileServer {
 public:
  // Listens at once; throws std::runtime_error when it cannot.
  explicit HostileServer(ServerOptions options);
  uint16_t port() const { return port_; }
  // Serves until SIGTERM or SIGINT (blocked here and read through a signalfd).
  int run();

 private:
  using Clock = std::chrono::steady_clock;
  struct Connection {
    posix::UniqueFd fd;
    Clock::time_point next_tick{};  // Slow, AbsurdLength: when the next byte goes out
    bool answered = false;          // AbsurdLength: the header went out
  };

  void accept_all();
  void on_readable(Connection& connection);
  void on_writable(Connection& connection);
  void on_tick(Connection& connection, Clock::time_point now);
  int next_timeout_ms(Clock::time_point now) const;
  void send_random(Connection& connection, size_t min_size, size_t max_size);
  bool needs_ticks() const;

  ServerOptions options_;
  posix::UniqueFd listener_;
  uint16_t port_ = 0;
  std::vector<Connection> connections_;
  std::vector<uint8_t> flood_chunk_;
  std::mt19937_64 random_;
};

}  // namespace pc::hostile
