// Opening TCP connections: refusals and timeouts (the target's doing) apart from local
// failures (ours), source addresses over 127/8, IPv6, and no descriptor left behind.
#include <sys/resource.h>

#include "tcp_test_support.hpp"
#include "test_cutters.hpp"

namespace pc::transport::test {
namespace {

TEST(TransportTcpClient, NotConnectedIsAnError) {
  auto client = make_tcp_client(address_of("tcp://127.0.0.1:9"));
  LengthPrefixCutter cutter;
  EXPECT_EQ(client->send(hex("00")).outcome, Outcome::Error);
  EXPECT_EQ(client->receive(cutter, after(milliseconds(10))).outcome, Outcome::Error);
  EXPECT_FALSE(client->is_open());
}

TEST(TransportTcpClient, NothingListeningIsRefused) {
  auto client = make_tcp_client(address_of("tcp://127.0.0.1:" + std::to_string(closed_port())));
  const Received refused = client->open(after(milliseconds(5000)));
  EXPECT_EQ(refused.outcome, Outcome::Refused);
  EXPECT_NE(refused.error.find("refused"), std::string::npos) << refused.error;
  EXPECT_FALSE(client->is_open());
}

TEST(TransportTcpClient, ConnectTimeoutIsRefusedWithTheReason) {
  // A listener that never accepts, with a backlog of 0: once its queue is full the
  // kernel drops further SYNs, and connecting hangs.
  RawListener full("127.0.0.1", 0);
  TcpOptions options;
  options.connect_timeout = milliseconds(300);
  std::vector<std::unique_ptr<Transport>> clients;
  Received refused;
  milliseconds waited{0};
  for (int i = 0; i < 8 && refused.outcome != Outcome::Refused; ++i) {
    clients.push_back(make_tcp_client(address_of(full.url()), options));
    const auto start = Clock::now();
    refused = clients.back()->open(after(milliseconds(10000)));
    waited = since(start);
  }
  ASSERT_EQ(refused.outcome, Outcome::Refused);
  EXPECT_NE(refused.error.find("timed out"), std::string::npos) << refused.error;
  EXPECT_GE(waited, milliseconds(300));
  EXPECT_LT(waited, milliseconds(300 + 5000));
}

TEST(TransportTcpClient, OpenKeepsToTheCallersDeadline) {
  RawListener full("127.0.0.1", 0);
  TcpOptions options;
  options.connect_timeout = milliseconds(60000);
  std::vector<std::unique_ptr<Transport>> clients;
  Received result;
  milliseconds waited{0};
  for (int i = 0; i < 8 && result.outcome != Outcome::Refused; ++i) {
    clients.push_back(make_tcp_client(address_of(full.url()), options));
    const auto start = Clock::now();
    result = clients.back()->open(after(milliseconds(300)));
    waited = since(start);
  }
  ASSERT_EQ(result.outcome, Outcome::Refused);
  EXPECT_LT(waited, milliseconds(300 + 5000));
}

TEST(TransportTcpClient, SourceAddressSpreadsOverLoopback) {
  RawListener listener;
  for (const std::string source : {"127.0.0.2", "127.0.0.3"}) {
    TcpOptions options;
    options.source_address = source;
    auto client = make_tcp_client(address_of(listener.url()), options);
    ASSERT_EQ(client->open(after(milliseconds(5000))).outcome, Outcome::Answer);
    RawConnection peer = listener.accept();
    ASSERT_TRUE(peer.valid());
    EXPECT_EQ(peer.peer().substr(0, source.size() + 1), source + ":");
    EXPECT_EQ(client->local_address(), peer.peer());
  }
}

TEST(TransportTcpClient, SourceAddressNotOnThisMachineIsAHarnessError) {
  RawListener listener;
  TcpOptions options;
  options.source_address = "192.0.2.1";  // TEST-NET-1: bind fails locally, nothing is sent
  auto client = make_tcp_client(address_of(listener.url()), options);
  const Received error = client->open(after(milliseconds(5000)));
  EXPECT_EQ(error.outcome, Outcome::Error);
  EXPECT_NE(error.error.find("bind 192.0.2.1"), std::string::npos) << error.error;

  options.source_address = "::1";
  auto wrong_family = make_tcp_client(address_of(listener.url()), options);
  EXPECT_EQ(wrong_family->open(after(milliseconds(5000))).outcome, Outcome::Error);
  options.source_address = "not-an-address";
  auto garbage = make_tcp_client(address_of(listener.url()), options);
  EXPECT_EQ(garbage->open(after(milliseconds(5000))).outcome, Outcome::Error);
}

TEST(TransportTcpClient, OutOfDescriptorsIsAHarnessError) {
  RawListener listener;
  auto client = make_tcp_client(address_of(listener.url()));
  // A first connection before the descriptors run out (the sanitizers' type checks need
  // a descriptor of their own the first time they see a type).
  ASSERT_EQ(client->open(after(milliseconds(5000))).outcome, Outcome::Answer);
  client->close();
  rlimit original{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &original), 0);
  std::vector<int> fillers;
  rlimit low = original;
  low.rlim_cur = 64;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  for (int fd = ::dup(0); fd >= 0; fd = ::dup(0)) {
    fillers.push_back(fd);
  }
  const Received error = client->open(after(milliseconds(5000)));
  for (const int fd : fillers) {
    ::close(fd);
  }
  ::setrlimit(RLIMIT_NOFILE, &original);
  EXPECT_EQ(error.outcome, Outcome::Error);
  EXPECT_NE(error.error.find("socket"), std::string::npos) << error.error;
}

TEST(TransportTcpClient, Ipv6Loopback) {
  std::unique_ptr<RawListener> listener;
  try {
    listener = std::make_unique<RawListener>("::1");
  } catch (const std::exception& e) {
    GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
  }
  auto client = make_tcp_client(address_of(listener->url()));
  ASSERT_EQ(client->open(after(milliseconds(5000))).outcome, Outcome::Answer);
  RawConnection peer = listener->accept();
  ASSERT_TRUE(peer.valid());
  EXPECT_EQ(client->peer_address(), "[::1]:" + std::to_string(listener->port()));
  peer.send(hex("00 01 66"));
  LengthPrefixCutter cutter;
  EXPECT_EQ(client->receive(cutter, after(milliseconds(5000))).bytes, hex("00 01 66"));
}

TEST(TransportTcpClient, NoDescriptorLeaks) {
  RawListener listener;
  const size_t before = open_descriptors();
  for (int i = 0; i < 20; ++i) {
    auto client = make_tcp_client(address_of(listener.url()));
    ASSERT_EQ(client->open(after(milliseconds(5000))).outcome, Outcome::Answer);
    RawConnection peer = listener.accept();
    client->open(after(milliseconds(5000)));  // reopening drops the first socket
    RawConnection second = listener.accept();
    auto refused = make_tcp_client(address_of("tcp://127.0.0.1:" + std::to_string(closed_port())));
    refused->open(after(milliseconds(5000)));
  }
  EXPECT_EQ(open_descriptors(), before);
}

}  // namespace
}  // namespace pc::transport::test
