#include "core/availability/message_pools.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/generate/catalog.hpp"
#include "core/generate/systematic.hpp"
#include "core/model/decoder.hpp"

namespace pc::availability {

namespace {

constexpr size_t kValid = 256, kMalformed = 512, kLargest = 16;

bool side_effect(const model::Model& m, model::MessageId id) {
  if (id == model::kNone) return false;
  for (const auto& se : m.session.side_effects) {
    if (se.message == id || se.undo == id) return true;
  }
  return false;
}

// One message that may go into a pool: safe, and not a declared side effect, both as built
// and as the device will decode it.
bool allowed(const model::Model& m, const campaign::Safety& safety, const generate::TestCase& c) {
  if (c.steps.size() != 1 || !c.undo.empty() || c.fresh_connection) return false;
  if (side_effect(m, c.steps[0].message) || c.steps[0].side_effect) return false;
  model::Message decoded = model::decode(m, model::Direction::Request, c.steps[0].bytes);
  if (side_effect(m, decoded.type)) return false;
  return safety.check(c).empty();
}

}  // namespace

MessagePools build_pools(const model::Model& m, const generate::Profile& profile, const campaign::Safety& safety,
                         const PoolRequest& valid) {
  MessagePools pools;
  // valid: the essential function's request (or the probe), counters of 256 cases
  model::MessageId id = valid.message;
  auto sets = valid.set;
  if (id == model::kNone) {
    id = m.session.probe.message;
    sets.clear();
    for (const auto& s : m.session.probe.set) sets.emplace_back(s.path, s.value);
  }
  if (id != model::kNone && !side_effect(m, id)) {
    generate::Profile none;
    generate::Catalog cat(m, none);
    generate::Counters counters(m);
    generate::Systematic sys(cat, counters);
    pools.valid_name = m.str(m.messages[id].name);
    for (size_t i = 0; i < kValid; ++i) {
      generate::TestCase c;
      generate::Step s;
      s.message = id;
      s.bytes = sys.plain(id, i, 0, sets);
      c.steps.push_back(std::move(s));
      if (!allowed(m, safety, c)) break;
      pools.valid.push_back(std::move(c.steps[0].bytes));
    }
  }
  // malformed: spread over the profile's systematic catalogue
  {
    generate::Catalog cat(m, profile);
    generate::Counters counters(m);
    generate::Systematic sys(cat, counters);
    const uint64_t n = sys.count();
    const uint64_t take = std::min<uint64_t>(n, kMalformed * 2);
    for (uint64_t k = 0; k < take && pools.malformed.size() < kMalformed; ++k) {
      generate::TestCase c;
      sys.generate(k * n / take, c);
      if (allowed(m, safety, c)) pools.malformed.push_back(c.steps[0].bytes);
    }
  }
  // largest: the boundary class's consistent edits that break no MUST rule
  {
    generate::Profile edges;
    edges.classes = {generate::MutationClass::Boundary};
    edges.per_slot = 64;
    generate::Catalog cat(m, edges);
    generate::Counters counters(m);
    generate::Systematic sys(cat, counters);
    struct Big {
      std::vector<uint8_t> bytes;
      std::string name;
    };
    std::vector<Big> found;
    std::set<std::vector<uint8_t>> seen;
    for (uint64_t i = 0; i < sys.count(); ++i) {
      generate::TestCase c;
      sys.generate(i, c);
      if (!allowed(m, safety, c)) continue;
      model::Message d = model::decode(m, model::Direction::Request, c.steps[0].bytes);
      if (!d.resolved() || d.broken(model::Strength::Must) > 0) continue;
      if (!seen.insert(c.steps[0].bytes).second) continue;
      found.push_back({c.steps[0].bytes, d.type_name()});
    }
    std::stable_sort(found.begin(), found.end(), [](const Big& a, const Big& b) { return a.bytes.size() > b.bytes.size(); });
    // the largest of each message type first, then the next largest of each, ...
    std::map<std::string, uint32_t> taken;
    for (uint32_t round = 0; pools.largest.size() < kLargest && round < kLargest; ++round) {
      for (const auto& b : found) {
        if (pools.largest.size() >= kLargest) break;
        if (taken[b.name] != round) continue;
        ++taken[b.name];
        pools.largest.push_back(b.bytes);
        pools.largest_names.push_back(b.name);
      }
    }
  }
  return pools;
}

}  // namespace pc::availability
