// RAII owners for libpcap handles (internal).
#pragma once

#include <pcap/pcap.h>

#include <memory>

namespace pc::capture::detail {

struct PcapCloser {
  void operator()(pcap_t* handle) const { pcap_close(handle); }
};
struct DumperCloser {
  void operator()(pcap_dumper_t* dumper) const { pcap_dump_close(dumper); }
};

using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;
using DumperHandle = std::unique_ptr<pcap_dumper_t, DumperCloser>;

}  // namespace pc::capture::detail
