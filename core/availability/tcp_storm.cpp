#include "core/availability/tcp_storm.hpp"

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/availability/netns.hpp"

namespace pc::availability {

namespace {
constexpr auto kConnectTimeout = std::chrono::seconds(2);
constexpr size_t kMaxAnswerBuffer = 64 * 1024;
}  // namespace

TcpStorm::TcpStorm(const LoadContext& ctx)
    : ctx_(ctx), sources_(ctx.target), framer_(*ctx.model), epoll_(::epoll_create1(EPOLL_CLOEXEC)) {}

TcpStorm::~TcpStorm() { close_all(); }

void TcpStorm::stop() { close_all(); }

TcpStorm::Peer* TcpStorm::open_peer(bool inside_netns, int receive_buffer) {
  if (!counters_.harness_error.empty()) return nullptr;
  OpenOptions o;
  o.receive_buffer = receive_buffer;
  int err = 0;
  Fd fd;
  if (inside_netns && ctx_.netns) {
    auto made = ctx_.netns->sockets(1, ctx_.target.family(), SOCK_STREAM, 0, err);
    if (!made.empty()) {
      fd = std::move(made[0]);
      if (!connect_tcp(fd, ctx_.target, o, err)) fd.reset();
    }
  } else {
    o.source = sources_.next();
    fd = open_tcp(ctx_.target, o, err);
  }
  if (!fd.valid()) {
    if (err == ECONNREFUSED || err == ENETUNREACH || err == EHOSTUNREACH || err == ETIMEDOUT) {
      ++counters_.refused;
      return nullptr;
    }
    counters_.harness_error = fmt::format("the tool could not open a connection: {}{}", std::strerror(err),
                                          local_error(err) ? " (the tool's own limit, not the device's)" : "");
    return nullptr;
  }
  auto p = std::make_unique<Peer>();
  p->key = next_key_++;
  p->fd = std::move(fd);
  p->inside = inside_netns && ctx_.netns;
  p->opened = p->next = Clock::now();
  Peer* raw = p.get();
  peers_.emplace(raw->key, std::move(p));
  ++counters_.held;
  watch(*raw);
  return raw;
}

void TcpStorm::watch(Peer& p) {
  uint32_t want = EPOLLRDHUP;
  if (p.connecting || pending(p) > 0) want |= EPOLLOUT;
  if (!p.connecting && p.reads) want |= EPOLLIN;
  if (want == p.events) return;
  epoll_event ev{};
  ev.events = want;
  ev.data.u64 = p.key;
  ::epoll_ctl(epoll_.get(), p.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, p.fd.get(), &ev);
  p.events = want;
}

void TcpStorm::retire(Peer& p, bool abortive) {
  if (!p.fd.valid()) return;
  ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, p.fd.get(), nullptr);
  if (abortive) close_abortive(p.fd);
  p.fd.reset();
  if (counters_.held > 0) --counters_.held;
  dead_.push_back(p.key);  // erased after the event batch: hooks may still hold it
}

void TcpStorm::close_peer(Peer& p, bool abortive) { retire(p, abortive); }

void TcpStorm::gone(Peer& p) {
  on_closed(p);
  ++(p.served ? counters_.closed_by_target : counters_.refused);
  retire(p, false);
}

void TcpStorm::close_all(bool abortive) {
  for (auto& [key, p] : peers_) {
    if (!p->fd.valid()) continue;
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, p->fd.get(), nullptr);
    if (abortive) close_abortive(p->fd);
    p->fd.reset();
  }
  peers_.clear();
  dead_.clear();
  counters_.held = 0;
}

std::vector<TcpStorm::Peer*> TcpStorm::open_peers() {
  std::vector<Peer*> out;
  out.reserve(peers_.size());
  for (auto& [key, p] : peers_) {
    if (p->fd.valid()) out.push_back(p.get());
  }
  return out;
}

bool TcpStorm::queue(Peer& p, std::span<const uint8_t> bytes) {
  if (!p.fd.valid() || pending(p) + bytes.size() > std::max(max_out_, bytes.size())) return false;
  if (p.out_at > 0 && p.out_at == p.out.size()) {
    p.out.clear();
    p.out_at = 0;
  }
  p.out.insert(p.out.end(), bytes.begin(), bytes.end());
  return true;
}

bool TcpStorm::send(Peer& p, std::span<const uint8_t> bytes) {
  if (!queue(p, bytes)) return false;
  if (!p.connecting) flush(p);
  return true;
}

