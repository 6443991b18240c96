#include "core/availability/load_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pc::availability {

uint32_t SocketAddress::ipv4() const {
  if (storage.ss_family != AF_INET) return 0;
  return ntohl(reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr.s_addr);
}

uint16_t SocketAddress::port() const {
  if (storage.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
}

bool to_socket_address(const transport::Address& a, SocketAddress& out, std::string& error) {
  out = {};
  sockaddr_in v4{};
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET, a.resolved.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(a.port);
    std::memcpy(&out.storage, &v4, sizeof v4);
    out.length = sizeof v4;
    return true;
  }
  if (inet_pton(AF_INET6, a.resolved.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(a.port);
    std::memcpy(&out.storage, &v6, sizeof v6);
    out.length = sizeof v6;
    return true;
  }
  error = "not a numeric address: " + a.resolved;
  return false;
}

bool local_error(int err) {
  return err == EMFILE || err == ENFILE || err == EADDRNOTAVAIL || err == ENOBUFS || err == ENOMEM ||
         err == EADDRINUSE;
}

uint64_t raise_descriptor_limit() {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return 0;
  if (r.rlim_cur < r.rlim_max) {
    rlimit want = r;
    want.rlim_cur = r.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &want) == 0) r = want;
  }
  return r.rlim_cur;
}

SourceSpreader::SourceSpreader(const SocketAddress& target, uint32_t addresses)
    : loopback_(target.family() == AF_INET && (target.ipv4() >> 24) == 127), count_(addresses) {}

std::string SourceSpreader::next() {
  if (!loopback_ || count_ == 0) return {};
  // 127.0.0.2 upwards, skipping .0 and .255 of each /24
  uint32_t k = at_++ % count_;
  uint32_t hi = k / 253, lo = 2 + k % 253;
  return "127.0." + std::to_string(hi % 256) + "." + std::to_string(lo);
}

namespace {

bool bind_source(int fd, int family, const std::string& source, int& err) {
  if (source.empty()) return true;
  int one = 1;
#ifdef IP_BIND_ADDRESS_NO_PORT
  setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
  if (family == AF_INET) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    if (inet_pton(AF_INET, source.c_str(), &sa.sin_addr) != 1) {
      err = EINVAL;
      return false;
    }
    if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      err = errno;
      return false;
    }
  }
  return true;
}

}  // namespace

bool connect_tcp(Fd& fd, const SocketAddress& target, const OpenOptions& options, int& err) {
  int flags = fcntl(fd.get(), F_GETFL, 0);
  fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK);
  if (options.no_delay) {
    int one = 1;
    setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  if (options.receive_buffer > 0) {
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &options.receive_buffer, sizeof options.receive_buffer);
  }
  if (!bind_source(fd.get(), target.family(), options.source, err)) return false;
  if (::connect(fd.get(), target.get(), target.length) != 0 && errno != EINPROGRESS) {
    err = errno;
    return false;
  }
  err = 0;
  return true;
}

Fd open_tcp(const SocketAddress& target, const OpenOptions& options, int& err) {
  Fd fd(::socket(target.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    err = errno;
    return {};
  }
  if (!connect_tcp(fd, target, options, err)) return {};
  return fd;
}

int connect_error(int fd) {
  int e = 0;
  socklen_t len = sizeof e;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0) return errno;
  return e;
}

void close_abortive(Fd& fd) {
  if (!fd.valid()) return;
  linger l{1, 0};
  setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  fd.reset();
}

ssize_t send_some(int fd, const uint8_t* data, size_t size) {
  for (;;) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    return -1;
  }
}

}  // namespace pc::availability
