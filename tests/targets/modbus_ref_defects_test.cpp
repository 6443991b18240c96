// Each seeded defect of pc-modbus-ref, switched on alone: its documented trigger
// produces the documented misbehaviour, and the same input with the defect off gets the
// correct answer (docs/targets.md, "Seeded defects").
#include <signal.h>

#include <thread>

#include "modbus_ref_test_fixture.hpp"

namespace pc::targets_test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The wait that decides "no answer": far above a normal answer's latency, which the
// tests measure first and compare against.
constexpr auto kSilence = 1500ms;

// The latency of one answered read on `client`, or nothing within `timeout`.
std::optional<Clock::duration> probe(RawClient& client, std::uint16_t tid,
                                     std::chrono::milliseconds timeout) {
  const auto start = Clock::now();
  const std::string reply = client.transact(adu_hex(tid, 1, "03 00 02 00 01"), timeout);
  if (reply.empty() || reply == "closed") {
    return std::nullopt;
  }
  return Clock::now() - start;
}

class DefectFixture : public ModbusRefFixture {
 protected:
  explicit DefectFixture(std::vector<std::string> args) : ModbusRefFixture(std::move(args)) {}
};

#define DEFECT_FIXTURE(Name, ...)            \
  class Name : public DefectFixture {        \
   protected:                                \
    Name() : DefectFixture({__VA_ARGS__}) {} \
  }

DEFECT_FIXTURE(TargetsDefectHoldingOverread, "--defect", "holding-overread");
DEFECT_FIXTURE(TargetsDefectReadCoilsQuantity, "--defect", "read-coils-quantity");
DEFECT_FIXTURE(TargetsDefectListenOnlyReads, "--defect", "listen-only-reads");
DEFECT_FIXTURE(TargetsDefectOffByOne, "--defect", "write-register-off-by-one", "--defect",
               "holding-overread");
DEFECT_FIXTURE(TargetsDefectRestartBlock, "--defect", "restart-option-block", "--hang-ms", "3000");
DEFECT_FIXTURE(TargetsDefectSessionLeak, "--defect", "session-slot-leak", "--max-connections", "4");
DEFECT_FIXTURE(TargetsDefectsOff, "--max-connections", "4", "--hang-ms", "3000");

// --- memory-disclosure ---------------------------------------------------------------

TEST_F(TargetsDefectHoldingOverread, ReadPastTheTableLeaksTheSessionKey) {
  const std::string reply = ask(1, "03 03 e4 00 0a");  // 996 + 10 > 1000
  // 4 registers of the table, then 6 words of the maintenance block: "PCREF-SESSIO".
  EXPECT_EQ(reply, answer(1, "03 14 00 00 00 00 00 00 00 00 " + ascii_hex("PCREF-SESSIO")));
  EXPECT_EQ(ask(2, "03 03 e8 00 01"), answer(2, "83 02"));  // a start past the end: refused
}

TEST_F(TargetsDefectsOff, ReadPastTheTableIsIllegalAddress) {
  EXPECT_EQ(ask(1, "03 03 e4 00 0a"), answer(1, "83 02"));
}

// --- crash ---------------------------------------------------------------------------

TEST(TargetsDefectWriteMultipleOverflow, QuantityAboveTheLimitOverflowsTheStack) {
  ServerProcess server = start_modbus_ref({"--defect", "write-multiple-overflow"});
  RawClient client(server.port());
  // A valid two-register write with only the quantity changed to 124.
  const std::string reply = client.transact(adu_hex(1, 1, "10 00 00 00 7c 04 00 01 00 02"));
  EXPECT_TRUE(reply.empty() || reply == "closed") << reply;
  const auto status = server.wait_exit(30s);
  ASSERT_TRUE(status) << "the process must die";
  EXPECT_TRUE(status->signaled || status->code != 0);
  const std::string err = server.stderr_text();
  EXPECT_NE(err.find("AddressSanitizer: stack-buffer-overflow"), std::string::npos) << err;
}

