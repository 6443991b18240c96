// Bytes to fields. Decoding is lossless: a message that breaks its specification still
// decodes, lists the rules it breaks (Message::issues), and re-encodes to the same bytes.
// Bytes the layout cannot account for are kept as excess values at the place they
// occurred. The decoder never reads outside the input and bounds every allocation by the
// input size, whatever the bytes.
#pragma once

#include <span>

#include "core/model/message.hpp"

namespace pc::model {

// Decodes one framed message sent in direction `dir`.
Message decode(const Model& model, Direction dir, std::span<const uint8_t> bytes);

// The same, reusing `out`'s buffers (for hot loops).
void decode_into(const Model& model, Direction dir, std::span<const uint8_t> bytes, Message& out);

// Decodes `bytes` as the struct type of `field` (used by the framer for headers). Returns
// false when the bytes end before the struct does.
bool decode_struct_prefix(const Model& model, FieldId field, std::span<const uint8_t> bytes,
                          Message& out, uint32_t& consumed);

}  // namespace pc::model
