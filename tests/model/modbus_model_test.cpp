#include <gtest/gtest.h>

#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/printer.hpp"
#include "core/model/rules.hpp"
#include "tests/model/test_util.hpp"

namespace pc::model::test {
namespace {

class ModbusModel : public ::testing::Test {
 protected:
  void SetUp() override {
    model = load_named("modbus-tcp");
    ASSERT_NE(model, nullptr);
  }
  std::shared_ptr<const Model> model;
};

TEST_F(ModbusModel, EveryMessageTypeBuildsEncodesAndDecodesBackToItself) {
  ASSERT_GE(model->messages.size(), 40u);
  for (MessageId id = 0; id < model->messages.size(); ++id) {
    Message m = build(*model, id);
    auto bytes = encode(m);
    Message back = decode(*model, model->messages[id].direction, bytes);
    EXPECT_EQ(back.type_name(), m.type_name()) << to_hex(bytes) << "\n" << format_tree(back);
    EXPECT_EQ(encode(back), bytes) << m.type_name();
  }
}

TEST_F(ModbusModel, DefaultRequestsBreakNoRule) {
  // a campaign starts every case from these: they must be valid, or every case tests two things
  for (MessageId id = 0; id < model->messages.size(); ++id) {
    if (model->messages[id].direction != Direction::Request) continue;
    std::string name = model->str(model->messages[id].name);
    if (name == "unassigned_function_request") continue;  // invalid by definition
    Message m = build(*model, id);
    Message back = decode(*model, Direction::Request, encode(m));
    EXPECT_TRUE(back.issues.empty()) << name << "\n" << format_tree(back);
  }
}

TEST_F(ModbusModel, ReadHoldingRegistersRequestDecodesWithFieldValues) {
  auto bytes = hex("00 01 00 00 00 06 ff 03 00 6b 00 03");
  Message m = decode(*model, Direction::Request, bytes);
  EXPECT_EQ(m.type_name(), "read_holding_registers_request");
  EXPECT_EQ(m.get("transaction_id"), 1);
  EXPECT_EQ(m.get("length"), 6);
  EXPECT_EQ(m.get("unit_id"), 0xFF);
  EXPECT_EQ(m.get("pdu.function_code"), 3);
  EXPECT_EQ(m.get("pdu.address"), 0x6B);
  EXPECT_EQ(m.get("pdu.quantity"), 3);
  EXPECT_TRUE(m.issues.empty()) << format_tree(m);
  EXPECT_EQ(encode(m), bytes);
}

TEST_F(ModbusModel, QuantityOutOfRangeIsABrokenMustRuleWithItsClause) {
  auto bytes = hex("00 01 00 00 00 06 ff 01 00 00 07 d1");  // read coils, quantity 2001
  Message m = decode(*model, Direction::Request, bytes);
  ASSERT_EQ(m.issues.size(), 1u);
  const Rule& r = model->rules[m.issues[0].rule];
  EXPECT_EQ(r.clause, "AP 6.1");
  EXPECT_EQ(r.strength, Strength::Must);
  EXPECT_EQ(reactions_text(*model, r), "exception(3)");
  EXPECT_EQ(m.issues[0].actual, 2001);
  EXPECT_EQ(encode(m), bytes);
}

TEST_F(ModbusModel, ExceptionResponseWithTrailingByteRoundTrips) {
  auto bytes = hex("00 05 00 00 00 04 01 81 05 00");  // MBAP length 4: one byte too many
  Message m = decode(*model, Direction::Response, bytes);
  EXPECT_EQ(m.type_name(), "exception_response");
  EXPECT_EQ(m.get("pdu.exception_code"), 5);
  ASSERT_FALSE(m.issues.empty());
  EXPECT_EQ(model->rules[m.issues[0].rule].id, "structure.trailing");
  EXPECT_EQ(encode(m), bytes);
}

TEST_F(ModbusModel, WriteMultipleRegistersQuantityEditMakesByteCountAndLengthFollow) {
  auto bytes = hex("00 0a 00 00 00 0b 01 10 00 01 00 02 04 00 0a 01 02");
  Message m = decode(*model, Direction::Request, bytes);
  ASSERT_EQ(m.type_name(), "write_multiple_registers_request");
  ASSERT_TRUE(m.issues.empty());
  ASSERT_TRUE(m.set("pdu.quantity", 5));
  auto out = encode(m);
  Message back = decode(*model, Direction::Request, out);
  EXPECT_EQ(back.get("pdu.quantity"), 5);
  EXPECT_EQ(back.get("pdu.byte_count"), 10);
  EXPECT_EQ(back.get("length"), 7 + 10);
  EXPECT_TRUE(back.issues.empty()) << to_hex(out);
  EXPECT_EQ(out.size(), 6u + 7 + 10);
}

TEST_F(ModbusModel, PinnedWrongLengthSurvivesReencoding) {
  // MBAP length says 7 but the PDU has 6 bytes after the unit id: a broken capture
  auto bytes = hex("00 01 00 00 00 07 ff 03 00 6b 00 03");
  Message m = decode(*model, Direction::Request, bytes);
  EXPECT_EQ(encode(m), bytes);
  bool relation_broken = false;
  for (const Issue& i : m.issues) relation_broken |= model->rules[i.rule].kind == Rule::Kind::Relation;
  EXPECT_TRUE(relation_broken);
  // editing another field keeps the pinned length as it was
  ASSERT_TRUE(m.set("pdu.address", 0x10));
  auto out = encode(m);
  EXPECT_EQ(out[5], 0x07);
}

TEST_F(ModbusModel, PairRulesCatchAnAnswerThatSaysTooMuch) {
  Message req = decode(*model, Direction::Request, hex("00 07 00 00 00 06 ff 03 00 00 00 01"));
  Message good = decode(*model, Direction::Response, hex("00 07 00 00 00 05 ff 03 02 00 2a"));
  Message leaky = decode(*model, Direction::Response, hex("00 07 00 00 00 07 ff 03 04 00 2a 13 37"));
  EXPECT_TRUE(check_pair(req, good).empty());
  auto broken = check_pair(req, leaky);
  ASSERT_EQ(broken.size(), 1u);
  EXPECT_EQ(model->rules[broken[0].rule].id, "read_holding_registers_response.byte_count.expect");
}

}  // namespace
}  // namespace pc::model::test
