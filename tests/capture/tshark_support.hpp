// Cross-checks against tshark: TCP payload bytes per direction as Wireshark sees them.
#pragma once

#include <cstdint>
#include <map>
#include <sstream>
#include <string>

#include "core/capture/stream.hpp"
#include "test_support.hpp"

namespace pc::capture::test {

inline std::string direction_key(const Endpoint& source, const Endpoint& destination) {
  return source.address + ":" + std::to_string(source.port) + ">" + destination.address + ":" +
         std::to_string(destination.port);
}

struct TsharkTcpBytes {
  std::map<std::string, std::uint64_t> new_bytes;  ///< per direction, retransmissions left out
  std::uint64_t retransmitted_bytes = 0;           ///< payload of frames tshark calls retransmissions
  std::uint64_t retransmissions = 0;
};

/// Sum tcp.len per direction with tshark, keeping retransmitted segments apart.
inline TsharkTcpBytes tshark_tcp_bytes(const std::string& file) {
  const std::string command =
      "tshark -r '" + file + "' -Y 'tcp' -T fields -E separator=/t -E occurrence=f "
      "-e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport -e tcp.len "
      "-e tcp.analysis.retransmission 2>/dev/null";
  TsharkTcpBytes result;
  std::istringstream lines(run_command(command));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string cell[8];
    for (auto& value : cell) std::getline(fields, value, '\t');
    const Endpoint source{cell[0].empty() ? cell[1] : cell[0],
                          static_cast<std::uint16_t>(std::stoul(cell[2]))};
    const Endpoint destination{cell[3].empty() ? cell[4] : cell[3],
                               static_cast<std::uint16_t>(std::stoul(cell[5]))};
    const std::uint64_t length = std::stoull(cell[6]);
    if (!cell[7].empty()) {
      result.retransmitted_bytes += length;
      ++result.retransmissions;
    } else {
      result.new_bytes[direction_key(source, destination)] += length;
    }
  }
  return result;
}

}  // namespace pc::capture::test
