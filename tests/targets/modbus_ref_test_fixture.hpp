// The fixture most pc-modbus-ref tests share: a fresh device process and one raw
// connection to it; on tear-down the device must shut down cleanly on SIGTERM with no
// sanitizer report, so every test also checks that its traffic broke nothing.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "raw_client.hpp"
#include "server_process.hpp"

namespace pc::targets_test {

// "ABC" -> "41 42 43".
inline std::string ascii_hex(std::string_view text) {
  return to_hex(std::vector<std::uint8_t>(text.begin(), text.end()));
}

// " BB BB ..." (`count` times), to append to a hex string.
inline std::string repeat_hex(std::string_view byte, std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    text.append(" ").append(byte);
  }
  return text;
}

class ModbusRefFixture : public ::testing::Test {
 protected:
  explicit ModbusRefFixture(std::vector<std::string> args = {})
      : server(start_modbus_ref(args)), client(server.port()) {}
  void TearDown() override {
    std::string why;
    EXPECT_TRUE(server.clean_shutdown(why)) << why;
  }
  // Sends the PDU (hex) in an ADU with transaction `tid`, unit 1; returns the answer's hex.
  std::string ask(std::uint16_t tid, std::string_view pdu_hex) {
    return client.transact(adu_hex(tid, 1, pdu_hex));
  }
  // The expected answer ADU for transaction `tid`, unit 1.
  static std::string answer(std::uint16_t tid, std::string_view pdu_hex) {
    return adu_hex(tid, 1, pdu_hex);
  }

  ServerProcess server;
  RawClient client;
};

}  // namespace pc::targets_test
