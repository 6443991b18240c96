// The TCP side of the storms: many non-blocking connections in one epoll set, each with
// an outgoing buffer, answers cut and counted with the model's framer. A storm derives
// from it and says what each peer does (connect and leave, flood requests, hold a
// partial frame, never read) through the hooks.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "core/availability/storm.hpp"
#include "core/model/framer.hpp"
#include "core/transport/transport.hpp"

namespace pc::availability {

using Clock = std::chrono::steady_clock;

class TcpStorm : public Storm {
 public:
  explicit TcpStorm(const LoadContext& ctx);
  ~TcpStorm() override;
  void poll(std::chrono::microseconds wait) override;
  void stop() override;

 protected:
  struct Peer {
    uint64_t key = 0;
    Fd fd;
    bool connecting = true;
    bool served = false;        // at least one answer came back
    bool reads = true;          // false: a peer that never reads its answers
    bool inside = false;        // made in the tool's network namespace
    Clock::time_point opened{}, next{};
    std::vector<uint8_t> out;   // bytes waiting for the device's window
    size_t out_at = 0;
    std::vector<uint8_t> in;    // the start of an answer not yet complete
    uint64_t progress = 0;      // the storm's own counter (bytes trickled, requests sent)
    uint32_t events = 0;        // what epoll watches now
  };

  // Opens one peer (connect in progress). nullptr on a local failure (counters_.harness_error
  // is then set) or when the device refused at once (counted).
  Peer* open_peer(bool inside_netns = false, int receive_buffer = 0);
  void close_peer(Peer& p, bool abortive = false);
  void close_all(bool abortive = false);
  // Appends bytes to the peer's buffer and writes what the window takes. A buffer already
  // holding `max_out_` bytes takes nothing: the bytes count as blocked (false).
  bool send(Peer& p, std::span<const uint8_t> bytes);
  // The same without writing yet (many requests, then one flush).
  bool queue(Peer& p, std::span<const uint8_t> bytes);
  void flush(Peer& p);
  Peer* find(uint64_t key);
  // Writes bytes now, one send() per call, with nothing queued: false when the window is full.
  bool send_now(Peer& p, std::span<const uint8_t> bytes);
  static size_t pending(const Peer& p) { return p.out.size() - p.out_at; }
  std::vector<Peer*> open_peers();
  size_t open_count() const { return peers_.size(); }

  virtual void on_connected(Peer& p) { (void)p; }
  virtual void on_answer(Peer& p) { (void)p; }
  // The device closed a connection (FIN or RST); the peer is removed after this.
  virtual void on_closed(Peer& p) { (void)p; }
  // A connect the device refused or never completed.
  virtual void on_refused(Peer& p) { (void)p; }
  virtual void on_timer(Clock::time_point now) { (void)now; }

  LoadContext ctx_;
  size_t max_out_ = 16 * 1024;
  SourceSpreader sources_;
  model::Framer framer_;

 private:
  void watch(Peer& p);
  void readable(Peer& p);
  void finish_connect(Peer& p);
  void retire(Peer& p, bool abortive);
  void gone(Peer& p);  // the device closed it
  Fd epoll_;
  uint64_t next_key_ = 1;
  std::unordered_map<uint64_t, std::unique_ptr<Peer>> peers_;
  std::vector<uint64_t> dead_;  // removed after the event batch
};

}  // namespace pc::availability
