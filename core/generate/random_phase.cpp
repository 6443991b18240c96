#include "core/generate/random_phase.hpp"

#include <fmt/format.h>

#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"

namespace pc::generate {

RandomPhase::RandomPhase(const Catalog& catalog, const Counters& counters, const Profile& profile, uint64_t seed)
    : catalog_(catalog), counters_(counters), seed_(seed), count_(profile.random_cases), max_stack_(profile.max_stack) {
  for (size_t i = 0; i < catalog.slots().size(); ++i) slots_by_message_[catalog.slots()[i].message].push_back(i);
  for (model::MessageId id : catalog.messages()) add_seed(id, catalog.default_bytes(id));
}

void RandomPhase::add_seed(model::MessageId message, std::vector<uint8_t> bytes) {
  CorpusItem c;
  c.message = message;
  c.bytes = std::move(bytes);
  c.recipe = "seed";
  corpus_.insert(corpus_.begin() + static_cast<long>(seeds_), std::move(c));
  ++seeds_;
}

void RandomPhase::generate(uint64_t index, TestCase& out) const {
  Rng rng(seed_, index);
  size_t pick = corpus_.empty() ? 0 : rng.below(corpus_.size());
  const CorpusItem& parent = corpus_.at(pick);
  const model::Model& m = catalog_.model();
  model::Message msg = model::decode(m, model::Direction::Request, parent.bytes);
  counters_.apply(msg, index + (uint64_t{2} << 32), 0);
  out = TestCase{};
  out.id = {Phase::Random, index};
  out.parent = static_cast<int64_t>(pick);
  out.message = parent.message;
  out.mutation = MutationClass::Havoc;
  auto sit = slots_by_message_.find(parent.message);
  const uint32_t k = 1 + static_cast<uint32_t>(rng.below(max_stack_));
  std::string recipe = fmt::format("MS: {} ", k);
  std::vector<uint8_t> bytes;
  bool encoded = false;
  for (uint32_t i = 0; i < k && sit != slots_by_message_.end() && !sit->second.empty(); ++i) {
    const Slot& s = catalog_.slots()[sit->second[rng.below(sit->second.size())]];
    const Variant& var = s.variants[rng.below(s.variants.size())];
    uint32_t v = s.path.empty() ? 0 : msg.find(s.path);
    if (v == model::kNone) continue;
    bool byte_level = var.op == Variant::Op::Truncate || var.op == Variant::Op::Trailing;
    if (byte_level && i + 1 < k) continue;  // cutting or appending comes last
    bytes = apply_variant(msg, v, var);
    encoded = true;
    recipe += fmt::format("{}{}:{}", i ? "-" : "", s.path.empty() ? "message" : s.path, var.text());
    if (i == 0) out.field = s.path;
    if (byte_level) break;
  }
  if (!encoded) bytes = model::encode(msg);
  out.recipe = recipe;
  Step step;
  step.message = parent.message;
  step.bytes = std::move(bytes);
  step.expect = Expect::Either;  // a random case is judged by what comes back, not by a prediction
  out.steps.push_back(std::move(step));
  // a message that may change the device's state is undone, as in the systematic phase
  for (const auto& se : m.session.side_effects) {
    if (se.message != parent.message) continue;
    out.steps[0].side_effect = true;
    model::Message undo = catalog_.default_message(se.undo);
    counters_.apply(undo, index + (uint64_t{2} << 32), 1);
    Step u;
    u.message = se.undo;
    u.bytes = model::encode(undo);
    u.expect = Expect::Either;
    out.undo.push_back(std::move(u));
  }
}

bool RandomPhase::feedback(const TestCase& test, uint64_t signature) {
  if (!signatures_.insert(signature).second || test.steps.empty()) return false;
  CorpusItem c;
  c.parent = test.parent;
  c.recipe = test.recipe;
  c.message = test.message;
  c.bytes = test.steps[0].bytes;
  c.signature = signature;
  corpus_.push_back(std::move(c));
  return true;
}

std::vector<uint8_t> RandomPhase::save_state() const {
  // [n signatures][sig...][n entries][parent, message, sig, recipe len, recipe, bytes len, bytes]...
  std::vector<uint8_t> out;
  auto put = [&](uint64_t x) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(x >> (8 * i)));
  };
  put(signatures_.size());
  for (uint64_t s : signatures_) put(s);
  put(corpus_.size() - seeds_);
  for (size_t i = seeds_; i < corpus_.size(); ++i) {
    const CorpusItem& c = corpus_[i];
    put(static_cast<uint64_t>(c.parent));
    put(c.message);
    put(c.signature);
    put(c.recipe.size());
    out.insert(out.end(), c.recipe.begin(), c.recipe.end());
    put(c.bytes.size());
    out.insert(out.end(), c.bytes.begin(), c.bytes.end());
  }
  return out;
}

bool RandomPhase::load_state(std::span<const uint8_t> blob) {
  size_t pos = 0;
  auto get = [&](uint64_t& x) {
    if (pos + 8 > blob.size()) return false;
    x = 0;
    for (int i = 0; i < 8; ++i) x |= static_cast<uint64_t>(blob[pos + i]) << (8 * i);
    pos += 8;
    return true;
  };
  uint64_t n = 0;
  if (!get(n) || n > blob.size()) return false;
  std::set<uint64_t> sigs;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t s;
    if (!get(s)) return false;
    sigs.insert(s);
  }
  uint64_t entries = 0;
  if (!get(entries) || entries > blob.size()) return false;
  std::vector<CorpusItem> added;
  for (uint64_t i = 0; i < entries; ++i) {
    CorpusItem c;
    uint64_t parent, message, len;
    if (!get(parent) || !get(message) || !get(c.signature) || !get(len) || pos + len > blob.size()) return false;
    c.parent = static_cast<int64_t>(parent);
    c.message = static_cast<model::MessageId>(message);
    c.recipe.assign(blob.begin() + static_cast<long>(pos), blob.begin() + static_cast<long>(pos + len));
    pos += len;
    if (!get(len) || pos + len > blob.size()) return false;
    c.bytes.assign(blob.begin() + static_cast<long>(pos), blob.begin() + static_cast<long>(pos + len));
    pos += len;
    added.push_back(std::move(c));
  }
  signatures_ = std::move(sigs);
  corpus_.resize(seeds_);
  corpus_.insert(corpus_.end(), added.begin(), added.end());
  return true;
}

}  // namespace pc::generate
