// Network-level storms (root only): raw packets from inside the tool's namespace toward
// the target, from source addresses that exist nowhere (198.18.X.3..254), so whatever the
// device's host answers is dropped inside the namespace: SYN flood, TCP flag
// combinations, UDP flood, ICMP echo flood, incomplete IP fragments, ARP requests.
// Packets are a pure function of the storm and its running count (a fixed seed).
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "core/availability/netns.hpp"
#include "core/availability/raw_packets.hpp"
#include "core/availability/storm_catalogue.hpp"

namespace pc::availability {

namespace {

enum class Net : uint8_t { Syn, Flags, Udp, Icmp, Fragment, Arp };

constexpr StormParam kPortParams[] = {
    {"port", "0", "destination port (0: the target's)"},
};
constexpr StormParam kSizeParams[] = {
    {"payload", "64", "payload bytes of each packet"},
};

class NetworkStorm final : public Storm {
 public:
  NetworkStorm(const LoadContext& ctx, Net kind) : ctx_(ctx), kind_(kind), rng_(0x5eedu + static_cast<unsigned>(kind)) {
    if (!ctx_.netns) {
      counters_.harness_error = "a network-level storm needs the tool's network namespace";
      return;
    }
    int err = 0;
    auto s = kind_ == Net::Arp ? ctx_.netns->sockets(1, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(ETH_P_ARP), err)
                               : ctx_.netns->sockets(1, AF_INET, SOCK_RAW | SOCK_NONBLOCK, IPPROTO_RAW, err);
    if (s.empty()) {
      counters_.harness_error = fmt::format("no raw socket in the namespace: {}", std::strerror(err));
      return;
    }
    fd_ = std::move(s[0]);
    if (kind_ == Net::Arp) {
      sockaddr_ll ll{};
      ll.sll_family = AF_PACKET;
      ll.sll_protocol = htons(ETH_P_ARP);
      ll.sll_ifindex = ctx_.netns->inside_ifindex();
      ll.sll_halen = 6;
      std::memset(ll.sll_addr, 0xFF, 6);
      std::memcpy(&link_, &ll, sizeof ll);
    }
    port_ = static_cast<uint16_t>(ctx_.params.number("port"));
    if (port_ == 0) port_ = ctx_.target.port();
    payload_.assign(static_cast<size_t>(std::clamp(ctx_.params.number("payload"), 0.0, 1400.0)), 0x5A);
  }
  const StormInfo& info() const override {
    switch (kind_) {
      case Net::Syn: return syn_flood_info();
      case Net::Flags: return tcp_flags_info();
      case Net::Udp: return udp_flood_info();
      case Net::Icmp: return icmp_flood_info();
      case Net::Fragment: return ip_fragment_info();
      case Net::Arp: return arp_storm_info();
    }
    return syn_flood_info();
  }

  void fire(uint32_t n) override {
    if (!fd_.valid()) return;
    for (uint32_t i = 0; i < n; ++i) {
      auto packet = next_packet();
      ssize_t r = kind_ == Net::Arp
                      ? ::sendto(fd_.get(), packet.data(), packet.size(), 0, reinterpret_cast<const sockaddr*>(&link_),
                                 sizeof(sockaddr_ll))
                      : ::sendto(fd_.get(), packet.data(), packet.size(), 0, ctx_.target.get(), ctx_.target.length);
      if (r >= 0) {
        ++counters_.ops;
      } else if (errno == EAGAIN || errno == ENOBUFS || errno == EWOULDBLOCK) {
        // the tool's own queue is full: not delivered, so the step shows as tool-limited
      } else {
        counters_.harness_error = fmt::format("sending a raw packet failed: {}", std::strerror(errno));
        return;
      }
    }
  }
  void poll(std::chrono::microseconds wait) override {
    if (wait.count() > 0) std::this_thread::sleep_for(wait);
  }
  void stop() override { fd_.reset(); }

