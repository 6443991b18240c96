// parse_address(): the forms a user types, what gets pinned, and the loopback rule the
// engine's safety check relies on.
#include <gtest/gtest.h>

#include "core/transport/transport.hpp"

namespace pc::transport {
namespace {

Address parsed(const std::string& text) {
  Address address;
  std::string error;
  EXPECT_TRUE(parse_address(text, address, error)) << text << ": " << error;
  return address;
}

std::string failure(const std::string& text) {
  Address address;
  std::string error;
  EXPECT_FALSE(parse_address(text, address, error)) << text;
  return error;
}

TEST(TransportAddress, TcpUrlPinsTheNumericAddress) {
  const Address address = parsed("tcp://127.0.0.1:502");
  EXPECT_EQ(address.kind, Address::Kind::Tcp);
  EXPECT_EQ(address.host, "127.0.0.1");
  EXPECT_EQ(address.resolved, "127.0.0.1");
  EXPECT_EQ(address.port, 502);
  EXPECT_EQ(address.text(), "tcp://127.0.0.1:502");
}

TEST(TransportAddress, UdpUrl) {
  const Address address = parsed("udp://127.0.0.1:20000");
  EXPECT_EQ(address.kind, Address::Kind::Udp);
  EXPECT_EQ(address.port, 20000);
  EXPECT_EQ(address.text(), "udp://127.0.0.1:20000");
}

TEST(TransportAddress, BareHostPortMeansTcp) {
  const Address address = parsed("127.0.0.9:1502");
  EXPECT_EQ(address.kind, Address::Kind::Tcp);
  EXPECT_EQ(address.resolved, "127.0.0.9");
}

TEST(TransportAddress, BracketedIpv6) {
  const Address bare = parsed("[::1]:502");
  EXPECT_EQ(bare.host, "::1");
  EXPECT_EQ(bare.resolved, "::1");
  EXPECT_EQ(bare.text(), "tcp://[::1]:502");
  const Address udp = parsed("udp://[::1]:20000");
  EXPECT_EQ(udp.kind, Address::Kind::Udp);
  EXPECT_TRUE(udp.loopback());
}

TEST(TransportAddress, NameIsResolvedOnceToLoopback) {
  const Address address = parsed("tcp://localhost:502");
  EXPECT_EQ(address.host, "localhost");
  EXPECT_TRUE(address.resolved == "127.0.0.1" || address.resolved == "::1") << address.resolved;
  EXPECT_TRUE(address.loopback());
}

TEST(TransportAddress, PortZeroIsAllowed) {
  EXPECT_EQ(parsed("tcp://127.0.0.1:0").port, 0);
}

TEST(TransportAddress, LoopbackIsAllOf127And6Colon1) {
  EXPECT_TRUE(parsed("127.0.0.1:1").loopback());
  EXPECT_TRUE(parsed("127.255.3.4:1").loopback());
  EXPECT_TRUE(parsed("[::1]:1").loopback());
  EXPECT_TRUE(parsed("[::ffff:127.0.0.2]:1").loopback());
  EXPECT_FALSE(parsed("128.0.0.1:1").loopback());
  EXPECT_FALSE(parsed("10.0.0.1:1").loopback());
  EXPECT_FALSE(parsed("192.0.2.7:502").loopback());
  EXPECT_FALSE(parsed("[::2]:1").loopback());
  EXPECT_FALSE(parsed("[2001:db8::1]:502").loopback());
  EXPECT_FALSE(Address{}.loopback());
}

TEST(TransportAddress, ErrorsSayWhatIsWrong) {
  EXPECT_NE(failure("").find("missing :port"), std::string::npos);
  EXPECT_NE(failure("127.0.0.1").find("missing :port"), std::string::npos);
  EXPECT_NE(failure("http://127.0.0.1:80").find("unknown scheme 'http'"), std::string::npos);
  EXPECT_NE(failure("tcp://:502").find("missing host"), std::string::npos);
  EXPECT_NE(failure("tcp://127.0.0.1:65536").find("bad port"), std::string::npos);
  EXPECT_NE(failure("tcp://127.0.0.1:5o2").find("bad port"), std::string::npos);
  EXPECT_NE(failure("tcp://127.0.0.1:").find("bad port"), std::string::npos);
  EXPECT_NE(failure("::1:502").find("brackets"), std::string::npos);
  EXPECT_NE(failure("[::1]502").find("[IPv6]:port"), std::string::npos);
}

TEST(TransportAddress, FailureLeavesTheOutputUntouched) {
  Address address = parsed("tcp://127.0.0.1:502");
  std::string error;
  EXPECT_FALSE(parse_address("tcp://127.0.0.1:99999", address, error));
  EXPECT_EQ(address.port, 502);
}

TEST(TransportOutcome, NamesAreStable) {
  EXPECT_STREQ(to_string(Outcome::Answer), "answer");
  EXPECT_STREQ(to_string(Outcome::Unframed), "unframed");
  EXPECT_STREQ(to_string(Outcome::Silence), "silence");
  EXPECT_STREQ(to_string(Outcome::Closed), "closed");
  EXPECT_STREQ(to_string(Outcome::Reset), "reset");
  EXPECT_STREQ(to_string(Outcome::Refused), "refused");
  EXPECT_STREQ(to_string(Outcome::Error), "error");
}

}  // namespace
}  // namespace pc::transport
