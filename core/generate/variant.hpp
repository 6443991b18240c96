// One concrete mutation of one value: what to do to it. A recipe is a list of these.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/message.hpp"

namespace pc::generate {

struct Variant {
  enum class Op : uint8_t {
    Set,         // a consistent edit: fields that depend on it follow
    Override,    // written as given; relations that cover it are not applied
    SetBytes,    // new contents of a byte string or text
    Form,        // write a variable-length value in `num` bytes (overlong)
    Indefinite,  // a BER length in the indefinite form
    Omit,        // leave the value out
    Repeat,      // send the value twice
    Truncate,    // cut the encoded message at the value's start + num
    Trailing,    // append `num` bytes of `fill` after the message
    BadCheck,    // replace a codec's check values (num: 0 flip, 1 zeros)
    SetMany,     // consistent edits of several fields by path (`sets`)
  };
  Op op = Op::Set;
  int64_t num = 0;
  uint8_t fill = 0;
  std::vector<uint8_t> bytes;
  std::vector<std::pair<std::string, int64_t>> sets;  // SetMany
  std::string text() const;  // "set(2001)", "truncate(+1)", "trailing(16x00)"
};

// Applies `var` to value `v` of `msg` and returns the bytes to send. `msg` is changed.
std::vector<uint8_t> apply_variant(model::Message& msg, uint32_t v, const Variant& var);

// Offsets of every value in the encoding of `msg` (encode first): values inside a codec
// layer are given the offset of the layer.
std::vector<uint32_t> encoded_offsets(const model::Message& msg);

}  // namespace pc::generate
