// The UDP client against real UDP sockets on loopback: an echo socket driven by the
// test, a port nobody listens on (ICMP port unreachable), datagrams as messages.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "tcp_test_support.hpp"
#include "test_cutters.hpp"

namespace pc::transport::test {
namespace {

using Bytes = std::vector<uint8_t>;

// A bound UDP socket that the test uses as the target: it receives a datagram and
// answers the sender with whatever the test says.
class UdpPeer {
 public:
  explicit UdpPeer(const std::string& host = "127.0.0.1")
      : v6_(host.find(':') != std::string::npos) {
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (v6_) {
      auto* address = reinterpret_cast<sockaddr_in6*>(&storage);
      address->sin6_family = AF_INET6;
      ::inet_pton(AF_INET6, host.c_str(), &address->sin6_addr);
      length = sizeof *address;
    } else {
      auto* address = reinterpret_cast<sockaddr_in*>(&storage);
      address->sin_family = AF_INET;
      ::inet_pton(AF_INET, host.c_str(), &address->sin_addr);
      length = sizeof *address;
    }
    fd_ = ::socket(storage.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&storage), length) == 0;
    length = sizeof storage;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length);
    port_ = v6_ ? ntohs(reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port)
                : ntohs(reinterpret_cast<sockaddr_in*>(&storage)->sin_port);
    url_ = "udp://" + (v6_ ? "[" + host + "]" : host) + ":" + std::to_string(port_);
  }
  ~UdpPeer() { ::close(fd_); }
  UdpPeer(const UdpPeer&) = delete;
  UdpPeer& operator=(const UdpPeer&) = delete;

  bool ok() const { return ok_; }
  const std::string& url() const { return url_; }
  // Waits for one datagram; remembers its sender.
  Bytes receive(int timeout_ms = 5000) {
    pollfd entry{fd_, POLLIN, 0};
    if (::poll(&entry, 1, timeout_ms) <= 0) {
      return {};
    }
    Bytes bytes(65536);
    sender_length_ = sizeof sender_;
    const ssize_t n = ::recvfrom(fd_, bytes.data(), bytes.size(), 0,
                                 reinterpret_cast<sockaddr*>(&sender_), &sender_length_);
    bytes.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return bytes;
  }
  void answer(const Bytes& bytes) {
    ::sendto(fd_, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&sender_),
             sender_length_);
  }

 private:
  bool v6_;
  bool ok_ = false;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::string url_;
  sockaddr_storage sender_{};
  socklen_t sender_length_ = 0;
};

