#include "core/capture/pcap_writer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/capture/detail/frame_builder.hpp"
#include "core/capture/detail/pcap_handles.hpp"
#include "core/capture/ip_address.hpp"

namespace pc::capture {
namespace {

using Kind = CaptureError::Kind;
constexpr int kSnapLength = 262144;

}  // namespace

struct PcapWriter::Handles {
  detail::PcapHandle dead;  // declared first: destroyed after the dumper
  detail::DumperHandle dumper;
};

PcapWriter::PcapWriter(std::unique_ptr<Handles> handles, int link_type)
    : handles_(std::move(handles)), link_type_(link_type) {}
PcapWriter::PcapWriter(PcapWriter&&) noexcept = default;
PcapWriter& PcapWriter::operator=(PcapWriter&&) noexcept = default;
PcapWriter::~PcapWriter() = default;

Result<PcapWriter> PcapWriter::create(const std::filesystem::path& path, int link_type) {
  auto handles = std::make_unique<Handles>();
  handles->dead.reset(pcap_open_dead_with_tstamp_precision(link_type, kSnapLength,
                                                           PCAP_TSTAMP_PRECISION_MICRO));
  if (!handles->dead) {
    return make_error(Kind::invalid_argument, fmt::format("link type {} refused", link_type));
  }
  handles->dumper.reset(pcap_dump_open(handles->dead.get(), path.c_str()));
  if (!handles->dumper) {
    return make_error(Kind::io, fmt::format("{}: {}", path.string(), pcap_geterr(handles->dead.get())));
  }
  return PcapWriter(std::move(handles), link_type);
}

void PcapWriter::write_frame(std::span<const std::uint8_t> frame, Timestamp time) {
  if (!handles_ || !handles_->dumper) return;
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<time_t>(time.seconds);
  header.ts.tv_usec = static_cast<suseconds_t>(time.nanoseconds / 1000);
  header.len = static_cast<bpf_u_int32>(frame.size());
  header.caplen = static_cast<bpf_u_int32>(std::min<std::size_t>(frame.size(), kSnapLength));
  pcap_dump(reinterpret_cast<u_char*>(handles_->dumper.get()), &header, frame.data());
  ++frames_;
}

Result<void> PcapWriter::write_udp(const Endpoint& source, const Endpoint& destination,
                                   std::span<const std::uint8_t> payload, Timestamp time) {
  if (link_type_ != link_type::ethernet) {
    return make_error(Kind::invalid_argument, "UDP datagrams need an Ethernet capture");
  }
  const auto from = IpAddress::parse(source.address);
  const auto to = IpAddress::parse(destination.address);
  if (!from || !to || from->version != to->version) {
    return make_error(Kind::invalid_argument,
                      fmt::format("bad address pair {} -> {}", source.address, destination.address));
  }
  const std::size_t limit = from->version == 4 ? 65535 - 20 - 8 : 65535 - 8;
  if (payload.size() > limit) {
    return make_error(Kind::invalid_argument,
                      fmt::format("UDP payload of {} bytes exceeds {}", payload.size(), limit));
  }
  const detail::IpHeaderSpec ip{*from, *to, next_ip_id()};
  write_frame(detail::build_udp_frame(ip, source.port, destination.port, payload), time);
  return {};
}

Result<void> PcapWriter::close() {
  if (!handles_ || !handles_->dumper) return {};
  const bool flushed = pcap_dump_flush(handles_->dumper.get()) == 0;
  handles_->dumper.reset();
  if (!flushed) return make_error(Kind::io, "flushing the capture file failed");
  return {};
}

}  // namespace pc::capture
