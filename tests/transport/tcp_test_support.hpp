// Shared pieces of the TCP tests: a parsed address, deadlines, and a client connected to
// a RawListener whose accepted side the test drives.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "core/transport/transport.hpp"
#include "raw_peer.hpp"

namespace pc::transport::test {

using std::chrono::milliseconds;

inline Address address_of(const std::string& url) {
  Address address;
  std::string error;
  if (!parse_address(url, address, error)) {
    ADD_FAILURE() << error;
  }
  return address;
}

inline Deadline after(milliseconds delay) {
  return Clock::now() + delay;
}

inline milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
}

inline size_t open_descriptors() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++count;
  }
  return count;
}

// A client connected to a raw peer on 127.0.0.1 (or the host given).
class TransportTcp : public ::testing::Test {
 protected:
  void connect(TcpOptions options = {}, const std::string& host = "127.0.0.1") {
    listener_ = std::make_unique<RawListener>(host);
    client_ = make_tcp_client(address_of(listener_->url()), std::move(options));
    const Received opened = client_->open(after(milliseconds(5000)));
    ASSERT_EQ(opened.outcome, Outcome::Answer) << opened.error;
    peer_ = listener_->accept();
    ASSERT_TRUE(peer_.valid());
  }
  void SetUp() override { connect(); }

  std::unique_ptr<RawListener> listener_;
  std::unique_ptr<Transport> client_;
  RawConnection peer_;
};

}  // namespace pc::transport::test
