// A broken rule found in a message: which rule, where, and the values that disagreed.
#pragma once

#include <cstdint>

#include "core/model/schema.hpp"

namespace pc::model {

struct Issue {
  RuleId rule = kNone;
  uint32_t value = kNone;  // the value it concerns (kNone: the message as a whole)
  uint32_t offset = 0;     // byte offset in the message (in its layer's bytes)
  int64_t actual = 0;
  int64_t expected = 0;
  uint32_t layer_depth = 0;  // 0: offset is in the message's own bytes
};

}  // namespace pc::model