TEST_F(TargetsDefectsOff, QuantityAboveTheLimitIsIllegalValue) {
  EXPECT_EQ(ask(1, "10 00 00 00 7c 04 00 01 00 02"), answer(1, "90 03"));
}

// --- needs-manual-reset --------------------------------------------------------------

TEST(TargetsDefectFifoCountSpin, FifoWithACountAbove31WedgesTheDeviceForGood) {
  ServerProcess server = start_modbus_ref({"--defect", "fifo-count-spin"});
  RawClient attacker(server.port());
  RawClient bystander(server.port());
  const auto baseline = probe(bystander, 1, 10s);
  ASSERT_TRUE(baseline);
  ASSERT_LT(*baseline, kSilence / 10) << "baseline too slow to tell silence apart";
  attacker.send_hex(adu_hex(2, 1, "18 00 02"));  // HR 2 holds the setpoint, 500
  EXPECT_FALSE(probe(attacker, 3, kSilence)) << "no answer after the trigger";
  EXPECT_FALSE(probe(bystander, 4, kSilence)) << "nor for anyone else";
  // SIGTERM is not handled either: only SIGKILL ends it.
  server.send_signal(SIGTERM);
  EXPECT_FALSE(server.wait_exit(kSilence));
  EXPECT_TRUE(server.running());
  RawClient late(server.port());  // the kernel still accepts; the device never answers
  EXPECT_FALSE(probe(late, 5, kSilence));
  server.send_signal(SIGKILL);
  ASSERT_TRUE(server.wait_exit(10s));
}

TEST_F(TargetsDefectsOff, FifoWithACountAbove31IsIllegalValue) {
  EXPECT_EQ(ask(1, "18 00 02"), answer(1, "98 03"));
}

// --- hang ----------------------------------------------------------------------------

TEST_F(TargetsDefectRestartBlock, UnknownRestartOptionBlocksEveryoneThenRecovers) {
  RawClient bystander(server.port());
  const auto baseline = probe(bystander, 1, 10s);
  ASSERT_TRUE(baseline);
  client.send_hex(adu_hex(2, 1, "08 00 01 12 34"));
  std::this_thread::sleep_for(100ms);  // let the device take the trigger first
  const auto blocked = probe(bystander, 3, 30s);
  ASSERT_TRUE(blocked) << "the device must recover by itself";
  EXPECT_GT(*blocked, 10 * *baseline);
  EXPECT_GE(*blocked, 1000ms) << "--hang-ms 3000 minus the 100 ms head start, with slack";
  EXPECT_EQ(to_hex(client.read_adu(10s).value()), answer(2, "08 00 01 12 34"));
}

TEST_F(TargetsDefectsOff, UnknownRestartOptionIsIllegalValue) {
  RawClient bystander(server.port());
  EXPECT_EQ(ask(1, "08 00 01 12 34"), answer(1, "88 03"));
  EXPECT_TRUE(probe(bystander, 2, kSilence));
}

// --- resource-exhaustion -------------------------------------------------------------

// Opens a connection, gets an exception answer on it, and closes it.
void connect_fail_and_leave(std::uint16_t port) {
  RawClient peer(port);
  EXPECT_EQ(peer.transact(adu_hex(1, 1, "03 ff ff 00 01")), adu_hex(1, 1, "83 02"));
}

// True when a new connection is served (a few attempts: closes are asynchronous).
bool new_connection_served(std::uint16_t port, int attempts) {
  for (int i = 0; i < attempts; ++i) {
    RawClient peer(port);
    if (probe(peer, 9, 10s)) {
      return true;
    }
  }
  return false;
}