TcpStorm::Peer* TcpStorm::find(uint64_t key) {
  auto it = peers_.find(key);
  return it == peers_.end() || !it->second->fd.valid() ? nullptr : it->second.get();
}

bool TcpStorm::send_now(Peer& p, std::span<const uint8_t> bytes) {
  if (p.connecting || !p.fd.valid()) return false;
  ssize_t n = send_some(p.fd.get(), bytes.data(), bytes.size());
  if (n < 0) {
    gone(p);
    return false;
  }
  if (static_cast<size_t>(n) < bytes.size()) {
    p.out.insert(p.out.end(), bytes.begin() + n, bytes.end());
    watch(p);
  }
  return n > 0;
}

void TcpStorm::flush(Peer& p) {
  if (!p.fd.valid() || p.connecting) return;
  while (pending(p) > 0) {
    ssize_t n = send_some(p.fd.get(), p.out.data() + p.out_at, pending(p));
    if (n < 0) {
      gone(p);
      return;
    }
    if (n == 0) break;
    p.out_at += static_cast<size_t>(n);
  }
  if (p.out_at == p.out.size()) {
    p.out.clear();
    p.out_at = 0;
  }
  watch(p);
}

void TcpStorm::finish_connect(Peer& p) {
  int err = connect_error(p.fd.get());
  if (err != 0) {
    if (local_error(err)) {
      counters_.harness_error = fmt::format("the tool could not connect: {} (the tool's own limit)", std::strerror(err));
    } else {
      ++counters_.refused;
      on_refused(p);
    }
    retire(p, false);
    return;
  }
  p.connecting = false;
  on_connected(p);
  if (!p.fd.valid()) return;
  if (pending(p) > 0) flush(p);
  if (p.fd.valid()) watch(p);
}

void TcpStorm::readable(Peer& p) {
  std::array<uint8_t, 16384> buf{};
  for (int round = 0; round < 4; ++round) {
    ssize_t n = ::recv(p.fd.get(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n > 0) {
      p.in.insert(p.in.end(), buf.begin(), buf.begin() + n);
      size_t at = 0;
      while (at < p.in.size()) {
        auto cut = framer_.next(std::span<const uint8_t>(p.in).subspan(at));
        if (cut.kind == model::Framer::Cut::Kind::Message && cut.size > 0 && at + cut.size <= p.in.size()) {
          at += cut.size;
          ++counters_.answers;
          p.served = true;
          on_answer(p);
          if (!p.fd.valid()) return;
        } else if (cut.kind == model::Framer::Cut::Kind::Junk) {
          at += cut.size == 0 ? p.in.size() - at : cut.size;
        } else {
          break;
        }
      }
      p.in.erase(p.in.begin(), p.in.begin() + static_cast<std::ptrdiff_t>(at));
      if (p.in.size() > kMaxAnswerBuffer) p.in.clear();
      if (static_cast<size_t>(n) < buf.size()) return;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    gone(p);  // FIN or RST from the device
    return;
  }
}

void TcpStorm::poll(std::chrono::microseconds wait) {
  std::array<epoll_event, 256> events{};
  int ms = wait.count() <= 0 ? 0 : static_cast<int>((wait.count() + 999) / 1000);
  int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), ms);
  for (int i = 0; i < n; ++i) {
    // epoll_event is packed: copy the key out rather than bind a reference to it
    const uint64_t key = events[static_cast<size_t>(i)].data.u64;
    auto it = peers_.find(key);
    if (it == peers_.end() || !it->second->fd.valid()) continue;
    Peer& p = *it->second;
    const uint32_t e = events[static_cast<size_t>(i)].events;
    if (p.connecting) {
      if (e & (EPOLLOUT | EPOLLERR | EPOLLHUP)) finish_connect(p);
      continue;
    }
    if ((e & EPOLLOUT) && pending(p) > 0) flush(p);
    if (!p.fd.valid()) continue;
    if (e & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
      if (p.reads || (e & (EPOLLERR | EPOLLHUP | EPOLLRDHUP))) readable(p);
    }
  }
  const auto now = Clock::now();
  for (auto& [key, p] : peers_) {
    (void)key;
    if (p->fd.valid() && p->connecting && now - p->opened > kConnectTimeout) {
      ++counters_.connect_timeouts;
      ++counters_.refused;
      on_refused(*p);
      retire(*p, false);
    }
  }
  for (uint64_t k : dead_) peers_.erase(k);
  dead_.clear();
  on_timer(now);
  for (uint64_t k : dead_) peers_.erase(k);
  dead_.clear();
}

}  // namespace pc::availability
