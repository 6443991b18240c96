// A trigger hidden among harmless cases, with three irrelevant fields changed: the culprit
// search comes out with one message whose only non-default field is the trigger.
#include <gtest/gtest.h>

#include <variant>

#include "core/campaign/culprit.hpp"
#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"
#include "core/model/printer.hpp"
#include "tests/engine/engine_cli.hpp"

namespace pc::test {
namespace {

using model::Message;

TEST(HiddenTrigger, ComesOutAsOneMessageWithOnlyTheTriggerChanged) {
  auto loaded = model::load_model_file(std::string(PC_MODELS_DIR) + "/modbus-tcp.yaml");
  auto m = std::get<std::shared_ptr<const model::Model>>(loaded);
  campaign::Options o;
  o.target_cmd = ref_device({"write-multiple-overflow"});
  o.thresholds.recovery_window = std::chrono::milliseconds(2500);
  o.thresholds.max_latency = std::chrono::milliseconds(500);
  TempDir dir;
  campaign::TargetControl target(*m, o, dir.file("target.log"));
  std::string err;
  ASSERT_TRUE(target.start(err)) << err;

  std::map<model::MessageId, Message> defaults;
  for (model::MessageId id = 0; id < m->messages.size(); ++id) {
    if (m->messages[id].direction != model::Direction::Request) continue;
    Message d = model::build(*m, id);
    (void)model::encode(d);
    defaults.emplace(id, d);
  }
  auto harmless = [&](uint64_t i) {
    generate::TestCase c;
    c.id = {generate::Phase::Systematic, i};
    Message msg = defaults.at(m->find_message("read_holding_registers_request"));
    msg.set("pdu.address", static_cast<int64_t>(i % 100));
    c.steps.push_back({model::encode(msg), msg.type, generate::Expect::Answer, false});
    return c;
  };
  // the trigger: quantity 124 with the byte count and data of one register (the device
  // trusts the quantity), and three fields that have nothing to do with it
  generate::TestCase trigger;
  trigger.id = {generate::Phase::Random, 777};
  Message t = defaults.at(m->find_message("write_multiple_registers_request"));
  t.set("unit_id", 7);
  t.set("pdu.address", 3);
  t.set("pdu.values[0]", 0x1234);
  t.override_num(t.find("pdu.quantity"), 124);
  trigger.steps.push_back({model::encode(t), t.type, generate::Expect::Answer, false});
  trigger.message = t.type;
  std::vector<generate::TestCase> window;
  for (uint64_t i = 0; i < 50; ++i) window.push_back(harmless(i));
  window.push_back(trigger);
  for (uint64_t i = 50; i < 60; ++i) window.push_back(harmless(i));

  campaign::Replayer replayer(*m, target, std::chrono::milliseconds(100));
  campaign::CulpritOptions co;
  campaign::CulpritResult r = campaign::find_culprit(replayer, window, oracle::FindingKind::Crash, defaults, co);
  ASSERT_TRUE(r.found) << r.log;
  EXPECT_EQ(r.confirmed, 3u) << r.log;
  ASSERT_EQ(r.reproducer.cases.size(), 1u) << r.log;
  ASSERT_EQ(r.reproducer.cases[0].steps.size(), 1u);
  Message got = model::decode(*m, model::Direction::Request, r.reproducer.cases[0].steps[0].bytes);
  const Message& def = defaults.at(got.type);
  std::vector<std::string> changed;
  for (uint32_t v = 0; v < got.values.size(); ++v) {
    const auto* f = got.field(v);
    if (!f || f->name == model::kNone) continue;
    uint32_t dv = def.find(got.path(v));
    if (dv == model::kNone || m->types[f->type].kind == model::Kind::Struct) continue;
    if (got.values[v].num != def.values[dv].num) changed.push_back(got.path(v));
  }
  EXPECT_EQ(changed, std::vector<std::string>{"pdu.quantity"}) << model::format_tree(got) << "\n" << r.log;
  EXPECT_EQ(got.get("pdu.quantity"), 124);
}

}  // namespace
}  // namespace pc::test