TEST_F(TargetsDefectSessionLeak, ConnectionsEndingAfterAnExceptionLeakTheirSlot) {
  for (int i = 0; i < 10; ++i) {  // clean connections do not leak
    RawClient peer(server.port());
    ASSERT_TRUE(probe(peer, 1, 10s));
  }
  // The fixture's connection holds one of the 4 slots; three failing peers leak the rest.
  for (int i = 0; i < 3; ++i) {
    connect_fail_and_leave(server.port());
  }
  EXPECT_FALSE(new_connection_served(server.port(), 5)) << "every new peer is refused";
  EXPECT_TRUE(probe(client, 2, 10s)) << "the connection that stayed open still works";
}

TEST_F(TargetsDefectsOff, ConnectionsEndingAfterAnExceptionFreeTheirSlot) {
  for (int i = 0; i < 3; ++i) {
    connect_fail_and_leave(server.port());
  }
  EXPECT_TRUE(new_connection_served(server.port(), 100));
}

// --- accepted-invalid ----------------------------------------------------------------

TEST_F(TargetsDefectReadCoilsQuantity, QuantityUpTo2040IsAnsweredNormally) {
  const std::string reply = ask(1, "01 00 00 07 d1");  // 2001 coils: 251 bytes
  EXPECT_EQ(reply.rfind(adu_hex(1, 1, "01 fb").substr(0, 12) + "00 fe 01 01 fb", 0), 0U) << reply;
  const std::string longest = ask(2, "01 00 00 07 f8");  // 2040 coils: 255 bytes
  EXPECT_EQ(longest.rfind("00 02 00 00 01 02 01 01 ff", 0), 0U) << longest;
  EXPECT_EQ(ask(3, "01 00 00 07 f9"), answer(3, "81 03"));  // 2041 still refused
  EXPECT_EQ(ask(4, "02 00 00 07 d1"), answer(4, "82 03"));  // discrete inputs unaffected
}

TEST_F(TargetsDefectsOff, ReadCoilsQuantity2001IsIllegalValue) {
  EXPECT_EQ(ask(1, "01 00 00 07 d1"), answer(1, "81 03"));
}

TEST_F(TargetsDefectOffByOne, WriteOnePastTheEndIsAcceptedAndCorruptsTheNeighbour) {
  EXPECT_EQ(ask(1, "06 03 e8 41 41"), answer(1, "06 03 e8 41 41"));
  EXPECT_EQ(ask(2, "06 03 e9 41 41"), answer(2, "86 02"));  // only the off-by-one
  EXPECT_EQ(ask(3, "03 03 e8 00 01"), answer(3, "83 02"));  // reads stay checked
  // Seen through holding-overread: the first key word "PC" is now "AA".
  EXPECT_EQ(ask(4, "03 03 e7 00 03"), answer(4, "03 06 00 00 41 41 " + ascii_hex("RE")));
}

TEST_F(TargetsDefectsOff, WriteOnePastTheEndIsIllegalAddress) {
  EXPECT_EQ(ask(1, "06 03 e8 41 41"), answer(1, "86 02"));
}

// --- state-violation -----------------------------------------------------------------

TEST_F(TargetsDefectListenOnlyReads, ReadsAreAnsweredInListenOnlyMode) {
  client.send_hex(adu_hex(1, 1, "08 00 04 00 00"));
  client.send_hex(adu_hex(2, 1, "06 00 07 00 63"));  // writes stay ignored
  EXPECT_EQ(ask(3, "03 00 07 00 01"), answer(3, "03 02 00 00"));
}

TEST_F(TargetsDefectsOff, ReadsAreIgnoredInListenOnlyMode) {
  client.send_hex(adu_hex(1, 1, "08 00 04 00 00"));
  client.send_hex(adu_hex(2, 1, "03 00 07 00 01"));
  client.send_hex(adu_hex(3, 1, "08 00 01 00 00"));
  EXPECT_EQ(ask(4, "03 00 07 00 01"), answer(4, "03 02 00 00"));  // the first answer
}

}  // namespace
}  // namespace pc::targets_test
