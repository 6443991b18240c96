// Connection storms: a flood of new connections, and session exhaustion (how many
// sessions the device serves before it refuses one, and whether it frees the sessions
// of peers that vanish without closing).
#include <algorithm>
#include <deque>

#include "core/availability/netns.hpp"
#include "core/availability/storm_catalogue.hpp"
#include "core/availability/tcp_storm.hpp"

namespace pc::availability {

namespace {

constexpr StormParam kFloodParams[] = {
    {"hold", "0", "connections kept open at once, the oldest closed first (0: each closed once connected)"},
    {"close", "fin", "how connections end: fin (an orderly close) or rst (an abortive close)"},
};

class ConnectionFlood final : public TcpStorm {
 public:
  explicit ConnectionFlood(const LoadContext& ctx)
      : TcpStorm(ctx),
        hold_(static_cast<size_t>(ctx.params.number("hold"))),
        rst_(ctx.params.text("close") == "rst") {}
  const StormInfo& info() const override { return connection_flood_info(); }

  void fire(uint32_t n) override {
    for (uint32_t i = 0; i < n && counters_.harness_error.empty(); ++i) {
      ++counters_.ops;
      open_peer();
    }
  }

 private:
  void on_connected(Peer& p) override {
    if (hold_ == 0) {
      close_peer(p, rst_);
      return;
    }
    order_.push_back(p.key);
    while (order_.size() > hold_) {
      if (Peer* old = find(order_.front())) close_peer(*old, rst_);
      order_.pop_front();
    }
  }
  void on_closed(Peer& p) override { (void)p; }

  size_t hold_;
  bool rst_;
  std::deque<uint64_t> order_;
};

constexpr StormParam kSessionParams[] = {
    {"vanish", "auto", "after stepping, peers vanish without closing: auto (through the tool's namespace, as root) or off"},
    {"serve_ms", "2000", "a new session not answered within this counts as refused"},
    {"keepalive_ms", "0", "each session sends a valid request this often (0: silent after its first answer)"},
};

class SessionExhaustion final : public TcpStorm {
 public:
  explicit SessionExhaustion(const LoadContext& ctx)
      : TcpStorm(ctx),
        inside_(ctx.netns != nullptr && ctx.params.text("vanish") != "off"),
        serve_(std::chrono::milliseconds(static_cast<int64_t>(ctx.params.number("serve_ms")))),
        keepalive_(std::chrono::milliseconds(static_cast<int64_t>(ctx.params.number("keepalive_ms")))) {}
  const StormInfo& info() const override { return session_exhaustion_info(); }

  void set_level(uint32_t level) override {
    level_ = level;
    top_up();
  }
  // the most sessions served at once, once the device has refused one
  std::optional<uint32_t> limit_found() const override {
    return refused_ ? std::optional<uint32_t>(max_served_) : std::nullopt;
  }

  bool vanish(std::string& how) override {
    level_ = 0;
    if (!inside_) {
      close_all();
      how = ctx_.netns == nullptr ? "the peers closed (FIN): vanishing peers need the tool's network namespace (root)"
                                  : "the peers closed (FIN): vanish=off";
      return false;
    }
    std::string err;
    if (!ctx_.netns->set_link(false, err)) {
      close_all();
      how = "the peers closed (FIN): " + err;
      return false;
    }
    dropped_ = true;
    close_all();  // their FINs go nowhere: the link is down
    how = "the namespace's link was set down, then the peers closed: nothing reached the device";
    return true;
  }

  void stop() override {
    close_all();
    if (dropped_) {
      std::string ignored;
      ctx_.netns->set_link(true, ignored);
      dropped_ = false;
    }
  }

 private:
  void top_up() {
    if (refused_) return;  // the device refused one: the limit is known, no more
    while (open_count() < level_ && counters_.harness_error.empty()) {
      if (!open_peer(inside_)) {
        if (counters_.harness_error.empty()) note_refusal();
        return;
      }
      ++counters_.ops;
    }
  }
  void note_refusal() { refused_ = true; }
  void on_connected(Peer& p) override {
    const auto& valid = ctx_.pools->valid;
    if (!valid.empty()) send(p, valid[p.key % valid.size()]);
    p.next = Clock::now() + keepalive_;
  }
  void on_answer(Peer& p) override {
    (void)p;
    uint32_t served = 0;
    for (Peer* q : open_peers()) served += q->served ? 1 : 0;
    max_served_ = std::max(max_served_, served);
  }
  void on_closed(Peer& p) override {
    if (!p.served) note_refusal();
  }
  void on_refused(Peer& p) override {
    (void)p;
    note_refusal();
  }
  void on_timer(Clock::time_point now) override {
    for (Peer* p : open_peers()) {
      if (!p->served && !p->connecting && now - p->opened > serve_) {
        note_refusal();
        close_peer(*p);
        ++counters_.refused;
      } else if (p->served && keepalive_.count() > 0 && now >= p->next && !ctx_.pools->valid.empty()) {
        send(*p, ctx_.pools->valid[(p->key + p->progress++) % ctx_.pools->valid.size()]);
        p->next = now + keepalive_;
      }
    }
    top_up();
  }

  bool inside_;
  std::chrono::milliseconds serve_;
  std::chrono::milliseconds keepalive_;
  uint32_t level_ = 0;
  bool refused_ = false;
  uint32_t max_served_ = 0;
  bool dropped_ = false;
};

}  // namespace

const StormInfo& connection_flood_info() {
  static const StormInfo i{"connection_flood", "CR 7.1", Intensity::Rate, "connections/s", false,
                           "opens new TCP connections at the offered rate, each closed at once or held",
                           kFloodParams};
  return i;
}

const StormInfo& session_exhaustion_info() {
  static const StormInfo i{"session_exhaustion", "CR 7.2", Intensity::Level, "sessions", false,
                           "holds more and more served sessions until the device refuses one; then the peers "
                           "vanish and new sessions must be served again",
                           kSessionParams};
  return i;
}

std::unique_ptr<Storm> make_connection_flood(const LoadContext& c) { return std::make_unique<ConnectionFlood>(c); }
std::unique_ptr<Storm> make_session_exhaustion(const LoadContext& c) {
  return std::make_unique<SessionExhaustion>(c);
}

}  // namespace pc::availability
