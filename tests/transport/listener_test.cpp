// The TCP listener (the tool as a server): it listens from construction on, accepts one
// peer per open(), and then behaves like a client connection.
#include <thread>

#include "tcp_test_support.hpp"
#include "test_cutters.hpp"

namespace pc::transport::test {
namespace {

std::unique_ptr<Transport> listen_here() {
  return make_tcp_listener(address_of("tcp://127.0.0.1:0"));
}

std::string url_of(const Transport& listener) {
  return "tcp://" + listener.local_address();
}

TEST(TransportTcpListener, AcceptsAPeerAndTalksBothWays) {
  auto listener = listen_here();
  ASSERT_EQ(listener->local_address().rfind("127.0.0.1:", 0), 0u) << listener->local_address();
  auto client = make_tcp_client(address_of(url_of(*listener)));
  ASSERT_EQ(client->open(after(milliseconds(5000))).outcome, Outcome::Answer);
  const Received accepted = listener->open(after(milliseconds(5000)));
  ASSERT_EQ(accepted.outcome, Outcome::Answer) << accepted.error;
  EXPECT_TRUE(listener->is_open());
  EXPECT_EQ(listener->peer_address(), client->local_address());

  LengthPrefixCutter cutter;
  ASSERT_EQ(client->send(hex("00 02 01 02")).outcome, Outcome::Answer);
  const Received request = listener->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(request.outcome, Outcome::Answer);
  EXPECT_EQ(request.bytes, hex("00 02 01 02"));
  ASSERT_EQ(listener->send(hex("00 01 ff")).outcome, Outcome::Answer);
  EXPECT_EQ(client->receive(cutter, after(milliseconds(5000))).bytes, hex("00 01 ff"));

  client->close();
  EXPECT_EQ(listener->receive(cutter, after(milliseconds(5000))).outcome, Outcome::Closed);
}

TEST(TransportTcpListener, NoPeerByTheDeadlineIsSilence) {
  auto listener = listen_here();
  const auto start = Clock::now();
  const Received none = listener->open(after(milliseconds(300)));
  EXPECT_EQ(none.outcome, Outcome::Silence);
  EXPECT_GE(since(start), milliseconds(300));
  EXPECT_LT(since(start), milliseconds(300 + 3000));
  EXPECT_FALSE(listener->is_open());
}

TEST(TransportTcpListener, EachOpenAcceptsTheNextPeer) {
  auto listener = listen_here();
  auto first = make_tcp_client(address_of(url_of(*listener)));
  auto second = make_tcp_client(address_of(url_of(*listener)));
  ASSERT_EQ(first->open(after(milliseconds(5000))).outcome, Outcome::Answer);
  ASSERT_EQ(listener->open(after(milliseconds(5000))).outcome, Outcome::Answer);
  EXPECT_EQ(listener->peer_address(), first->local_address());
  ASSERT_EQ(second->open(after(milliseconds(5000))).outcome, Outcome::Answer);
  ASSERT_EQ(listener->open(after(milliseconds(5000))).outcome, Outcome::Answer);
  EXPECT_EQ(listener->peer_address(), second->local_address());

  LengthPrefixCutter cutter;
  // The first peer was let go when the listener took the second.
  EXPECT_EQ(first->receive(cutter, after(milliseconds(5000))).outcome, Outcome::Closed);
  ASSERT_EQ(listener->send(hex("00 01 02")).outcome, Outcome::Answer);
  EXPECT_EQ(second->receive(cutter, after(milliseconds(5000))).bytes, hex("00 01 02"));
}

TEST(TransportTcpListener, PeerResetIsReset) {
  auto listener = listen_here();
  const std::string local = listener->local_address();
  RawConnection client = raw_connect(
      "127.0.0.1", static_cast<uint16_t>(std::stoi(local.substr(local.rfind(':') + 1))));
  ASSERT_TRUE(client.valid());
  ASSERT_EQ(listener->open(after(milliseconds(5000))).outcome, Outcome::Answer);
  client.send(hex("00 05 01"));
  client.close_with_reset();
  LengthPrefixCutter cutter;
  const Received reset = listener->receive(cutter, after(milliseconds(5000)));
  EXPECT_EQ(reset.outcome, Outcome::Reset);
  EXPECT_FALSE(listener->is_open());
}

TEST(TransportTcpListener, PortInUseIsAnErrorOnOpen) {
  RawListener taken;
  auto listener = make_tcp_listener(address_of(taken.url()));
  EXPECT_EQ(listener->local_address(), "");
  const Received error = listener->open(after(milliseconds(1000)));
  EXPECT_EQ(error.outcome, Outcome::Error);
  EXPECT_NE(error.error.find("listen on"), std::string::npos) << error.error;
}

TEST(TransportTcpListener, Ipv6) {
  Address local;
  std::string error;
  ASSERT_TRUE(parse_address("tcp://[::1]:0", local, error)) << error;
  auto listener = make_tcp_listener(local);
  if (listener->local_address().empty()) {
    GTEST_SKIP() << "no IPv6 loopback here";
  }
  EXPECT_EQ(listener->local_address().rfind("[::1]:", 0), 0u);
  auto client = make_tcp_client(address_of(url_of(*listener)));
  ASSERT_EQ(client->open(after(milliseconds(5000))).outcome, Outcome::Answer);
  ASSERT_EQ(listener->open(after(milliseconds(5000))).outcome, Outcome::Answer);
}

}  // namespace
}  // namespace pc::transport::test
