#include "harness_server.hpp"

#include <modbus.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace pc::libmodbus_harness {
namespace {

// A socket or signal fd that closes itself.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

struct ContextDeleter {
  void operator()(modbus_t* ctx) const { modbus_free(ctx); }
};
struct MappingDeleter {
  void operator()(modbus_mapping_t* mapping) const { modbus_mapping_free(mapping); }
};
using Context = std::unique_ptr<modbus_t, ContextDeleter>;
using Mapping = std::unique_ptr<modbus_mapping_t, MappingDeleter>;

// Input registers hold their address, discrete inputs are set at multiples of 3: the
// same static pattern as the reference device, so a test can check what it reads.
Mapping make_mapping() {
  Mapping mapping(modbus_mapping_new(kCoils, kDiscreteInputs, kHoldingRegisters, kInputRegisters));
  if (mapping) {
    for (int k = 0; k < kInputRegisters; ++k) {
      mapping->tab_input_registers[k] = static_cast<std::uint16_t>(k);
    }
    for (int k = 0; k < kDiscreteInputs; ++k) {
      mapping->tab_input_bits[k] = k % 3 == 0 ? 1 : 0;
    }
  }
  return mapping;
}

Fd stop_signal_fd() {
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
  return Fd(::signalfd(-1, &set, SFD_CLOEXEC));
}

std::uint16_t bound_port(int socket) {
  sockaddr_in addr{};
  socklen_t size = sizeof addr;
  ::getsockname(socket, reinterpret_cast<sockaddr*>(&addr), &size);
  return ntohs(addr.sin_port);
}

}  // namespace

int serve(const HarnessConfig& config) {
  const Fd signals = stop_signal_fd();
  Context ctx(modbus_new_tcp(config.bind_address.c_str(), config.port));
  Mapping mapping = make_mapping();
  if (!ctx || !mapping || signals.get() < 0) {
    std::fprintf(stderr, "pc-libmodbus-server: setup failed: %s\n", modbus_strerror(errno));
    return 2;
  }
  modbus_set_response_timeout(ctx.get(), config.response_timeout_us / 1000000U,
                              config.response_timeout_us % 1000000U);
  const Fd listener(modbus_tcp_listen(ctx.get(), 16));
  if (listener.get() < 0) {
    std::fprintf(stderr, "pc-libmodbus-server: cannot listen on %s:%u: %s\n",
                 config.bind_address.c_str(), static_cast<unsigned>(config.port),
                 modbus_strerror(errno));
    return 2;
  }
  std::printf("listening on %s:%u\n", config.bind_address.c_str(),
              static_cast<unsigned>(bound_port(listener.get())));
  std::fflush(stdout);

  std::map<int, Fd> clients;
  std::vector<std::uint8_t> query(MODBUS_TCP_MAX_ADU_LENGTH);
  for (;;) {
    fd_set ready;
    FD_ZERO(&ready);
    FD_SET(signals.get(), &ready);
    FD_SET(listener.get(), &ready);
    int highest = std::max(signals.get(), listener.get());
    for (const auto& [fd, owner] : clients) {
      FD_SET(fd, &ready);
      highest = std::max(highest, fd);
    }
    if (::select(highest + 1, &ready, nullptr, nullptr, nullptr) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return 1;
    }
    if (FD_ISSET(signals.get(), &ready)) {
      return 0;  // SIGTERM or SIGINT
    }
    if (FD_ISSET(listener.get(), &ready)) {
      Fd client(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
      // select() cannot watch descriptors past FD_SETSIZE: such a peer is refused.
      if (client.get() >= 0 && client.get() < FD_SETSIZE) {
        const int fd = client.get();
        clients.emplace(fd, std::move(client));
      }
    }
    std::vector<int> gone;
    for (const auto& [fd, owner] : clients) {
      if (!FD_ISSET(fd, &ready)) {
        continue;
      }
      modbus_set_socket(ctx.get(), fd);
      const int length = modbus_receive(ctx.get(), query.data());
      if (length > 0) {
        // Returns -1 without answering for requests libmodbus does not serve (07).
        modbus_reply(ctx.get(), query.data(), length, mapping.get());
      } else if (length < 0) {
        gone.push_back(fd);  // peer closed, or a frame libmodbus could not read
      }
    }
    for (const int fd : gone) {
      clients.erase(fd);
    }
  }
}

}  // namespace pc::libmodbus_harness
