// LiveCapture on the loopback interface, recording a real TCP connection that
// the test opens itself. Skipped only when the process may not capture.
#include "core/capture/live_capture.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>

#include "core/capture/pcap_reader.hpp"
#include "test_support.hpp"

namespace pc::capture {
namespace {

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() { reset(); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

void set_receive_timeout(int fd) {
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

std::string receive_exactly(int fd, std::size_t size) {
  std::string data(size, '\0');
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = ::recv(fd, data.data() + got, size - got, 0);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  data.resize(got);
  return data;
}

TEST(CaptureLive, RecordsARealLoopbackConnection) {
  Socket listener(::socket(AF_INET, SOCK_STREAM, 0));
  ASSERT_GE(listener.get(), 0);
  sockaddr_in address = loopback(0);
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener.get(), 1), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::uint16_t port = ntohs(address.sin_port);

  const test::TempFile file("live.pcap");
  Result<LiveCapture> live = LiveCapture::start("lo", "tcp port " + std::to_string(port), file.path());
  if (!live.ok() && live.error().kind == CaptureError::Kind::permission) {
    GTEST_SKIP() << "capturing on lo is not permitted here: " << live.error().message;
  }
  ASSERT_TRUE(live.ok()) << live.error().message;
  EXPECT_TRUE(live.value().running());

  const std::string request = "ping request over loopback";
  const std::string response = "pong response, a little longer than the request";
  {
    Socket client(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in server_address = loopback(port);
    ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&server_address), sizeof server_address), 0);
    Socket served(::accept(listener.get(), nullptr, nullptr));
    ASSERT_GE(served.get(), 0);
    set_receive_timeout(client.get());
    set_receive_timeout(served.get());
    ASSERT_EQ(::send(client.get(), request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
    EXPECT_EQ(receive_exactly(served.get(), request.size()), request);
    live.value().poll();  // the engine polls while a replay runs
    ASSERT_EQ(::send(served.get(), response.data(), response.size(), 0), static_cast<ssize_t>(response.size()));
    EXPECT_EQ(receive_exactly(client.get(), response.size()), response);
  }  // both ends close: FIN exchange

  const Result<LiveCaptureStats> stats = live.value().stop();
  ASSERT_TRUE(stats.ok()) << stats.error().message;
  EXPECT_FALSE(live.value().running());
  EXPECT_GE(stats.value().written, 6U);  // handshake, two data segments, their ACKs

  Result<Capture> read = read_capture(file.path());
  ASSERT_TRUE(read.ok()) << read.error().message;
  const Capture& capture = read.value();
  EXPECT_EQ(capture.stats.frames, stats.value().written);
  ASSERT_EQ(capture.streams.size(), 2U);
  const Stream& up = capture.streams[0];
  const Stream& down = capture.streams[1];
  EXPECT_EQ(up.destination, (Endpoint{"127.0.0.1", port}));
  EXPECT_EQ(up.role, Role::initiator);
  EXPECT_EQ(down.role, Role::responder);
  EXPECT_EQ(std::string(up.bytes.begin(), up.bytes.end()), request);
  EXPECT_EQ(std::string(down.bytes.begin(), down.bytes.end()), response);
}

TEST(CaptureLive, BadInterfaceOrFilterIsAnError) {
  const test::TempFile file("live_bad.pcap");
  const Result<LiveCapture> no_interface = LiveCapture::start("pc-no-such-if0", "", file.path());
  ASSERT_FALSE(no_interface.ok());
  if (no_interface.error().kind == CaptureError::Kind::permission) GTEST_SKIP() << "capturing is not permitted";
  const Result<LiveCapture> bad_filter = LiveCapture::start("lo", "tcp port banana", file.path());
  ASSERT_FALSE(bad_filter.ok());
  EXPECT_EQ(bad_filter.error().kind, CaptureError::Kind::invalid_argument);
  EXPECT_NE(bad_filter.error().message.find("banana"), std::string::npos);
}

}  // namespace
}  // namespace pc::capture
