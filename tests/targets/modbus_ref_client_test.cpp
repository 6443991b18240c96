// pc-modbus-ref through libmodbus's client API: every function code libmodbus can
// issue, with the values read back checked against what was written or documented.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <vector>

#include "libmodbus_client.hpp"
#include "server_process.hpp"

namespace pc::targets_test {
namespace {

class TargetsModbusRefClient : public ::testing::Test {
 protected:
  ServerProcess server = start_modbus_ref();
  LibmodbusClient client{server.port()};
  modbus_t* ctx() const { return client.get(); }
  void TearDown() override {
    std::string why;
    EXPECT_TRUE(server.clean_shutdown(why)) << why;
  }
};

TEST_F(TargetsModbusRefClient, WritesAndReadsCoilsAcrossByteBoundaries) {
  std::array<std::uint8_t, 19> written{};
  for (std::size_t i = 0; i < written.size(); ++i) {
    written[i] = (i % 3 == 1) ? 1 : 0;
  }
  ASSERT_EQ(modbus_write_bits(ctx(), 100, static_cast<int>(written.size()), written.data()), 19);
  std::array<std::uint8_t, 19> read{};
  ASSERT_EQ(modbus_read_bits(ctx(), 100, 19, read.data()), 19);
  EXPECT_EQ(read, written);
  ASSERT_EQ(modbus_write_bit(ctx(), 4095, 1), 1);
  std::uint8_t last = 0;
  ASSERT_EQ(modbus_read_bits(ctx(), 4095, 1, &last), 1);
  EXPECT_EQ(last, 1);
  std::vector<std::uint8_t> max_read(2000);
  EXPECT_EQ(modbus_read_bits(ctx(), 2000, 2000, max_read.data()), 2000);
}

TEST_F(TargetsModbusRefClient, ReadsTheDocumentedDiscreteInputPattern) {
  std::array<std::uint8_t, 40> bits{};
  ASSERT_EQ(modbus_read_input_bits(ctx(), 8, 40, bits.data()), 40);
  for (std::size_t i = 0; i < bits.size(); ++i) {
    EXPECT_EQ(bits[i], (8 + i) % 3 == 0 ? 1 : 0) << "discrete input " << 8 + i;
  }
}

TEST_F(TargetsModbusRefClient, WritesAndReadsHoldingRegisters) {
  const std::array<std::uint16_t, 123> values = [] {
    std::array<std::uint16_t, 123> v{};
    for (std::size_t i = 0; i < v.size(); ++i) {
      v[i] = static_cast<std::uint16_t>(0xA000 + i * 7);
    }
    return v;
  }();
  ASSERT_EQ(modbus_write_registers(ctx(), 800, 123, values.data()), 123);
  std::array<std::uint16_t, 123> read{};
  ASSERT_EQ(modbus_read_registers(ctx(), 800, 123, read.data()), 123);
  EXPECT_EQ(read, values);
  ASSERT_EQ(modbus_write_register(ctx(), 999, 0xBEEF), 1);
  std::uint16_t last = 0;
  ASSERT_EQ(modbus_read_registers(ctx(), 999, 1, &last), 1);
  EXPECT_EQ(last, 0xBEEF);
  std::array<std::uint16_t, 125> max_read{};
  EXPECT_EQ(modbus_read_registers(ctx(), 875, 125, max_read.data()), 125);
}

TEST_F(TargetsModbusRefClient, ReadsTheDocumentedInputRegisterPattern) {
  std::array<std::uint16_t, 125> regs{};
  ASSERT_EQ(modbus_read_input_registers(ctx(), 8, 125, regs.data()), 125);
  for (std::size_t i = 0; i < regs.size(); ++i) {
    EXPECT_EQ(regs[i], 8 + i);
  }
}

TEST_F(TargetsModbusRefClient, MaskWriteCombinesAndOrMasks) {
  ASSERT_EQ(modbus_write_register(ctx(), 10, 0x0012), 1);
  // Spec example: current 0x12, AND 0xF2, OR 0x25 -> 0x17.
  ASSERT_EQ(modbus_mask_write_register(ctx(), 10, 0x00F2, 0x0025), 1);
  std::uint16_t value = 0;
  ASSERT_EQ(modbus_read_registers(ctx(), 10, 1, &value), 1);
  EXPECT_EQ(value, 0x0017);
}

TEST_F(TargetsModbusRefClient, ReadWriteMultipleWritesBeforeReading) {
  const std::array<std::uint16_t, 3> written{0x1111, 0x2222, 0x3333};
  std::array<std::uint16_t, 4> read{};
  ASSERT_EQ(modbus_write_and_read_registers(ctx(), 21, 3, written.data(), 20, 4, read.data()), 4);
  EXPECT_EQ(read[0], 0);
  EXPECT_EQ(read[1], 0x1111);
  EXPECT_EQ(read[2], 0x2222);
  EXPECT_EQ(read[3], 0x3333);
}

TEST_F(TargetsModbusRefClient, ReportServerIdNamesTheDeviceAndRunState) {
  std::array<std::uint8_t, 64> id{};
  const int n = modbus_report_slave_id(ctx(), static_cast<int>(id.size()), id.data());
  ASSERT_GT(n, 6);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(id.data()), 5), "PCREF");
  EXPECT_EQ(id[5], 0xFF);  // run indicator ON
  EXPECT_EQ(
      std::string(reinterpret_cast<const char*>(id.data()) + 6, static_cast<std::size_t>(n - 6)),
      "ProtoCrawler modbus-ref 0.1.0");
}

TEST_F(TargetsModbusRefClient, ReadExceptionStatusMirrorsTheFirstEightCoils) {
  // Coil 0 belongs to the process (it toggles); coils 1..7 are ours.
  const std::array<std::uint8_t, 7> bits{1, 0, 1, 1, 0, 0, 1};
  ASSERT_EQ(modbus_write_bits(ctx(), 1, 7, bits.data()), 7);
  const std::array<std::uint8_t, 2> request{0xFF, 0x07};  // unit, function 07
  ASSERT_GT(modbus_send_raw_request(ctx(), request.data(), 2), 0);
  std::array<std::uint8_t, MODBUS_TCP_MAX_ADU_LENGTH> answer{};
  ASSERT_EQ(modbus_receive_confirmation(ctx(), answer.data()), 9);
  EXPECT_EQ(answer[7], 0x07);
  EXPECT_EQ(answer[8] & 0xFE, 0b1001101'0);
}

TEST_F(TargetsModbusRefClient, ExceptionsReachTheClientAsModbusErrors) {
  std::uint16_t value = 0;
  EXPECT_EQ(modbus_read_registers(ctx(), 1000, 1, &value), -1);
  EXPECT_EQ(errno, EMBXILADD);
  std::array<std::uint16_t, 126> too_many{};
  EXPECT_EQ(modbus_read_registers(ctx(), 0, 126, too_many.data()), -1);
  EXPECT_EQ(errno, EMBMDATA);  // libmodbus refuses to send more than 125 itself
}

}  // namespace
}  // namespace pc::targets_test
