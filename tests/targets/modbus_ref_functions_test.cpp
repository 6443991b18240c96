// pc-modbus-ref function codes libmodbus's client cannot parse, over raw bytes:
// diagnostics (08), comm event counter and log (11, 12), file records (20, 21),
// FIFO queue (24), device identification (43/14), and Listen Only Mode.
#include "modbus_ref_test_fixture.hpp"

namespace pc::targets_test {
namespace {

using TargetsModbusRefFunctions = ModbusRefFixture;

TEST_F(TargetsModbusRefFunctions, DiagnosticsReturnQueryDataEchoesAnyData) {
  EXPECT_EQ(ask(1, "08 00 00 a5 37"), answer(1, "08 00 00 a5 37"));
  EXPECT_EQ(ask(2, "08 00 00 01 02 03 04 05 06"), answer(2, "08 00 00 01 02 03 04 05 06"));
}

TEST_F(TargetsModbusRefFunctions, DiagnosticCountersCountWhatHappened) {
  EXPECT_EQ(ask(1, "03 00 00 00 01"), answer(1, "03 02 00 00"));
  EXPECT_EQ(ask(2, "03 03 e8 00 01"), answer(2, "83 02"));
  client.send_hex("00 03 00 01 00 06 01 03 00 00 00 01");            // protocol id 1: dropped
  EXPECT_EQ(ask(4, "08 00 0b 00 00"), answer(4, "08 00 0b 00 04"));  // bus messages
  EXPECT_EQ(ask(5, "08 00 0c 00 00"), answer(5, "08 00 0c 00 01"));  // comm errors
  EXPECT_EQ(ask(6, "08 00 0d 00 00"), answer(6, "08 00 0d 00 01"));  // exceptions sent
  EXPECT_EQ(ask(7, "08 00 0e 00 00"), answer(7, "08 00 0e 00 06"));  // server messages
  for (const char* sub : {"0f", "10", "11", "12"}) {
    const std::string pdu = std::string("08 00 ") + sub + " 00 00";
    EXPECT_EQ(ask(8, pdu), answer(8, pdu)) << "counter " << sub << " stays zero";
  }
  EXPECT_EQ(ask(9, "08 00 02 00 00"), answer(9, "08 00 02 00 01"));    // exception flag
  EXPECT_EQ(ask(10, "08 00 0a 00 00"), answer(10, "08 00 0a 00 00"));  // clear
  EXPECT_EQ(ask(11, "08 00 0b 00 00"), answer(11, "08 00 0b 00 01"));
  EXPECT_EQ(ask(12, "08 00 02 00 00"), answer(12, "08 00 02 00 00"));
  EXPECT_EQ(ask(13, "08 00 14 00 00"), answer(13, "08 00 14 00 00"));
}

TEST_F(TargetsModbusRefFunctions, DiagnosticsRejectsUnknownSubFunctionsAndBadData) {
  EXPECT_EQ(ask(1, "08 00 03 00 00"), answer(1, "88 01"));  // ASCII delimiter: serial only
  EXPECT_EQ(ask(2, "08 00 13 00 00"), answer(2, "88 01"));
  EXPECT_EQ(ask(3, "08 ff ff 00 00"), answer(3, "88 01"));
  EXPECT_EQ(ask(4, "08 00 0b 00 01"), answer(4, "88 03"));     // counters need data 0000
  EXPECT_EQ(ask(5, "08 00 01 12 34"), answer(5, "88 03"));     // restart: 0000 or FF00
  EXPECT_EQ(ask(6, "08 00 02 00 00 00"), answer(6, "88 03"));  // one data word only
  EXPECT_EQ(ask(7, "08 00"), answer(7, "88 03"));
}

TEST_F(TargetsModbusRefFunctions, CommEventCounterCountsSuccessfulRequestsOnly) {
  EXPECT_EQ(ask(1, "0b"), answer(1, "0b 00 00 00 00"));
  EXPECT_EQ(ask(2, "06 00 05 12 34"), answer(2, "06 00 05 12 34"));
  EXPECT_EQ(ask(3, "05 00 05 ff 00"), answer(3, "05 00 05 ff 00"));
  EXPECT_EQ(ask(4, "06 03 e8 00 00"), answer(4, "86 02"));
  EXPECT_EQ(ask(5, "0b"), answer(5, "0b 00 00 00 02"));
  EXPECT_EQ(ask(6, "0b 00"), answer(6, "8b 03"));
}

TEST_F(TargetsModbusRefFunctions, CommEventLogListsEventsMostRecentFirst) {
  EXPECT_EQ(ask(1, "03 00 00 00 01"), answer(1, "03 02 00 00"));
  EXPECT_EQ(ask(2, "03 03 e8 00 01"), answer(2, "83 02"));
  // status 0, event count 1, message count 3, events: receive, send+exception,
  // receive, send, receive.
  EXPECT_EQ(ask(3, "0c"), answer(3, "0c 0b 00 00 00 01 00 03 80 41 80 40 80"));
}

TEST_F(TargetsModbusRefFunctions, ListenOnlyIgnoresEverythingUntilRestart) {
  client.send_hex(adu_hex(1, 1, "08 00 04 00 00"));  // force listen only: no answer
  client.send_hex(adu_hex(2, 1, "03 00 00 00 01"));  // ignored
  client.send_hex(adu_hex(3, 1, "06 00 07 00 63"));  // ignored, and not executed
  client.send_hex(adu_hex(4, 1, "08 00 01 00 00"));  // restart: leaves the mode silently
  // The first answer that arrives is for transaction 5: nothing before was answered.
  EXPECT_EQ(ask(5, "03 00 07 00 01"), answer(5, "03 02 00 00"));
  // Events since the restart kept the log: receive(12), restart, receive in listen
  // only x3, entered listen only, receive; counters were cleared by the restart.
  EXPECT_EQ(ask(6, "0c"), answer(6, "0c 0f 00 00 00 01 00 02 80 40 80 00 a0 a0 a0 04 80"));
}

TEST_F(TargetsModbusRefFunctions, RestartWithFF00ClearsTheEventLog) {
  EXPECT_EQ(ask(1, "03 00 00 00 01"), answer(1, "03 02 00 00"));
  EXPECT_EQ(ask(2, "08 00 01 ff 00"), answer(2, "08 00 01 ff 00"));
  EXPECT_EQ(ask(3, "0c"), answer(3, "0c 08 00 00 00 00 00 01 80 00"));
}

TEST_F(TargetsModbusRefFunctions, FileRecordsAreWrittenAndReadBack) {
  const std::string write =
      "15 16 06 00 01 00 02 00 03 11 11 22 22 33 33 06 00 04 27 0f 00 01 ab cd";
  EXPECT_EQ(ask(1, write), answer(1, write));
  EXPECT_EQ(ask(2, "14 0e 06 00 01 00 02 00 03 06 00 04 27 0f 00 01"),
            answer(2, "14 0c 07 06 11 11 22 22 33 33 03 06 ab cd"));
  EXPECT_EQ(ask(3, "14 07 06 00 02 00 00 00 02"), answer(3, "14 06 05 06 00 00 00 00"));
}

TEST_F(TargetsModbusRefFunctions, FileRecordChecksFollowTheSpec) {
  EXPECT_EQ(ask(1, "14 07 06 00 05 00 00 00 01"), answer(1, "94 02"));     // no file 5
  EXPECT_EQ(ask(2, "14 07 06 00 00 00 00 00 01"), answer(2, "94 02"));     // no file 0
  EXPECT_EQ(ask(3, "14 07 07 00 01 00 00 00 01"), answer(3, "94 02"));     // reference type
  EXPECT_EQ(ask(4, "14 07 06 00 01 27 10 00 01"), answer(4, "94 02"));     // record > 0x270F
  EXPECT_EQ(ask(5, "14 07 06 00 01 27 0f 00 02"), answer(5, "94 02"));     // past the end
  EXPECT_EQ(ask(6, "14 07 06 00 01 00 00 00 00"), answer(6, "94 02"));     // zero length
  EXPECT_EQ(ask(7, "14 06 06 00 01 00 00 00"), answer(7, "94 03"));        // byte count < 7
  EXPECT_EQ(ask(8, "14 08 06 00 01 00 00 00 01 00"), answer(8, "94 03"));  // not 7 x n
  EXPECT_EQ(ask(9, "14 07 06 00 01 00 00 00 7a"), answer(9, "94 03"));     // answer too long
  // 121 registers is the most one sub-request can return: 0xF4 bytes of response data.
  EXPECT_EQ(
      ask(10, "14 07 06 00 01 00 00 00 79").rfind("00 0a 00 00 00 f7 01 14 f4 f3 06 00 00", 0), 0U);
  EXPECT_EQ(ask(11, "15 09 06 00 01 00 00 00 01 00"), answer(11, "95 03"));  // data short
  EXPECT_EQ(ask(12, "15 09 06 00 09 00 00 00 01 12 34"), answer(12, "95 02"));
  EXPECT_EQ(ask(13, "15 08 06 00 01 00 00 00 01 12"), answer(13, "95 03"));  // count < 9
}

TEST_F(TargetsModbusRefFunctions, FifoQueueReturnsCountAndValues) {
  EXPECT_EQ(ask(1, "10 00 64 00 04 08 00 03 00 0a 00 0b 00 0c"), answer(1, "10 00 64 00 04"));
  EXPECT_EQ(ask(2, "18 00 64"), answer(2, "18 00 08 00 03 00 0a 00 0b 00 0c"));
  EXPECT_EQ(ask(3, "06 00 c8 00 20"), answer(3, "06 00 c8 00 20"));
  EXPECT_EQ(ask(3, "18 00 c8"), answer(3, "98 03"));           // a count of 32 is over the limit
  EXPECT_EQ(ask(4, "18 00 63"), answer(4, "18 00 02 00 00"));  // empty FIFO
  EXPECT_EQ(ask(5, "06 03 e7 00 01"), answer(5, "06 03 e7 00 01"));
  EXPECT_EQ(ask(6, "18 03 e7"), answer(6, "98 02"));  // its value would lie past the table
  EXPECT_EQ(ask(7, "18 03 e8"), answer(7, "98 02"));
  EXPECT_EQ(ask(8, "18 00 64 00"), answer(8, "98 03"));
}

TEST_F(TargetsModbusRefFunctions, DeviceIdentificationStreamsAndIndividualAccess) {
  const std::string basic = "00 0c " + ascii_hex("ProtoCrawler") + " 01 08 " +
                            ascii_hex("PC-MBREF") + " 02 04 " + ascii_hex("V0.1");
  EXPECT_EQ(ask(1, "2b 0e 01 00"), answer(1, "2b 0e 01 83 00 00 03 " + basic));
  // An object the category does not hold restarts the stream at object 0.
  EXPECT_EQ(ask(2, "2b 0e 01 05"), answer(2, "2b 0e 01 83 00 00 03 " + basic));
  EXPECT_EQ(ask(3, "2b 0e 02 05"),
            answer(3, "2b 0e 02 83 00 00 02 05 0a " + ascii_hex("modbus-ref") + " 06 11 " +
                          ascii_hex("simulated process")));
  EXPECT_EQ(ask(4, "2b 0e 03 81"),
            answer(4, "2b 0e 03 83 00 00 02 81 0a " + ascii_hex("build=asan") + " 82 0d " +
                          ascii_hex("site=loopback")));
  EXPECT_EQ(ask(5, "2b 0e 04 80"),
            answer(5, "2b 0e 04 83 00 00 01 80 11 " + ascii_hex("serial=PCREF-0001")));
  EXPECT_EQ(ask(6, "2b 0e 04 07"), answer(6, "ab 02"));  // no object 7
  EXPECT_EQ(ask(7, "2b 0e 05 00"), answer(7, "ab 03"));  // read device id code 5
  EXPECT_EQ(ask(8, "2b 0e 00 00"), answer(8, "ab 03"));
  EXPECT_EQ(ask(9, "2b 0d 01 00"), answer(9, "ab 01"));  // MEI type 13 (CANopen)
  EXPECT_EQ(ask(10, "2b 0e 01"), answer(10, "ab 03"));
  // Extended stream from object 0: everything, all fitting in one PDU.
  const std::string all = ask(11, "2b 0e 03 00");
  EXPECT_EQ(all.rfind("00 0b 00 00 00 b6 01 2b 0e 03 83 00 00 0a 00 0c", 0), 0U) << all;
}

}  // namespace
}  // namespace pc::targets_test
