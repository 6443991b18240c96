// The simulated process of pc-modbus-ref moves as docs/targets.md says: values are
// checked against the documented formulas, written here again from the docs.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <set>
#include <thread>

#include "libmodbus_client.hpp"
#include "server_process.hpp"

namespace pc::targets_test {
namespace {

using namespace std::chrono_literals;

std::uint16_t documented_triangle(std::uint64_t s) {
  const std::uint64_t p = s % 200;
  return static_cast<std::uint16_t>(p <= 100 ? 10 * p : 10 * (200 - p));
}

std::uint16_t documented_sine(std::uint64_t s) {
  const double k = static_cast<double>(s % 64);
  return static_cast<std::uint16_t>(std::lround(1000.0 + 1000.0 * std::sin(2.0 * M_PI * k / 64.0)));
}

class TargetsModbusRefProcess : public ::testing::Test {
 protected:
  ServerProcess server = start_modbus_ref({"--scan-ms", "2"});
  LibmodbusClient client{server.port()};
  modbus_t* ctx() const { return client.get(); }
  void TearDown() override {
    std::string why;
    EXPECT_TRUE(server.clean_shutdown(why)) << why;
  }
  // One consistent snapshot of input registers 0..4.
  std::array<std::uint16_t, 5> input_block() {
    std::array<std::uint16_t, 5> regs{};
    EXPECT_EQ(modbus_read_input_registers(ctx(), 0, 5, regs.data()), 5);
    return regs;
  }
  std::uint64_t scans() {
    const auto regs = input_block();
    return regs[0] + (std::uint64_t{regs[3]} << 16);
  }
};

TEST_F(TargetsModbusRefProcess, InputRegistersFollowTheScanCounterFormulas) {
  std::uint64_t previous = 0;
  int moves = 0;
  for (int i = 0; i < 40; ++i) {
    const auto regs = input_block();
    const std::uint64_t s = regs[0] + (std::uint64_t{regs[3]} << 16);
    EXPECT_EQ(regs[1], documented_triangle(s)) << "s=" << s;
    EXPECT_EQ(regs[2], documented_sine(s)) << "s=" << s;
    EXPECT_EQ(regs[4], 2) << "scan period";
    EXPECT_GE(s, previous);
    moves += s > previous ? 1 : 0;
    previous = s;
    std::this_thread::sleep_for(7ms);
  }
  EXPECT_GT(moves, 10) << "the scan counter should move between most reads";
}

TEST(TargetsModbusRefProcessBits, BitsAndSlowCounterFollowTheScanCounter) {
  ServerProcess server = start_modbus_ref({"--scan-ms", "5"});
  LibmodbusClient client(server.port());
  modbus_t* ctx = client.get();
  auto scans = [ctx] {
    std::array<std::uint16_t, 4> regs{};
    EXPECT_EQ(modbus_read_input_registers(ctx, 0, 4, regs.data()), 4);
    return regs[0] + (std::uint64_t{regs[3]} << 16);
  };
  int checked = 0;
  std::set<std::uint8_t> coil_values;
  for (int i = 0; i < 2000 && checked < 60; ++i) {
    // Bracket the reads between two reads of the scan counter; keep them when equal.
    const std::uint64_t before = scans();
    std::uint16_t slow = 0;
    std::array<std::uint8_t, 1> coil{};
    std::array<std::uint8_t, 2> inputs{};
    ASSERT_EQ(modbus_read_registers(ctx, 0, 1, &slow), 1);
    ASSERT_EQ(modbus_read_bits(ctx, 0, 1, coil.data()), 1);
    ASSERT_EQ(modbus_read_input_bits(ctx, 0, 2, inputs.data()), 2);
    if (scans() != before) {
      continue;
    }
    const std::uint64_t s = before;
    EXPECT_EQ(slow, (s / 10) & 0xFFFF);
    EXPECT_EQ(coil[0], (s / 50) % 2);
    EXPECT_EQ(inputs[0], (s / 50) % 2);
    EXPECT_EQ(inputs[1], documented_triangle(s) >= 500 ? 1 : 0);
    coil_values.insert(coil[0]);
    ++checked;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_GE(checked, 60);
  EXPECT_EQ(coil_values.size(), 2U) << "coil 0 seen in both states";
  std::string why;
  EXPECT_TRUE(server.clean_shutdown(why)) << why;
}

TEST_F(TargetsModbusRefProcess, RampOutputStepsTowardTheSetpoint) {
  std::uint16_t setpoint = 0;
  ASSERT_EQ(modbus_read_registers(ctx(), 2, 1, &setpoint), 1);
  EXPECT_EQ(setpoint, 500) << "documented initial setpoint";
  ASSERT_EQ(modbus_write_register(ctx(), 2, 40), 1);
  // Wait until the output reaches 40; between two reads it moves at most one unit per
  // scan that ran in between.
  std::uint16_t output = 0;
  std::uint64_t previous_before = scans();
  ASSERT_EQ(modbus_read_registers(ctx(), 1, 1, &output), 1);
  for (int i = 0; i < 4000 && output != 40; ++i) {
    const std::uint64_t before = scans();
    std::uint16_t now = 0;
    ASSERT_EQ(modbus_read_registers(ctx(), 1, 1, &now), 1);
    const std::uint64_t after = scans();
    const auto step = now > output ? now - output : output - now;
    EXPECT_LE(static_cast<std::uint64_t>(step), after - previous_before) << "ramp jumped";
    previous_before = before;
    output = now;
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_EQ(output, 40);
  ASSERT_EQ(modbus_write_register(ctx(), 2, 45), 1);
  for (int i = 0; i < 2000 && output != 45; ++i) {
    ASSERT_EQ(modbus_read_registers(ctx(), 1, 1, &output), 1);
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_EQ(output, 45);
}

}  // namespace
}  // namespace pc::targets_test