 private:
  std::vector<uint8_t> next_packet() {
    ++count_;
    const uint32_t src = ctx_.netns->subnet() | (3 + static_cast<uint32_t>(rng_() % 250));
    Ipv4Ends ip{src, ctx_.target.ipv4(), static_cast<uint16_t>(rng_())};
    const auto sport = static_cast<uint16_t>(1024 + rng_() % 60000);
    switch (kind_) {
      case Net::Syn: return ipv4_tcp(ip, sport, port_, static_cast<uint32_t>(rng_()), tcp_flag::kSyn);
      case Net::Flags:
        // every combination of FIN SYN RST PSH ACK URG in turn
        return ipv4_tcp(ip, sport, port_, static_cast<uint32_t>(rng_()), static_cast<uint8_t>(count_ % 64));
      case Net::Udp: return ipv4_udp(ip, sport, port_, payload_);
      case Net::Icmp: return ipv4_icmp_echo(ip, static_cast<uint16_t>(rng_()), static_cast<uint16_t>(count_), payload_);
      case Net::Fragment: return ipv4_first_fragment(ip, port_, 1400, 1024);
      case Net::Arp: {
        std::array<uint8_t, 6> mac{0x02, 0x00, 0, 0, 0, 0};
        const auto r = rng_();
        for (size_t k = 2; k < 6; ++k) mac[k] = static_cast<uint8_t>(r >> (8 * k));
        return arp_request(mac, src, ctx_.netns->host_ipv4());
      }
    }
    return {};
  }

  LoadContext ctx_;
  Net kind_;
  std::mt19937_64 rng_;
  Fd fd_;
  sockaddr_storage link_{};
  uint16_t port_ = 0;
  uint64_t count_ = 0;
  std::vector<uint8_t> payload_;
};

}  // namespace

const StormInfo& syn_flood_info() {
  static const StormInfo i{"syn_flood", "CR 7.1", Intensity::Rate, "packets/s", true,
                           "TCP SYNs to the target's port from spoofed sources that never complete the handshake",
                           kPortParams};
  return i;
}
const StormInfo& tcp_flags_info() {
  static const StormInfo i{"tcp_flags", "CR 7.1", Intensity::Rate, "packets/s", true,
                           "TCP segments with every combination of FIN, SYN, RST, PSH, ACK and URG, out of any connection",
                           kPortParams};
  return i;
}
const StormInfo& udp_flood_info() {
  static const StormInfo i{"udp_flood", "CR 7.1", Intensity::Rate, "packets/s", true,
                           "UDP datagrams to the target's address", kSizeParams};
  return i;
}
const StormInfo& icmp_flood_info() {
  static const StormInfo i{"icmp_flood", "CR 7.1", Intensity::Rate, "packets/s", true,
                           "ICMP echo requests to the target's address", kSizeParams};
  return i;
}
const StormInfo& ip_fragment_info() {
  static const StormInfo i{"ip_fragment", "CR 7.1", Intensity::Rate, "packets/s", true,
                           "first fragments of 1400-byte UDP datagrams whose other fragments never come",
                           kPortParams};
  return i;
}
const StormInfo& arp_storm_info() {
  static const StormInfo i{"arp_storm", "CR 7.1", Intensity::Rate, "packets/s", true,
                           "broadcast ARP requests from ever new MAC and IP addresses on the namespace's link", {}};
  return i;
}

std::unique_ptr<Storm> make_syn_flood(const LoadContext& c) { return std::make_unique<NetworkStorm>(c, Net::Syn); }
std::unique_ptr<Storm> make_tcp_flags(const LoadContext& c) { return std::make_unique<NetworkStorm>(c, Net::Flags); }
std::unique_ptr<Storm> make_udp_flood(const LoadContext& c) { return std::make_unique<NetworkStorm>(c, Net::Udp); }
std::unique_ptr<Storm> make_icmp_flood(const LoadContext& c) { return std::make_unique<NetworkStorm>(c, Net::Icmp); }
std::unique_ptr<Storm> make_ip_fragment(const LoadContext& c) {
  return std::make_unique<NetworkStorm>(c, Net::Fragment);
}
std::unique_ptr<Storm> make_arp_storm(const LoadContext& c) { return std::make_unique<NetworkStorm>(c, Net::Arp); }

}  // namespace pc::availability
