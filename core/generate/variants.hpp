// Which mutations apply to which value: the rules that turn a field's type, its validity
// rules and its relations into the variants of each mutation class.
#pragma once

#include <string>
#include <vector>

#include "core/generate/mutation_class.hpp"
#include "core/generate/profile.hpp"
#include "core/generate/variant.hpp"

namespace pc::generate {

struct ValueVariants {
  uint32_t value = 0;
  std::string path;
  MutationClass mutation = MutationClass::Boundary;
  std::vector<Variant> variants;  // most telling first
};

// Every (value, class) of a default message that the profile's classes apply to.
std::vector<ValueVariants> variants_for_message(const model::Message& def, const std::vector<uint8_t>& bytes,
                                                const Profile& profile);

// The values a variable of this value's type can take: [lo, hi], signed or not.
struct ValueRange {
  int64_t lo = 0;
  uint64_t hi = 0;
  bool is_signed = false;
  unsigned bits = 0;
};
ValueRange value_range(const model::Message& msg, uint32_t v);

}  // namespace pc::generate
