// The device's network side: one epoll event loop that accepts connections, frames the
// byte stream of each into ADUs, hands them to the Device, queues the answers, and runs
// the scan cycle of the simulated process between events. Single-threaded on purpose:
// like a small controller, anything that blocks this loop blocks every peer, which is
// what the hang and load defects make visible.
#pragma once

#include <sys/epoll.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "connection_table.hpp"
#include "device.hpp"
#include "mbap_framer.hpp"
#include "core/posix/unique_fd.hpp"

namespace pc::modbus_ref {

struct ServerConfig {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 1502;
  std::size_t max_connections = 64;
  // Connections without a received byte for this long are closed; 0 disables.
  std::chrono::milliseconds idle_timeout{60000};
};

class Server {
 public:
  // Binds the socket; throws std::system_error if it cannot.
  Server(const ServerConfig& config, Device& device);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const { return port_; }
  // Serves until SIGTERM or SIGINT; returns the process exit code.
  int run();

 private:
  // A request waiting in the queue of the `unbounded-request-queue` defect.
  struct Queued {
    ConnectionId id;
    std::uint16_t transaction;
    std::uint8_t unit;
    std::vector<std::uint8_t> pdu;
  };
  enum class Framing : std::uint8_t { kDone, kPartial, kClosed };
  enum class ReadResult : std::uint8_t { kData, kNoData, kClosed };

  void on_event(const epoll_event& event);
  void accept_all();
  void on_readable(ConnectionId id);
  ReadResult read_some(ConnectionId id, Connection& conn);
  Framing process_frames(ConnectionId id, Connection& conn);
  bool wait_for_rest(ConnectionId id, Connection& conn);
  void spend_request_cost() const;
  void respond(Connection& conn, std::uint16_t transaction, std::uint8_t unit,
               std::span<const std::uint8_t> pdu);
  void flush(ConnectionId id, Connection& conn);
  void rearm(ConnectionId id, Connection& conn);
  void close_connection(ConnectionId id);
  void serve_one_queued();
  void sweep_idle(Clock::time_point now);
  int next_timeout_ms(Clock::time_point now) const;

  bool on(Defect defect) const { return device_.defects().on(defect); }

  ServerConfig config_;
  Device& device_;
  posix::UniqueFd listener_;
  posix::UniqueFd signals_;
  posix::UniqueFd epoll_;
  std::uint16_t port_ = 0;
  ConnectionTable table_;
  std::deque<Queued> queue_;
  Clock::time_point next_scan_{};
  Clock::time_point next_sweep_{};
  bool stop_ = false;
};

}  // namespace pc::modbus_ref
