// The random structure-aware phase: each case takes an entry of the corpus and stacks a
// few mutations on it (the catalogue's variants, by field path), keeping relations
// consistent or breaking them on purpose. A case whose answer has a signature not seen
// before joins the corpus. Every case records its parent and its recipe (like
// libFuzzer's "MS:" line); the corpus and the signatures seen are the state the store
// keeps with each batch, so a resumed campaign continues exactly where it stopped.
#pragma once

#include <set>

#include "core/generate/rng.hpp"
#include "core/generate/systematic.hpp"

namespace pc::generate {

struct CorpusItem {
  int64_t parent = -1;
  std::string recipe;
  model::MessageId message = model::kNone;
  std::vector<uint8_t> bytes;
  uint64_t signature = 0;
};

class RandomPhase {
 public:
  RandomPhase(const Catalog& catalog, const Counters& counters, const Profile& profile, uint64_t seed);
  uint64_t count() const { return count_; }
  void generate(uint64_t index, TestCase& out) const;
  // A case's answer signature: a new one makes the case a corpus entry. Returns whether it did.
  bool feedback(const TestCase& test, uint64_t signature);
  // Seeds the corpus with a message (e.g. from a capture).
  void add_seed(model::MessageId message, std::vector<uint8_t> bytes);

  const std::vector<CorpusItem>& corpus() const { return corpus_; }
  size_t seeds() const { return seeds_; }
  // The corpus after the seeds, and the signatures seen: what the store keeps.
  std::vector<uint8_t> save_state() const;
  bool load_state(std::span<const uint8_t> blob);

 private:
  const Catalog& catalog_;
  const Counters& counters_;
  uint64_t seed_;
  uint64_t count_;
  uint32_t max_stack_;
  std::vector<CorpusItem> corpus_;
  size_t seeds_ = 0;
  std::set<uint64_t> signatures_;
  std::map<model::MessageId, std::vector<size_t>> slots_by_message_;
};

}  // namespace pc::generate
