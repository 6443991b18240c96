// The storm catalogue: every storm by name, with its requirement, unit, parameters and
// maker; the names profiles use for groups of them (slow_peer, large_request,
// network_storms). docs/dos.md describes each; `protocrawler dos --list-storms` prints
// this table.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/availability/storm.hpp"

namespace pc::availability {

struct CatalogueEntry {
  const StormInfo& (*info)();
  std::unique_ptr<Storm> (*make)(const LoadContext&);
};

const std::vector<CatalogueEntry>& catalogue();
const CatalogueEntry* find_storm(const std::string& name);
// Storm names for a name or a group name ("slow_peer" gives the three slow storms); empty
// when unknown.
std::vector<std::string> expand_storm_name(const std::string& name);

// The storms, one pair each (defined beside their implementation).
const StormInfo& connection_flood_info();
const StormInfo& session_exhaustion_info();
const StormInfo& request_flood_info();
const StormInfo& malformed_flood_info();
const StormInfo& large_request_info();
const StormInfo& fragmented_request_info();
const StormInfo& slow_partial_frame_info();
const StormInfo& slow_trickle_info();
const StormInfo& slow_no_read_info();
const StormInfo& syn_flood_info();
const StormInfo& tcp_flags_info();
const StormInfo& udp_flood_info();
const StormInfo& icmp_flood_info();
const StormInfo& ip_fragment_info();
const StormInfo& arp_storm_info();
std::unique_ptr<Storm> make_connection_flood(const LoadContext& c);
std::unique_ptr<Storm> make_session_exhaustion(const LoadContext& c);
std::unique_ptr<Storm> make_request_flood(const LoadContext& c);
std::unique_ptr<Storm> make_malformed_flood(const LoadContext& c);
std::unique_ptr<Storm> make_large_request(const LoadContext& c);
std::unique_ptr<Storm> make_fragmented_request(const LoadContext& c);
std::unique_ptr<Storm> make_slow_partial_frame(const LoadContext& c);
std::unique_ptr<Storm> make_slow_trickle(const LoadContext& c);
std::unique_ptr<Storm> make_slow_no_read(const LoadContext& c);
std::unique_ptr<Storm> make_syn_flood(const LoadContext& c);
std::unique_ptr<Storm> make_tcp_flags(const LoadContext& c);
std::unique_ptr<Storm> make_udp_flood(const LoadContext& c);
std::unique_ptr<Storm> make_icmp_flood(const LoadContext& c);
std::unique_ptr<Storm> make_ip_fragment(const LoadContext& c);
std::unique_ptr<Storm> make_arp_storm(const LoadContext& c);

}  // namespace pc::availability
