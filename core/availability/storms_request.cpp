// Request storms: valid requests, malformed requests of the fuzz catalogue, requests of
// the largest valid sizes, and requests written one byte per TCP segment, all at the
// offered rate over a few connections that read every answer.
#include "core/availability/storm_catalogue.hpp"
#include "core/availability/tcp_storm.hpp"

namespace pc::availability {

namespace {

constexpr StormParam kFloodParams[] = {
    {"connections", "4", "connections the requests are spread over (each reads its answers)"},
};
constexpr StormParam kFragmentParams[] = {
    {"connections", "2", "connections the requests are spread over"},
    {"pool", "valid", "which requests: valid (the valid request) or largest (the largest valid requests)"},
};

class RequestFlood final : public TcpStorm {
 public:
  RequestFlood(const LoadContext& ctx, const StormInfo& info, const std::vector<std::vector<uint8_t>>& pool,
               bool fragment)
      : TcpStorm(ctx),
        info_(info),
        pool_(pool),
        fragment_(fragment),
        connections_(std::max<size_t>(1, static_cast<size_t>(ctx.params.number("connections")))) {}
  const StormInfo& info() const override { return info_; }

  void fire(uint32_t n) override {
    if (pool_.empty()) return;
    ensure_connections();
    // connections still connecting take requests into their buffers
    std::vector<Peer*> ready = open_peers();
    if (ready.empty()) {
      counters_.blocked += n;  // no connection: the device refused them (counted)
      return;
    }
    for (uint32_t i = 0; i < n; ++i) {
      Peer& p = *ready[next_++ % ready.size()];
      const auto& req = pool_[sent_++ % pool_.size()];
      bool ok = fragment_ ? one_byte_segments(p, req) : queue(p, req);
      ++(ok ? counters_.ops : counters_.blocked);
    }
    if (!fragment_) {
      for (Peer* p : ready) flush(*p);
    }
  }

 private:
  void ensure_connections() {
    while (open_count() < connections_ && counters_.harness_error.empty()) {
      if (!open_peer()) return;
    }
  }
  // TCP_NODELAY is on: each one-byte send() leaves as its own segment.
  bool one_byte_segments(Peer& p, const std::vector<uint8_t>& req) {
    if (p.connecting) return queue(p, req);
    if (pending(p) > 0) {
      flush(p);
      if (pending(p) > 0) return false;
    }
    for (size_t i = 0; i < req.size(); ++i) {
      if (!p.fd.valid()) return false;
      if (!send_now(p, std::span<const uint8_t>(req).subspan(i, 1))) {
        // the window is full: the rest waits, and goes out as the window opens
        if (p.fd.valid()) queue(p, std::span<const uint8_t>(req).subspan(i));
        return true;
      }
    }
    return true;
  }

  const StormInfo& info_;
  const std::vector<std::vector<uint8_t>>& pool_;
  bool fragment_;
  size_t connections_;
  uint64_t next_ = 0, sent_ = 0;
};

}  // namespace

const StormInfo& request_flood_info() {
  static const StormInfo i{"request_flood", "CR 7.1", Intensity::Rate, "requests/s", false,
                           "valid requests at the offered rate, pipelined over a few connections", kFloodParams,
                           true};
  return i;
}
const StormInfo& malformed_flood_info() {
  static const StormInfo i{"malformed_flood", "CR 7.1", Intensity::Rate, "requests/s", false,
                           "one-message cases of the fuzz catalogue (the profile's mutation classes) at the offered rate",
                           kFloodParams};
  return i;
}
const StormInfo& large_request_info() {
  static const StormInfo i{"large_request", "CR 7.2", Intensity::Rate, "requests/s", false,
                           "valid requests of the largest sizes the model allows (maximum declared lengths)",
                           kFloodParams, true};
  return i;
}
const StormInfo& fragmented_request_info() {
  static const StormInfo i{"fragmented_request", "CR 7.2", Intensity::Rate, "requests/s", false,
                           "requests written one byte per TCP segment", kFragmentParams, true};
  return i;
}

std::unique_ptr<Storm> make_request_flood(const LoadContext& c) {
  return std::make_unique<RequestFlood>(c, request_flood_info(), c.pools->valid, false);
}
std::unique_ptr<Storm> make_malformed_flood(const LoadContext& c) {
  return std::make_unique<RequestFlood>(c, malformed_flood_info(), c.pools->malformed, false);
}
std::unique_ptr<Storm> make_large_request(const LoadContext& c) {
  return std::make_unique<RequestFlood>(c, large_request_info(), c.pools->largest, false);
}
std::unique_ptr<Storm> make_fragmented_request(const LoadContext& c) {
  const bool largest = c.params.text("pool") == "largest";
  return std::make_unique<RequestFlood>(c, fragmented_request_info(), largest ? c.pools->largest : c.pools->valid,
                                        true);
}

}  // namespace pc::availability
