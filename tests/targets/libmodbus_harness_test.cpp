// pc-libmodbus-server: libmodbus's own server answers libmodbus's client, and the
// behaviours docs/targets.md records for it (sleep-then-flush on some exceptions, no
// answer to 07, closing on a stalled partial frame) are pinned here.
#include <gtest/gtest.h>

#include <array>
#include <thread>

#include "libmodbus_client.hpp"
#include "raw_client.hpp"
#include "server_process.hpp"

namespace pc::targets_test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class TargetsLibmodbusHarness : public ::testing::Test {
 protected:
  ServerProcess server = ServerProcess::start(libmodbus_server_program(),
                                              {"--port", "0", "--response-timeout-us", "300000"});
  void TearDown() override {
    std::string why;
    EXPECT_TRUE(server.clean_shutdown(why)) << why;
  }
};

TEST_F(TargetsLibmodbusHarness, ServesEveryFunctionLibmodbusImplements) {
  LibmodbusClient client(server.port());
  modbus_t* ctx = client.get();
  const std::array<std::uint8_t, 10> bits{1, 0, 1, 1, 0, 0, 0, 1, 1, 0};
  ASSERT_EQ(modbus_write_bits(ctx, 990, 10, bits.data()), 10);
  std::array<std::uint8_t, 10> read_bits{};
  ASSERT_EQ(modbus_read_bits(ctx, 990, 10, read_bits.data()), 10);
  EXPECT_EQ(read_bits, bits);
  ASSERT_EQ(modbus_write_bit(ctx, 0, 1), 1);
  std::uint8_t bit = 0;
  ASSERT_EQ(modbus_read_bits(ctx, 0, 1, &bit), 1);
  EXPECT_EQ(bit, 1);
  std::array<std::uint8_t, 12> inputs{};
  ASSERT_EQ(modbus_read_input_bits(ctx, 0, 12, inputs.data()), 12);
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    EXPECT_EQ(inputs[k], k % 3 == 0 ? 1 : 0);
  }
  const std::array<std::uint16_t, 4> regs{1, 2, 0xFFFF, 0x8000};
  ASSERT_EQ(modbus_write_registers(ctx, 996, 4, regs.data()), 4);
  ASSERT_EQ(modbus_write_register(ctx, 5, 0x0012), 1);
  ASSERT_EQ(modbus_mask_write_register(ctx, 5, 0x00F2, 0x0025), 1);
  std::array<std::uint16_t, 2> rw{};
  const std::array<std::uint16_t, 1> one{0x4242};
  ASSERT_EQ(modbus_write_and_read_registers(ctx, 6, 1, one.data(), 5, 2, rw.data()), 2);
  EXPECT_EQ(rw[0], 0x0017);
  EXPECT_EQ(rw[1], 0x4242);
  std::array<std::uint16_t, 4> back{};
  ASSERT_EQ(modbus_read_registers(ctx, 996, 4, back.data()), 4);
  EXPECT_EQ(back, regs);
  std::array<std::uint16_t, 3> ir{};
  ASSERT_EQ(modbus_read_input_registers(ctx, 997, 3, ir.data()), 3);
  EXPECT_EQ(ir[0], 997);
  EXPECT_EQ(ir[2], 999);
  std::array<std::uint8_t, 64> id{};
  ASSERT_GT(modbus_report_slave_id(ctx, static_cast<int>(id.size()), id.data()), 2);
  EXPECT_EQ(id[1], 0xFF);  // run indicator
}

TEST_F(TargetsLibmodbusHarness, BadAddressIsAnsweredAtOnce) {
  RawClient client(server.port());
  EXPECT_EQ(client.transact(adu_hex(1, 1, "03 03 e7 00 02")), adu_hex(1, 1, "83 02"));
}

TEST_F(TargetsLibmodbusHarness, BadQuantitySleepsTheResponseTimeoutAndFlushesTheInput) {
  RawClient client(server.port());
  const auto start = Clock::now();
  EXPECT_EQ(client.transact(adu_hex(1, 1, "03 00 00 00 01")), adu_hex(1, 1, "03 02 00 00"));
  const auto baseline = Clock::now() - start;
  // A bad quantity and a valid request in one send: the valid one is flushed unanswered.
  client.send_hex(adu_hex(2, 1, "03 00 00 00 7e") + adu_hex(3, 1, "03 00 00 00 01"));
  const auto sent = Clock::now();
  const auto first = client.read_adu(10s);
  const auto waited = Clock::now() - sent;
  ASSERT_TRUE(first);
  EXPECT_EQ(to_hex(*first), adu_hex(2, 1, "83 03"));
  EXPECT_GE(waited, 250ms) << "--response-timeout-us 300000";
  EXPECT_GT(waited, 10 * baseline);
  EXPECT_EQ(client.transact(adu_hex(4, 1, "03 00 00 00 01")), adu_hex(4, 1, "03 02 00 00"))
      << "transaction 3 must never be answered";
}

TEST_F(TargetsLibmodbusHarness, UnsupportedFunctionsGetIllegalFunctionAfterTheSleep) {
  RawClient client(server.port());
  EXPECT_EQ(client.transact(adu_hex(1, 1, "08 00 00 12 34")), adu_hex(1, 1, "88 01"));
  EXPECT_EQ(client.transact(adu_hex(2, 1, "2b 0e 01 00")), adu_hex(2, 1, "ab 01"));
}

TEST_F(TargetsLibmodbusHarness, ReadExceptionStatusIsNeverAnswered) {
  RawClient client(server.port());
  client.send_hex(adu_hex(1, 1, "07"));
  EXPECT_EQ(client.transact(adu_hex(2, 1, "03 00 00 00 01")), adu_hex(2, 1, "03 02 00 00"));
}

TEST_F(TargetsLibmodbusHarness, AStalledPartialFrameClosesThatConnection) {
  RawClient slow(server.port());
  slow.send_hex("00 01 00 00 00 06 01 03 00");
  EXPECT_TRUE(slow.wait_closed(20s));
  RawClient other(server.port());
  EXPECT_EQ(other.transact(adu_hex(1, 1, "03 00 00 00 01")), adu_hex(1, 1, "03 02 00 00"));
}

TEST_F(TargetsLibmodbusHarness, ServesSeveralConnectionsInterleaved) {
  std::vector<RawClient> clients;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back(server.port());
  }
  for (std::size_t round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < clients.size(); ++i) {
      const auto tid = static_cast<std::uint16_t>(round * 100 + i);
      EXPECT_EQ(clients[i].transact(adu_hex(tid, 1, "04 00 07 00 01")),
                adu_hex(tid, 1, "04 02 00 07"));
    }
  }
}

}  // namespace
}  // namespace pc::targets_test
