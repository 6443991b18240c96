// pc-modbus-ref stream framing and MBAP rules (Messaging on TCP/IP V1.0b, 3.1.3): ADUs
// split over several sends, several ADUs in one send, protocol id other than 0 dropped,
// bad lengths closing the connection, unit ids.
#include <thread>

#include "modbus_ref_test_fixture.hpp"

namespace pc::targets_test {
namespace {

using namespace std::chrono_literals;
using TargetsModbusRefFraming = ModbusRefFixture;

TEST_F(TargetsModbusRefFraming, AnAduSplitIntoSingleBytesIsAnsweredOnce) {
  for (const auto byte : from_hex(adu_hex(7, 1, "03 00 02 00 01"))) {
    client.send(std::span(&byte, 1));
    std::this_thread::sleep_for(2ms);
  }
  const auto adu = client.read_adu(10s);
  ASSERT_TRUE(adu);
  EXPECT_EQ(to_hex(*adu), answer(7, "03 02 01 f4"));
}

TEST_F(TargetsModbusRefFraming, SeveralAdusInOneSendAreAnsweredInOrder) {
  client.send_hex(adu_hex(1, 1, "06 00 10 00 2a") + adu_hex(2, 1, "03 00 10 00 01") +
                  adu_hex(3, 1, "03 ff ff 00 01"));
  EXPECT_EQ(to_hex(client.read_adu(10s).value()), answer(1, "06 00 10 00 2a"));
  EXPECT_EQ(to_hex(client.read_adu(10s).value()), answer(2, "03 02 00 2a"));
  EXPECT_EQ(to_hex(client.read_adu(10s).value()), answer(3, "83 02"));
}

TEST_F(TargetsModbusRefFraming, AnAduSplitAcrossTwoSendsWithAnotherBefore) {
  const std::string both = adu_hex(1, 1, "03 00 02 00 01") + " " + adu_hex(2, 1, "04 00 08 00 02");
  const auto bytes = from_hex(both);
  client.send(std::span(bytes).first(15));  // first ADU and 3 bytes of the second
  std::this_thread::sleep_for(20ms);
  client.send(std::span(bytes).subspan(15));
  EXPECT_EQ(to_hex(client.read_adu(10s).value()), answer(1, "03 02 01 f4"));
  EXPECT_EQ(to_hex(client.read_adu(10s).value()), answer(2, "04 04 00 08 00 09"));
}

TEST_F(TargetsModbusRefFraming, PipelinedBatchIsAnsweredCompletelyAndInOrder) {
  std::string batch;
  for (std::uint16_t tid = 0; tid < 600; ++tid) {
    batch += adu_hex(tid, 1, "04 00 08 00 01") + " ";
  }
  client.send_hex(batch);
  for (std::uint16_t tid = 0; tid < 600; ++tid) {
    const auto adu = client.read_adu(10s);
    ASSERT_TRUE(adu) << "answer " << tid;
    EXPECT_EQ(to_hex(*adu), answer(tid, "04 02 00 08"));
  }
}

TEST_F(TargetsModbusRefFraming, NonZeroProtocolIdIsDroppedAndTheStreamGoesOn) {
  client.send_hex("00 01 00 01 00 06 01 03 00 00 00 01 " + adu_hex(2, 1, "03 00 02 00 01"));
  EXPECT_EQ(to_hex(client.read_adu(10s).value()), answer(2, "03 02 01 f4"));
}

TEST_F(TargetsModbusRefFraming, LengthOutsideTwoTo254ClosesTheConnection) {
  for (const char* header : {"00 01 00 00 00 00", "00 01 00 00 00 01 01", "00 01 00 00 00 ff 01 03",
                             "00 01 00 00 ff ff 01 03"}) {
    RawClient peer(server.port());
    peer.send_hex(header);
    EXPECT_TRUE(peer.wait_closed(10s)) << header;
  }
  EXPECT_EQ(ask(1, "03 00 02 00 01"), answer(1, "03 02 01 f4"));  // others unaffected
}

TEST_F(TargetsModbusRefFraming, MinimalAndMaximalLengthsAreFramed) {
  EXPECT_EQ(client.transact("00 01 00 00 00 02 01 03"), answer(1, "83 03"));
  // Length 254: the largest PDU (253 bytes) as an echo of Return Query Data.
  const std::string echo = "08 00 00" + repeat_hex("5a", 250);
  EXPECT_EQ(ask(2, echo), answer(2, echo));
}

TEST_F(TargetsModbusRefFraming, AnyUnitIdIsAnsweredAndEchoedByDefault) {
  for (const std::uint8_t unit : {0x00, 0x01, 0x11, 0xF7, 0xFF}) {
    EXPECT_EQ(client.transact(adu_hex(9, unit, "03 00 02 00 01")), adu_hex(9, unit, "03 02 01 f4"));
  }
}

class TargetsModbusRefSingleUnit : public ModbusRefFixture {
 protected:
  TargetsModbusRefSingleUnit() : ModbusRefFixture({"--unit-id", "17"}) {}
};

TEST_F(TargetsModbusRefSingleUnit, OtherUnitIdsAreIgnored) {
  client.send_hex(adu_hex(1, 1, "03 00 02 00 01"));
  client.send_hex(adu_hex(2, 0xFF, "06 00 05 00 07"));  // not executed either
  EXPECT_EQ(client.transact(adu_hex(3, 17, "03 00 05 00 01")), adu_hex(3, 17, "03 02 00 00"));
}

}  // namespace
}  // namespace pc::targets_test
