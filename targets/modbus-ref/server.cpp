// The event loop: setup, the loop itself, accepting, the scan cycle and idle sweeps.
// Per-connection I/O lives in connection_io.cpp.
#include "server.hpp"

#include <sys/signalfd.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>

#include "listener.hpp"

namespace pc::modbus_ref {
namespace {

constexpr std::uint64_t kListenerToken = ~std::uint64_t{0};
constexpr std::uint64_t kSignalToken = ~std::uint64_t{0} - 1;
constexpr auto kMaxSweepInterval = std::chrono::milliseconds(100);

std::uint64_t token(ConnectionId id) {
  return (std::uint64_t{id.generation} << 32) | id.slot;
}

ConnectionId from_token(std::uint64_t value) {
  return ConnectionId{static_cast<std::uint32_t>(value & 0xFFFFFFFFU),
                      static_cast<std::uint32_t>(value >> 32)};
}

void watch(int epoll_fd, int fd, std::uint64_t data, std::uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = data;
  if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) {
    throw std::system_error(errno, std::generic_category(), "epoll_ctl");
  }
}

}  // namespace

Server::Server(const ServerConfig& config, Device& device)
    : config_(config),
      device_(device),
      listener_(listen_tcp(config.bind_address, config.port)),
      signals_(stop_signal_fd()),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      port_(bound_port(listener_)),
      table_(config.max_connections) {
  if (!epoll_.valid()) {
    throw std::system_error(errno, std::generic_category(), "epoll_create1");
  }
  watch(epoll_.get(), listener_.get(), kListenerToken, EPOLLIN);
  watch(epoll_.get(), signals_.get(), kSignalToken, EPOLLIN);
}

int Server::run() {
  const auto period = std::chrono::milliseconds(device_.tuning().scan_ms);
  next_scan_ = Clock::now() + period;
  next_sweep_ = Clock::now() + kMaxSweepInterval;
  std::array<epoll_event, 64> events{};
  while (!stop_) {
    const int ready = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()),
                                   next_timeout_ms(Clock::now()));
    if (ready < 0 && errno != EINTR) {
      return 1;
    }
    for (int i = 0; i < ready; ++i) {
      on_event(events[static_cast<std::size_t>(i)]);
    }
    if (on(Defect::kUnboundedRequestQueue)) {
      serve_one_queued();
    }
    const auto now = Clock::now();
    // Defect unbounded-request-queue: the scan only runs once the queue is empty.
    const bool scan_allowed = queue_.empty();
    if (now >= next_scan_ && scan_allowed) {
      device_.scan();
      next_scan_ += period;
      if (next_scan_ <= now) {
        next_scan_ = now + period;  // missed scans are skipped, not made up
      }
    }
    if (now >= next_sweep_) {
      sweep_idle(now);
      next_sweep_ = now + kMaxSweepInterval;
    }
  }
  return 0;
}

int Server::next_timeout_ms(Clock::time_point now) const {
  if (!queue_.empty()) {
    return 0;
  }
  const auto next = std::min(next_scan_, next_sweep_);
  if (next <= now) {
    return 0;
  }
  // Round up so the loop does not wake a moment too early and spin.
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(next - now);
  return static_cast<int>(wait.count());
}

void Server::on_event(const epoll_event& event) {
  if (event.data.u64 == kSignalToken) {
    signalfd_siginfo info{};
    while (::read(signals_.get(), &info, sizeof info) == sizeof info) {
    }
    stop_ = true;
    return;
  }
  if (event.data.u64 == kListenerToken) {
    accept_all();
    return;
  }
  const ConnectionId id = from_token(event.data.u64);
  Connection* conn = table_.find(id);
  if (conn == nullptr) {
    return;  // closed earlier in this batch
  }
  if ((event.events & EPOLLOUT) != 0) {
    flush(id, *conn);
    conn = table_.find(id);
    if (conn == nullptr) {
      return;
    }
  }
  if ((event.events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) {
    on_readable(id);
  }
}

void Server::accept_all() {
  for (;;) {
    posix::UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd.valid()) {
      return;  // EAGAIN, or a peer that vanished before we got to it
    }
    const auto id = table_.acquire(std::move(fd), Clock::now());
    if (!id) {
      continue;  // no free slot: the socket closes here, the peer sees EOF
    }
    Connection* conn = table_.find(*id);
    watch(epoll_.get(), conn->fd.get(), token(*id), EPOLLIN);
  }
}

void Server::close_connection(ConnectionId id) {
  Connection* conn = table_.find(id);
  if (conn == nullptr) {
    return;
  }
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, conn->fd.get(), nullptr);
  // Defect session-slot-leak: the error path forgets to return the slot.
  const bool leak = on(Defect::kSessionSlotLeak) && conn->exception_sent;
  table_.release(id, leak);
}

void Server::sweep_idle(Clock::time_point now) {
  // Defect idle-sessions-kept: the idle timer is never checked.
  if (config_.idle_timeout.count() == 0 || on(Defect::kIdleSessionsKept)) {
    return;
  }
  for (const ConnectionId id : table_.open_connections()) {
    const Connection* conn = table_.find(id);
    if (conn != nullptr && now - conn->last_activity >= config_.idle_timeout) {
      close_connection(id);
    }
  }
}

void Server::serve_one_queued() {
  if (queue_.empty()) {
    return;
  }
  const Queued request = std::move(queue_.front());
  queue_.pop_front();
  Connection* conn = table_.find(request.id);
  if (conn == nullptr) {
    return;  // the peer left; its answer has nowhere to go
  }
  respond(*conn, request.transaction, request.unit, request.pdu);
  flush(request.id, *conn);
}

}  // namespace pc::modbus_ref
