// Cutting messages out of a byte stream with the model's framing section, and finding
// the next place a message could start after bytes that do not frame.
#pragma once

#include <span>

#include "core/model/message.hpp"

namespace pc::model {

class Framer {
 public:
  explicit Framer(const Model& model) : model_(model), header_(model) {}

  struct Cut {
    enum class Kind : uint8_t {
      Message,   // a message of `size` bytes starts here
      NeedMore,  // the bytes so far are a plausible start; more are needed
      Junk,      // no message starts here; skip `size` bytes (0: skip to the next
                 // boundary the caller knows, e.g. the end of the TCP segment)
    };
    Kind kind = Kind::Junk;
    uint32_t size = 0;
  };

  // `data` runs from the current position to the end of what has arrived.
  Cut next(std::span<const uint8_t> data);

 private:
  Cut junk(std::span<const uint8_t> data) const;
  const Model& model_;
  Message header_;  // scratch for the header decode
};

}  // namespace pc::model
