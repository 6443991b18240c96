// Fields to bytes. Relation-bound fields that are derived (not pinned, not overridden)
// are computed from what they cover: lengths and counts first, innermost first, then
// checksums. Encoding refreshes those values in the message, so after encode() the
// message shows exactly what was sent.
#pragma once

#include <vector>

#include "core/model/message.hpp"

namespace pc::model {

std::vector<uint8_t> encode(Message& msg);
void encode_into(Message& msg, std::vector<uint8_t>& out);

// The encoder's working memory, kept between calls in hot loops.
class EncodeScratch {
 public:
  void encode(Message& msg, std::vector<uint8_t>& out);

 private:
  std::vector<uint32_t> sizes_, offs_;
};

// Minimal encoded width of a value of a varint style or of a rest-of-scope integer.
uint32_t minimal_width(const TypeDef& t, uint64_t num);

}  // namespace pc::model
