// pc-modbus-ref exception responses (MODBUS Application Protocol V1.1b3, section 7 and
// the per-function state diagrams): the right code for each broken rule, in the spec's
// order (quantity/structure: 3, then address: 2), and nothing executed on an exception.
#include "modbus_ref_test_fixture.hpp"

namespace pc::targets_test {
namespace {

using TargetsModbusRefExceptions = ModbusRefFixture;

TEST_F(TargetsModbusRefExceptions, UnknownFunctionCodesGetIllegalFunction) {
  EXPECT_EQ(ask(1, "00"), answer(1, "80 01"));
  EXPECT_EQ(ask(2, "09 00 00"), answer(2, "89 01"));
  EXPECT_EQ(ask(3, "41"), answer(3, "c1 01"));
  EXPECT_EQ(ask(4, "80 00 00 00 01"), answer(4, "80 01"));
  EXPECT_EQ(ask(5, "ff"), answer(5, "ff 01"));
}

TEST_F(TargetsModbusRefExceptions, ReadBitsChecksQuantityThenAddress) {
  EXPECT_EQ(ask(1, "01 00 00 00 00"), answer(1, "81 03"));
  EXPECT_EQ(ask(2, "01 00 00 07 d1"), answer(2, "81 03"));  // 2001
  EXPECT_EQ(ask(3, "01 0f ff 00 02"), answer(3, "81 02"));  // 4095 + 2 > 4096
  EXPECT_EQ(ask(4, "01 ff ff 00 01"), answer(4, "81 02"));
  EXPECT_EQ(ask(5, "01 ff ff 07 d1"), answer(5, "81 03"));     // quantity checked first
  EXPECT_EQ(ask(6, "01 00 00 00"), answer(6, "81 03"));        // PDU too short
  EXPECT_EQ(ask(7, "01 00 00 00 01 00"), answer(7, "81 03"));  // PDU too long
  EXPECT_EQ(ask(8, "02 00 00 07 d1"), answer(8, "82 03"));
  EXPECT_EQ(ask(9, "02 10 00 00 01"), answer(9, "82 02"));
}

TEST_F(TargetsModbusRefExceptions, ReadRegistersChecksQuantityThenAddress) {
  EXPECT_EQ(ask(1, "03 00 00 00 00"), answer(1, "83 03"));
  EXPECT_EQ(ask(2, "03 00 00 00 7e"), answer(2, "83 03"));  // 126
  EXPECT_EQ(ask(3, "03 03 e7 00 02"), answer(3, "83 02"));  // 999 + 2 > 1000
  EXPECT_EQ(ask(4, "03 03 e8 00 01"), answer(4, "83 02"));
  EXPECT_EQ(ask(5, "04 00 00 00 7e"), answer(5, "84 03"));
  EXPECT_EQ(ask(6, "04 03 84 00 65"), answer(6, "84 02"));  // 900 + 101 > 1000
  EXPECT_EQ(ask(7, "04 00 00"), answer(7, "84 03"));
}

TEST_F(TargetsModbusRefExceptions, WriteSingleCoilAcceptsOnlyFF00AndZero) {
  EXPECT_EQ(ask(1, "05 00 01 00 01"), answer(1, "85 03"));
  EXPECT_EQ(ask(2, "05 00 01 ff ff"), answer(2, "85 03"));
  EXPECT_EQ(ask(3, "05 00 01 00 ff"), answer(3, "85 03"));
  EXPECT_EQ(ask(4, "05 10 00 ff 00"), answer(4, "85 02"));  // 4096: past the table
  EXPECT_EQ(ask(5, "05 10 00 12 34"), answer(5, "85 03"));  // value checked first
  EXPECT_EQ(ask(6, "05 00 01 ff 00"), answer(6, "05 00 01 ff 00"));
  EXPECT_EQ(ask(7, "01 00 01 00 01"), answer(7, "01 01 01"));
}

TEST_F(TargetsModbusRefExceptions, WriteSingleRegisterChecksAddressAndLength) {
  EXPECT_EQ(ask(1, "06 03 e8 00 01"), answer(1, "86 02"));
  EXPECT_EQ(ask(2, "06 ff ff 00 01"), answer(2, "86 02"));
  EXPECT_EQ(ask(3, "06 00 01 00"), answer(3, "86 03"));
  EXPECT_EQ(ask(4, "06 03 e7 ff ff"), answer(4, "06 03 e7 ff ff"));
}

TEST_F(TargetsModbusRefExceptions, WriteMultipleCoilsChecksCountsAndByteCount) {
  EXPECT_EQ(ask(1, "0f 00 00 00 00 00"), answer(1, "8f 03"));
  EXPECT_EQ(ask(2, "0f 00 00 07 b1 f7" + repeat_hex("00", 247)), answer(2, "8f 03"));  // 1969
  EXPECT_EQ(ask(2, "0f 00 00 07 b0 f6" + repeat_hex("00", 246)), answer(2, "0f 00 00 07 b0"));
  EXPECT_EQ(ask(3, "0f 00 00 00 09 01 ff"), answer(3, "8f 03"));  // 9 coils need 2 bytes
  EXPECT_EQ(ask(4, "0f 00 00 00 09 02 ff"), answer(4, "8f 03"));  // one data byte missing
  EXPECT_EQ(ask(5, "0f 0f fa 00 08 01 ff"), answer(5, "8f 02"));  // 4090 + 8 > 4096
  EXPECT_EQ(ask(6, "0f 00 10 00 09 02 ff 01"), answer(6, "0f 00 10 00 09"));
  EXPECT_EQ(ask(7, "01 00 10 00 0a"), answer(7, "01 02 ff 01"));
}

TEST_F(TargetsModbusRefExceptions, WriteMultipleRegistersChecksCountsAndByteCount) {
  EXPECT_EQ(ask(1, "10 00 00 00 00 00"), answer(1, "90 03"));
  EXPECT_EQ(ask(2, "10 00 00 00 7c 02 00 01"), answer(2, "90 03"));  // 124 registers
  EXPECT_EQ(ask(3, "10 00 00 00 02 02 00 01"), answer(3, "90 03"));  // byte count != 4
  EXPECT_EQ(ask(4, "10 00 00 00 02 04 00 01"), answer(4, "90 03"));  // data short
  EXPECT_EQ(ask(5, "10 03 e7 00 02 04 00 01 00 02"), answer(5, "90 02"));
  EXPECT_EQ(ask(6, "03 03 e7 00 01"), answer(6, "03 02 00 00"));  // nothing written
}

TEST_F(TargetsModbusRefExceptions, MaskWriteAndReadWriteMultipleChecks) {
  EXPECT_EQ(ask(1, "16 03 e8 ff ff 00 00"), answer(1, "96 02"));
  EXPECT_EQ(ask(2, "16 00 01 ff ff 00"), answer(2, "96 03"));
  EXPECT_EQ(ask(3, "17 00 00 00 00 00 10 00 01 02 00 01"), answer(3, "97 03"));  // read 0
  EXPECT_EQ(ask(4, "17 00 00 00 7e 00 10 00 01 02 00 01"), answer(4, "97 03"));  // read 126
  EXPECT_EQ(ask(5, "17 00 00 00 01 00 10 00 7a f4"), answer(5, "97 03"));        // write 122
  EXPECT_EQ(ask(6, "17 00 00 00 01 00 10 00 01 04 00 01"), answer(6, "97 03"));
  EXPECT_EQ(ask(7, "17 03 e8 00 01 00 10 00 01 02 00 01"), answer(7, "97 02"));
  EXPECT_EQ(ask(8, "17 00 10 00 01 03 e8 00 01 02 00 01"), answer(8, "97 02"));
  EXPECT_EQ(ask(9, "03 00 10 00 01"), answer(9, "03 02 00 00"));  // no partial write
}

TEST_F(TargetsModbusRefExceptions, FixedLengthRequestsRejectExtraBytes) {
  EXPECT_EQ(ask(1, "07 00"), answer(1, "87 03"));
  EXPECT_EQ(ask(2, "0b 00"), answer(2, "8b 03"));
  EXPECT_EQ(ask(3, "0c 00"), answer(3, "8c 03"));
  EXPECT_EQ(ask(4, "11 00"), answer(4, "91 03"));
  EXPECT_EQ(ask(5, "18"), answer(5, "98 03"));
}

TEST_F(TargetsModbusRefExceptions, ExceptionsLeaveTheConnectionUsable) {
  for (std::uint16_t tid = 1; tid <= 20; ++tid) {
    EXPECT_EQ(ask(tid, "03 ff ff 00 01"), answer(tid, "83 02"));
  }
  EXPECT_EQ(ask(21, "03 00 05 00 01"), answer(21, "03 02 00 00"));
}

}  // namespace
}  // namespace pc::targets_test
