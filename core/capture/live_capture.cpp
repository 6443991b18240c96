#include "core/capture/live_capture.hpp"

#include <fmt/format.h>
#include <poll.h>

#include <array>
#include <chrono>

#include "core/capture/detail/pcap_handles.hpp"

namespace pc::capture {
namespace {

using Kind = CaptureError::Kind;

CaptureError activation_error(pcap_t* handle, int status, const std::string& interface) {
  const bool denied = status == PCAP_ERROR_PERM_DENIED || status == PCAP_ERROR_PROMISC_PERM_DENIED;
  const char* detail = status == PCAP_ERROR ? pcap_geterr(handle) : pcap_statustostr(status);
  return make_error(denied ? Kind::permission : Kind::io,
                    fmt::format("cannot capture on {}: {}", interface, detail));
}

}  // namespace

struct LiveCapture::State {
  detail::PcapHandle handle;
  detail::DumperHandle dumper;
  LiveCaptureOptions options;
  LiveCaptureStats stats;
};

LiveCapture::LiveCapture(std::unique_ptr<State> state) : state_(std::move(state)) {}
LiveCapture::LiveCapture(LiveCapture&&) noexcept = default;
LiveCapture& LiveCapture::operator=(LiveCapture&& other) noexcept {
  if (this != &other) {
    if (running()) stop();
    state_ = std::move(other.state_);
  }
  return *this;
}
LiveCapture::~LiveCapture() {
  if (running()) stop();
}

Result<LiveCapture> LiveCapture::start(const std::string& interface, const std::string& filter,
                                       const std::filesystem::path& output,
                                       LiveCaptureOptions options) {
  std::array<char, PCAP_ERRBUF_SIZE> error{};
  auto state = std::make_unique<State>();
  state->options = options;
  state->handle.reset(pcap_create(interface.c_str(), error.data()));
  if (!state->handle) {
    return make_error(Kind::io, fmt::format("cannot capture on {}: {}", interface, error.data()));
  }
  pcap_t* handle = state->handle.get();
  pcap_set_snaplen(handle, options.snap_length);
  pcap_set_immediate_mode(handle, 1);  // hand each packet over at once, not per buffer
  pcap_set_timeout(handle, 10);
  const int status = pcap_activate(handle);
  if (status < 0) return activation_error(handle, status, interface);

  if (pcap_setnonblock(handle, 1, error.data()) != 0) {
    return make_error(Kind::io, fmt::format("{}: {}", interface, error.data()));
  }
  if (!filter.empty()) {
    bpf_program program{};
    if (pcap_compile(handle, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
      return make_error(Kind::invalid_argument,
                        fmt::format("filter \"{}\": {}", filter, pcap_geterr(handle)));
    }
    const int applied = pcap_setfilter(handle, &program);
    pcap_freecode(&program);
    if (applied != 0) {
      return make_error(Kind::io, fmt::format("filter \"{}\": {}", filter, pcap_geterr(handle)));
    }
  }
  state->dumper.reset(pcap_dump_open(handle, output.c_str()));
  if (!state->dumper) {
    return make_error(Kind::io, fmt::format("{}: {}", output.string(), pcap_geterr(handle)));
  }
  return LiveCapture(std::move(state));
}

bool LiveCapture::running() const { return state_ && state_->dumper; }

std::size_t LiveCapture::poll() {
  if (!running()) return 0;
  std::size_t total = 0;
  for (;;) {
    const int count = pcap_dispatch(state_->handle.get(), -1, pcap_dump,
                                    reinterpret_cast<u_char*>(state_->dumper.get()));
    if (count <= 0) break;  // 0: nothing waiting (non-blocking); < 0: error
    total += static_cast<std::size_t>(count);
  }
  state_->stats.written += total;
  return total;
}

Result<LiveCaptureStats> LiveCapture::stop() {
  if (!state_) return LiveCaptureStats{};
  if (!running()) return state_->stats;
  // Keep reading until the interface stays quiet for the drain time.
  const int fd = pcap_get_selectable_fd(state_->handle.get());
  const auto wait_ms = static_cast<int>(state_->options.drain_time.count());
  // A busy interface never goes quiet: give up after ten drain times.
  const auto deadline = std::chrono::steady_clock::now() + 10 * state_->options.drain_time;
  for (;;) {
    poll();
    if (fd < 0 || std::chrono::steady_clock::now() >= deadline) break;
    pollfd readable{fd, POLLIN, 0};
    if (::poll(&readable, 1, wait_ms) <= 0) break;
  }
  poll();
  pcap_stat counters{};
  if (pcap_stats(state_->handle.get(), &counters) == 0) {
    state_->stats.dropped = std::uint64_t{counters.ps_drop} + counters.ps_ifdrop;
  }
  const bool flushed = pcap_dump_flush(state_->dumper.get()) == 0;
  state_->dumper.reset();
  if (!flushed) return make_error(Kind::io, "flushing the live capture file failed");
  return state_->stats;
}

}  // namespace pc::capture
