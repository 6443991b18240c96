// The device's session table: a fixed number of slots (--max-connections), one per
// open TCP connection. When no slot is free, a new connection is accepted and closed at
// once, which is how a small device refuses a peer. A slot is normally freed when its
// connection closes; the seeded defect `session-slot-leak` marks it leaked instead.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/posix/unique_fd.hpp"

namespace pc::modbus_ref {

using Clock = std::chrono::steady_clock;

// One open connection: its socket, the bytes received but not yet framed, and the
// bytes of responses not yet sent.
struct Connection {
  static constexpr std::size_t kRxCapacity = 8192;

  posix::UniqueFd fd;
  std::vector<std::uint8_t> rx = std::vector<std::uint8_t>(kRxCapacity);
  std::size_t rx_used = 0;
  std::vector<std::uint8_t> tx;
  std::size_t tx_sent = 0;
  Clock::time_point last_activity{};
  bool exception_sent = false;  // any exception response on this connection
  bool reading = true;          // EPOLLIN armed (off while tx is over the high-water mark)
  bool writing = false;         // EPOLLOUT armed
  std::size_t tx_pending() const { return tx.size() - tx_sent; }
};

// Identifies a connection across slot reuse.
struct ConnectionId {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
};

class ConnectionTable {
 public:
  explicit ConnectionTable(std::size_t slots) : slots_(slots) {}

  // Takes a free slot for `fd`; empty when every slot is in use or leaked.
  std::optional<ConnectionId> acquire(posix::UniqueFd fd, Clock::time_point now);
  // The connection `id` still names, or nullptr when it has been closed since.
  Connection* find(ConnectionId id);
  // Closes the connection; its slot becomes free again unless `leak`.
  void release(ConnectionId id, bool leak);
  // Every open connection, for sweeps.
  std::vector<ConnectionId> open_connections() const;

  std::size_t leaked() const;

 private:
  enum class State : std::uint8_t { kFree, kInUse, kLeaked };
  struct Slot {
    State state = State::kFree;
    std::uint32_t generation = 0;
    std::optional<Connection> connection;
  };
  std::vector<Slot> slots_;
};

}  // namespace pc::modbus_ref
