#include "core/capture/pcap_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <system_error>

#include "core/capture/capture_assembler.hpp"
#include "core/capture/detail/pcap_handles.hpp"
#include "core/capture/link_type.hpp"

namespace pc::capture {
namespace {

using Kind = CaptureError::Kind;

Result<Capture> read_all(pcap_t* handle, const std::string& name) {
  const int type = pcap_datalink(handle);
  if (!link_type::is_supported(type)) {
    const char* type_name = pcap_datalink_val_to_name(type);
    return make_error(Kind::unsupported,
                      fmt::format("{}: unsupported link type {} ({})", name, type,
                                  type_name != nullptr ? type_name : "unknown"));
  }
  CaptureAssembler assembler(type);
  std::string trailing_error;
  for (;;) {
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int status = pcap_next_ex(handle, &header, &data);
    if (status == PCAP_ERROR_BREAK) break;  // end of file
    if (status != 1) {
      trailing_error = pcap_geterr(handle);
      break;
    }
    const Timestamp time{header->ts.tv_sec, static_cast<std::uint32_t>(header->ts.tv_usec)};
    assembler.add_frame({data, header->caplen}, time);
  }
  Capture capture = assembler.finish();
  capture.trailing_error = std::move(trailing_error);
  return capture;
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

Result<Capture> read_capture(const std::filesystem::path& path) {
  std::array<char, PCAP_ERRBUF_SIZE> error{};
  detail::PcapHandle handle(pcap_open_offline_with_tstamp_precision(
      path.c_str(), PCAP_TSTAMP_PRECISION_NANO, error.data()));
  if (!handle) {
    std::error_code ignored;
    const Kind kind = std::filesystem::is_regular_file(path, ignored) ? Kind::format : Kind::io;
    return make_error(kind, fmt::format("{}: {}", path.string(), error.data()));
  }
  return read_all(handle.get(), path.string());
}

Result<Capture> read_capture_bytes(std::span<const std::uint8_t> file_bytes) {
  if (file_bytes.empty()) return make_error(Kind::format, "capture is empty");
  // fmemopen only reads through the pointer in "rb" mode.
  std::unique_ptr<std::FILE, FileCloser> file(
      fmemopen(const_cast<std::uint8_t*>(file_bytes.data()), file_bytes.size(), "rb"));
  if (!file) return make_error(Kind::io, "cannot open memory buffer");
  std::array<char, PCAP_ERRBUF_SIZE> error{};
  detail::PcapHandle handle(
      pcap_fopen_offline_with_tstamp_precision(file.get(), PCAP_TSTAMP_PRECISION_NANO, error.data()));
  if (!handle) return make_error(Kind::format, fmt::format("capture in memory: {}", error.data()));
  file.release();  // NOLINT(bugprone-unused-return-value): pcap_close closes it now
  return read_all(handle.get(), "capture in memory");
}

}  // namespace pc::capture
