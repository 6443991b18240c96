#include <gtest/gtest.h>

#include "core/generate/systematic.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/printer.hpp"
#include "tests/model/test_util.hpp"

namespace pc::generate {
namespace {

using model::test::to_hex;

class SystematicModbus : public ::testing::Test {
 protected:
  void SetUp() override {
    model = model::test::load_named("modbus-tcp");
    ASSERT_TRUE(model);
    std::string err;
    ASSERT_TRUE(load_profile("sl2", profile, err)) << err;
    catalog = std::make_unique<Catalog>(*model, profile);
    counters = std::make_unique<Counters>(*model);
    gen = std::make_unique<Systematic>(*catalog, *counters);
  }
  std::shared_ptr<const model::Model> model;
  Profile profile;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<Counters> counters;
  std::unique_ptr<Systematic> gen;
};

TEST_F(SystematicModbus, EveryMessageFieldAndClassIsCounted) {
  EXPECT_GT(gen->count(), 1000u);
  std::set<std::string> classes;
  std::set<model::MessageId> messages;
  for (const Slot& s : catalog->slots()) {
    classes.insert(std::string(class_name(s.mutation)));
    messages.insert(s.message);
  }
  for (MutationClass c : profile.classes) {
    if (c == MutationClass::Checksum) continue;  // Modbus/TCP has none
    EXPECT_TRUE(classes.count(std::string(class_name(c)))) << class_name(c);
  }
  EXPECT_EQ(messages.size(), catalog->messages().size());
}

TEST_F(SystematicModbus, FastPathGivesTheSameBytesAsTheSlowPath) {
  size_t fast = 0;
  for (uint64_t i = 0; i < gen->count(); ++i) {
    uint32_t variant;
    const Slot& s = catalog->locate(i, variant);
    std::vector<uint8_t> got;
    gen->bytes(i, got);
    model::Message msg = catalog->default_message(s.message);
    counters->apply(msg, i, 0, s.value);
    std::vector<uint8_t> slow = apply_variant(msg, s.value, s.variants[variant]);
    ASSERT_EQ(to_hex(got), to_hex(slow)) << "case " << i << " " << s.path << " " << s.variants[variant].text();
    fast += s.fast[variant].offset >= 0 || s.fast[variant].cut >= 0 || s.fast[variant].append > 0;
  }
  EXPECT_GT(fast * 2, gen->count()) << "most cases take the fast path";
}

TEST_F(SystematicModbus, SameIndexSameBytesAcrossCatalogues) {
  Catalog again(*model, profile);
  Systematic gen2(again, *counters);
  ASSERT_EQ(gen2.count(), gen->count());
  for (uint64_t i = 0; i < gen->count(); i += 7) {
    TestCase a, b;
    gen->generate(i, a);
    gen2.generate(i, b);
    ASSERT_EQ(a.steps.size(), b.steps.size());
    EXPECT_EQ(a.steps[0].bytes, b.steps[0].bytes) << i;
    EXPECT_EQ(a.recipe, b.recipe);
  }
}

TEST_F(SystematicModbus, QuantityJustOutsideItsRangeIsACase) {
  bool found = false;
  for (const Slot& s : catalog->slots()) {
    if (model->str(model->messages[s.message].name) != "read_coils_request" || s.path != "pdu.quantity" ||
        s.mutation != MutationClass::OutOfRange) {
      continue;
    }
    for (uint32_t k = 0; k < s.variants.size(); ++k) {
      if (s.variants[k].num != 2001) continue;
      TestCase c;
      gen->generate(s.first_case + k, c);
      model::Message m = model::decode(*model, model::Direction::Request, c.steps[0].bytes);
      EXPECT_EQ(m.get("pdu.quantity"), 2001) << model::format_tree(m);
      EXPECT_EQ(m.broken(), 1u);
      EXPECT_EQ(c.recipe, "pdu.quantity:set(2001)");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(SystematicModbus, TransactionIdsFollowTheCaseIndex) {
  TestCase a, b;
  gen->generate(10, a);
  gen->generate(11, b);
  model::Message ma = model::decode(*model, model::Direction::Request, a.steps[0].bytes);
  model::Message mb = model::decode(*model, model::Direction::Request, b.steps[0].bytes);
  if (ma.find("transaction_id") != model::kNone && mb.find("transaction_id") != model::kNone &&
      a.field != "transaction_id" && b.field != "transaction_id") {
    EXPECT_NE(ma.get("transaction_id"), mb.get("transaction_id"));
  }
}

TEST_F(SystematicModbus, ListenOnlyCasesCarryTheirUndoAndExpectSilenceOnlyWhenValid) {
  size_t silent = 0, either = 0;
  for (const Slot& s : catalog->slots()) {
    if (model->str(model->messages[s.message].name) != "diagnostics_force_listen_only_request") continue;
    for (uint32_t k = 0; k < s.variants.size(); ++k) {
      TestCase c;
      gen->generate(s.first_case + k, c);
      ASSERT_EQ(c.undo.size(), 1u);
      EXPECT_EQ(c.undo[0].expect, Expect::Either);
      EXPECT_EQ(model->str(model->messages[c.undo[0].message].name), "diagnostics_restart_communications_request");
      model::Message sent = model::decode(*model, model::Direction::Request, c.steps[0].bytes);
      bool valid = sent.resolved() && sent.type == s.message && sent.issues.empty();
      EXPECT_EQ(c.steps[0].expect, valid ? Expect::Silence : Expect::Either) << c.recipe;
      (valid ? silent : either)++;
    }
  }
  EXPECT_GT(silent, 0u) << "a valid listen-only request silences the device";
  EXPECT_GT(either, 0u);
}

TEST_F(SystematicModbus, EveryCaseIsAMessageTheModelDecodesLosslessly) {
  for (uint64_t i = 0; i < gen->count(); ++i) {
    std::vector<uint8_t> b;
    gen->bytes(i, b);
    model::Message m = model::decode(*model, model::Direction::Request, b);
    ASSERT_EQ(to_hex(model::encode(m)), to_hex(b)) << i;
  }
}

}  // namespace
}  // namespace pc::generate
