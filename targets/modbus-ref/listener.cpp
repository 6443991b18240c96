#include "listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>

namespace pc::modbus_ref {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

posix::UniqueFd listen_tcp(const std::string& address, std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1) {
    errno = EINVAL;
    fail("bind address '" + address + "' is not an IPv4 address");
  }
  posix::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    fail("socket");
  }
  const int on = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    fail("bind " + address + ":" + std::to_string(port));
  }
  if (::listen(fd.get(), SOMAXCONN) != 0) {
    fail("listen");
  }
  return fd;
}

std::uint16_t bound_port(const posix::UniqueFd& socket) {
  sockaddr_in addr{};
  socklen_t size = sizeof addr;
  if (::getsockname(socket.get(), reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
    fail("getsockname");
  }
  return ntohs(addr.sin_port);
}

posix::UniqueFd stop_signal_fd() {
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  if (::sigprocmask(SIG_BLOCK, &set, nullptr) != 0) {
    fail("sigprocmask");
  }
  posix::UniqueFd fd(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd.valid()) {
    fail("signalfd");
  }
  return fd;
}

}  // namespace pc::modbus_ref
