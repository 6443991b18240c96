#include "core/availability/storm_catalogue.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace pc::availability {

const std::vector<CatalogueEntry>& catalogue() {
  static const std::vector<CatalogueEntry> c = {
      {connection_flood_info, make_connection_flood},   {session_exhaustion_info, make_session_exhaustion},
      {request_flood_info, make_request_flood},         {malformed_flood_info, make_malformed_flood},
      {slow_partial_frame_info, make_slow_partial_frame}, {slow_trickle_info, make_slow_trickle},
      {slow_no_read_info, make_slow_no_read},           {large_request_info, make_large_request},
      {fragmented_request_info, make_fragmented_request}, {syn_flood_info, make_syn_flood},
      {tcp_flags_info, make_tcp_flags},                 {udp_flood_info, make_udp_flood},
      {icmp_flood_info, make_icmp_flood},               {ip_fragment_info, make_ip_fragment},
      {arp_storm_info, make_arp_storm},
  };
  return c;
}

const CatalogueEntry* find_storm(const std::string& name) {
  for (const auto& e : catalogue()) {
    if (e.info().name == name) return &e;
  }
  return nullptr;
}

std::vector<std::string> expand_storm_name(const std::string& name) {
  if (find_storm(name)) return {name};
  if (name == "slow_peer" || name == "slow_peers") return {"slow_partial_frame", "slow_trickle", "slow_no_read"};
  if (name == "large_request" || name == "large_requests") return {"large_request", "fragmented_request"};
  if (name == "network_storms") return {"syn_flood", "tcp_flags", "udp_flood", "icmp_flood", "ip_fragment", "arp_storm"};
  if (name == "all") {
    std::vector<std::string> out;
    for (const auto& e : catalogue()) out.emplace_back(e.info().name);
    return out;
  }
  return {};
}

bool StormParams::check(std::string& error) const {
  for (const auto& [k, v] : given_) {
    bool known = false;
    for (const auto& p : info_->params) known |= p.name == k;
    if (!known) {
      std::string names;
      for (const auto& p : info_->params) names += (names.empty() ? "" : ", ") + std::string(p.name);
      error = fmt::format("{} has no parameter '{}' ({})", info_->name, k, names.empty() ? "it takes none" : names);
      return false;
    }
    for (const auto& p : info_->params) {
      if (p.name != k) continue;
      char* end = nullptr;
      std::strtod(p.default_value.data(), &end);
      const bool numeric = end && *end == '\0' && !p.default_value.empty();
      if (numeric) {
        std::strtod(v.c_str(), &end);
        if (v.empty() || *end != '\0') {
          error = fmt::format("{}.{} is a number, not '{}'", info_->name, k, v);
          return false;
        }
      }
    }
  }
  return true;
}

std::string StormParams::text(std::string_view name) const {
  if (auto it = given_.find(std::string(name)); it != given_.end()) return it->second;
  if (info_) {
    for (const auto& p : info_->params) {
      if (p.name == name) return std::string(p.default_value);
    }
  }
  return {};
}

double StormParams::number(std::string_view name) const { return std::strtod(text(name).c_str(), nullptr); }

std::map<std::string, std::string> StormParams::effective() const {
  std::map<std::string, std::string> out;
  if (info_) {
    for (const auto& p : info_->params) out[std::string(p.name)] = text(p.name);
  }
  return out;
}

}  // namespace pc::availability
