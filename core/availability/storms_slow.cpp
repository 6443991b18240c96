// Slow peers, held at the offered level: a partial frame that never finishes, a header
// that announces a large body which then trickles in one byte at a time, and a peer that
// sends requests and never reads its answers. A peer the device closes is replaced.
#include "core/availability/storm_catalogue.hpp"
#include "core/availability/tcp_storm.hpp"

namespace pc::availability {

namespace {

constexpr StormParam kPartialParams[] = {
    {"bytes", "0", "bytes of the valid request each peer sends (0: half of it)"},
};
constexpr StormParam kTrickleParams[] = {
    {"interval_ms", "500", "one more byte every this many milliseconds"},
    {"head", "8", "bytes sent at once (the header that announces the body)"},
};
constexpr StormParam kNoReadParams[] = {
    {"receive_buffer", "4096", "the peer's socket receive buffer (SO_RCVBUF): small fills its window soon"},
};

enum class Slow : uint8_t { Partial, Trickle, NoRead };

class SlowPeers final : public TcpStorm {
 public:
  SlowPeers(const LoadContext& ctx, Slow kind) : TcpStorm(ctx), kind_(kind) {
    if (kind_ == Slow::Trickle) {
      interval_ = std::chrono::milliseconds(std::max<int64_t>(1, static_cast<int64_t>(ctx.params.number("interval_ms"))));
      head_ = static_cast<size_t>(std::max(1.0, ctx.params.number("head")));
    }
    if (kind_ == Slow::NoRead) receive_buffer_ = static_cast<int>(ctx.params.number("receive_buffer"));
    if (kind_ == Slow::Partial) part_ = static_cast<size_t>(ctx.params.number("bytes"));
  }
  const StormInfo& info() const override {
    return kind_ == Slow::Partial ? slow_partial_frame_info() : kind_ == Slow::Trickle ? slow_trickle_info()
                                                                                       : slow_no_read_info();
  }
  void set_level(uint32_t level) override {
    level_ = level;
    top_up();
  }

 private:
  const std::vector<uint8_t>& request(uint64_t k) const {
    const auto& pool = kind_ == Slow::Trickle && !ctx_.pools->largest.empty() ? ctx_.pools->largest : ctx_.pools->valid;
    return pool[k % pool.size()];
  }
  void top_up() {
    if (ctx_.pools->valid.empty()) return;
    while (open_count() < level_ && counters_.harness_error.empty()) {
      Peer* p = open_peer(false, receive_buffer_);
      if (!p) return;
      if (kind_ == Slow::NoRead) p->reads = false;
      ++counters_.ops;
    }
    // more peers than the level (the level went down): close the newest
    auto peers = open_peers();
    while (peers.size() > level_) {
      close_peer(*peers.back());
      peers.pop_back();
    }
  }
  void on_connected(Peer& p) override {
    const auto& req = request(p.key);
    switch (kind_) {
      case Slow::Partial: {
        size_t n = part_ == 0 ? req.size() / 2 : std::min(part_, req.size() - 1);
        send(p, std::span<const uint8_t>(req).first(std::max<size_t>(1, n)));
        break;
      }
      case Slow::Trickle:
        p.progress = std::min(head_, req.size() - 1);
        send(p, std::span<const uint8_t>(req).first(p.progress));
        p.next = Clock::now() + interval_;
        break;
      case Slow::NoRead: pump(p); break;
    }
  }
  // A peer that never reads: requests until its window (and the device's) is full.
  void pump(Peer& p) {
    for (int i = 0; i < 64 && p.fd.valid(); ++i) {
      if (pending(p) > 0) {
        flush(p);
        if (pending(p) > 0) return;
      }
      send(p, request(p.progress++));
    }
  }
  void on_timer(Clock::time_point now) override {
    for (Peer* p : open_peers()) {
      if (p->connecting) continue;
      if (kind_ == Slow::Trickle && now >= p->next) {
        const auto& req = request(p->key);
        if (p->progress >= req.size()) p->progress = 0;  // done: the next request starts
        send(*p, std::span<const uint8_t>(req).subspan(p->progress, 1));
        ++p->progress;
        p->next = now + interval_;
      } else if (kind_ == Slow::NoRead) {
        pump(*p);
      }
    }
    top_up();
  }

  Slow kind_;
  uint32_t level_ = 0;
  std::chrono::milliseconds interval_{500};
  size_t head_ = 8, part_ = 0;
  int receive_buffer_ = 0;
};

}  // namespace

const StormInfo& slow_partial_frame_info() {
  static const StormInfo i{"slow_partial_frame", "CR 7.2", Intensity::Level, "peers", false,
                           "peers that each send part of a valid request and never finish it", kPartialParams};
  return i;
}
const StormInfo& slow_trickle_info() {
  static const StormInfo i{"slow_trickle", "CR 7.2", Intensity::Level, "peers", false,
                           "peers that send the header of the largest valid request, then its body one byte at a time",
                           kTrickleParams};
  return i;
}
const StormInfo& slow_no_read_info() {
  static const StormInfo i{"slow_no_read", "CR 7.2", Intensity::Level, "peers", false,
                           "peers that send valid requests as fast as the device takes them and never read the answers",
                           kNoReadParams};
  return i;
}

std::unique_ptr<Storm> make_slow_partial_frame(const LoadContext& c) {
  return std::make_unique<SlowPeers>(c, Slow::Partial);
}
std::unique_ptr<Storm> make_slow_trickle(const LoadContext& c) { return std::make_unique<SlowPeers>(c, Slow::Trickle); }
std::unique_ptr<Storm> make_slow_no_read(const LoadContext& c) { return std::make_unique<SlowPeers>(c, Slow::NoRead); }

}  // namespace pc::availability
