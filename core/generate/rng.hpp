// Deterministic randomness: a case's random choices are a pure function of (seed, case
// index), so the same seed and index always give the same bytes.
#pragma once

#include <cstdint>

namespace pc::generate {

// splitmix64: small, fast, and good enough to pick mutations.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  Rng(uint64_t seed, uint64_t stream) : s_(seed ^ (stream * 0x9E3779B97F4A7C15ULL) ^ 0xD1B54A32D192ED03ULL) { next(); }
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // uniform in [0, n); n > 0
  uint64_t below(uint64_t n) { return n ? next() % n : 0; }
  bool chance(uint32_t percent) { return below(100) < percent; }

 private:
  uint64_t s_;
};

}  // namespace pc::generate