TEST(TransportUdpClient, EchoThroughARealSocket) {
  UdpPeer echo;
  ASSERT_TRUE(echo.ok());
  auto client = make_udp_client(address_of(echo.url()));
  ASSERT_EQ(client->open(after(milliseconds(1000))).outcome, Outcome::Answer);
  EXPECT_TRUE(client->is_open());
  LengthPrefixCutter cutter;
  for (const Bytes& message : {hex("00 01 41"), hex("00 03 01 02 03"), hex("00 00")}) {
    ASSERT_EQ(client->send(message).outcome, Outcome::Answer);
    const Bytes got = echo.receive();
    EXPECT_EQ(got, message);
    echo.answer(got);
    const Received answer = client->receive(cutter, after(milliseconds(5000)));
    EXPECT_EQ(answer.outcome, Outcome::Answer);
    EXPECT_EQ(answer.bytes, message);
  }
  EXPECT_EQ(client->local_address().rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ("udp://" + client->peer_address(), echo.url());
}

TEST(TransportUdpClient, ADatagramWithTwoMessagesGivesBothInTurn) {
  UdpPeer peer;
  auto client = make_udp_client(address_of(peer.url()));
  ASSERT_EQ(client->open(after(milliseconds(1000))).outcome, Outcome::Answer);
  ASSERT_EQ(client->send(hex("00 00")).outcome, Outcome::Answer);
  peer.receive();
  peer.answer(hex("00 01 aa 00 02 bb cc"));
  LengthPrefixCutter cutter;
  EXPECT_EQ(client->receive(cutter, after(milliseconds(5000))).bytes, hex("00 01 aa"));
  EXPECT_EQ(client->buffered(), 4u);
  const Received second = client->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(second.outcome, Outcome::Answer);
  EXPECT_EQ(second.bytes, hex("00 02 bb cc"));
  EXPECT_EQ(client->receive(cutter, after(milliseconds(100))).outcome, Outcome::Silence);
}

TEST(TransportUdpClient, ADatagramThatDoesNotFrameIsUnframed) {
  UdpPeer peer;
  auto client = make_udp_client(address_of(peer.url()));
  ASSERT_EQ(client->open(after(milliseconds(1000))).outcome, Outcome::Answer);
  ASSERT_EQ(client->send(hex("00 00")).outcome, Outcome::Answer);
  peer.receive();
  peer.answer(hex("00 09 01"));  // promises 9 bytes: the next datagram cannot finish it
  peer.answer(hex("00 01 02"));
  LengthPrefixCutter cutter;
  const Received partial = client->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(partial.outcome, Outcome::Unframed);
  EXPECT_EQ(partial.bytes, hex("00 09 01"));
  const Received next = client->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(next.outcome, Outcome::Answer);
  EXPECT_EQ(next.bytes, hex("00 01 02"));
}

TEST(TransportUdpClient, NothingByTheDeadlineIsSilence) {
  UdpPeer peer;
  auto client = make_udp_client(address_of(peer.url()));
  ASSERT_EQ(client->open(after(milliseconds(1000))).outcome, Outcome::Answer);
  ASSERT_EQ(client->send(hex("00 00")).outcome, Outcome::Answer);
  LengthPrefixCutter cutter;
  const auto start = Clock::now();
  const Received silence = client->receive(cutter, after(milliseconds(300)));
  EXPECT_EQ(silence.outcome, Outcome::Silence);
  EXPECT_GE(since(start), milliseconds(300));
  EXPECT_LT(since(start), milliseconds(300 + 3000));
}

TEST(TransportUdpClient, PortUnreachableIsRefusedOnTheNextReceive) {
  std::string url;
  {
    UdpPeer gone;
    url = gone.url();
  }
  auto client = make_udp_client(address_of(url));
  ASSERT_EQ(client->open(after(milliseconds(1000))).outcome, Outcome::Answer);
  ASSERT_EQ(client->send(hex("00 01 02")).outcome, Outcome::Answer);
  LengthPrefixCutter cutter;
  const Received refused = client->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(refused.outcome, Outcome::Refused);
  EXPECT_NE(refused.error.find("unreachable"), std::string::npos) << refused.error;
}

TEST(TransportUdpClient, DrainDropsWaitingDatagrams) {
  UdpPeer peer;
  auto client = make_udp_client(address_of(peer.url()));
  ASSERT_EQ(client->open(after(milliseconds(1000))).outcome, Outcome::Answer);
  ASSERT_EQ(client->send(hex("00 00")).outcome, Outcome::Answer);
  peer.receive();
  peer.answer(hex("00 01 01 00 01 02"));
  peer.answer(hex("00 01 03"));
  LengthPrefixCutter cutter;
  EXPECT_EQ(client->receive(cutter, after(milliseconds(5000))).bytes, hex("00 01 01"));
  std::this_thread::sleep_for(milliseconds(50));
  client->drain();
  EXPECT_EQ(client->buffered(), 0u);
  EXPECT_EQ(client->receive(cutter, after(milliseconds(100))).outcome, Outcome::Silence);
}

TEST(TransportUdpClient, Ipv6Echo) {
  UdpPeer echo("::1");
  if (!echo.ok()) {
    GTEST_SKIP() << "no IPv6 loopback here";
  }
  auto client = make_udp_client(address_of(echo.url()));
  ASSERT_EQ(client->open(after(milliseconds(1000))).outcome, Outcome::Answer);
  ASSERT_EQ(client->send(hex("00 01 07")).outcome, Outcome::Answer);
  echo.answer(echo.receive());
  LengthPrefixCutter cutter;
  EXPECT_EQ(client->receive(cutter, after(milliseconds(5000))).bytes, hex("00 01 07"));
}

}  // namespace
}  // namespace pc::transport::test
