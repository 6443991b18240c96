// Relation states: derived values follow edits, pinned values survive, overridden values
// are written as given.
#include <gtest/gtest.h>

#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/printer.hpp"
#include "tests/model/test_util.hpp"

namespace pc::model::test {
namespace {

TEST(Relations, OverriddenLengthIsWrittenAsGivenAndBreaksTheRule) {
  auto model = load_named("modbus-tcp");
  ASSERT_TRUE(model);
  Message m = build(*model, model->find_message("read_coils_request"));
  m.override_num(m.find("length"), 200);
  auto out = encode(m);
  EXPECT_EQ(out[4], 0);
  EXPECT_EQ(out[5], 200);
  EXPECT_EQ(out.size(), 12u);  // the bytes are not padded: the length lies
  Message back = decode(*model, Direction::Request, out);
  EXPECT_GT(back.broken(), 0u);
}

TEST(Relations, DefaultMessagesHaveConsistentDerivedFields) {
  auto model = load_named("modbus-tcp");
  ASSERT_TRUE(model);
  for (MessageId id = 0; id < model->messages.size(); ++id) {
    Message m = build(*model, id);
    auto out = encode(m);
    Message back = decode(*model, model->messages[id].direction, out);
    for (const Issue& i : back.issues) {
      auto k = model->rules[i.rule].kind;
      EXPECT_NE(k, Rule::Kind::Relation) << model->str(model->messages[id].name) << "\n" << format_tree(back);
      EXPECT_NE(k, Rule::Kind::Structure) << model->str(model->messages[id].name) << "\n" << format_tree(back);
    }
  }
}

TEST(Relations, SettingACountResizesTheArrayAndCountOfFollowsOnDecode) {
  auto model = load_named("modbus-tcp");
  ASSERT_TRUE(model);
  Message m = build(*model, model->find_message("read_device_identification_response"));
  ASSERT_TRUE(m.set("pdu.body.object_count", 3));
  auto out = encode(m);
  Message back = decode(*model, Direction::Response, out);
  EXPECT_EQ(back.get("pdu.body.object_count"), 3);
  EXPECT_NE(back.find("pdu.body.objects[2].value"), kNone);
  EXPECT_TRUE(back.issues.empty()) << format_tree(back);
}

TEST(Relations, EditingCoilQuantityResizesValuesByItsSizeExpression) {
  auto model = load_named("modbus-tcp");
  ASSERT_TRUE(model);
  Message m = build(*model, model->find_message("write_multiple_coils_request"));
  ASSERT_TRUE(m.set("pdu.quantity", 17));
  auto out = encode(m);
  Message back = decode(*model, Direction::Request, out);
  EXPECT_EQ(back.get("pdu.byte_count"), 3);
  EXPECT_TRUE(back.issues.empty()) << format_tree(back);
}

}  // namespace
}  // namespace pc::model::test
