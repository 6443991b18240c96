// Evaluates model expressions against a message instance.
#pragma once

#include <span>

#include "core/model/expr.hpp"
#include "core/model/message.hpp"

namespace pc::model {

class InstanceEnv final : public ExprEnv {
 public:
  InstanceEnv(const Message& msg, uint32_t scope) : msg_(msg), scope_(scope) {}

  // The paired request, for `request.x` references in response rules.
  void set_request(const Message* request) { request_ = request; }
  // The input ahead of the cursor, for peek_*() and remaining() during a decode.
  void set_input(std::span<const uint8_t> ahead) { ahead_ = ahead; has_input_ = true; }
  void set_header_size(int64_t n) { header_size_ = n; }
  // Encoded sizes that override Value::size (the encoder's view while it writes).
  void set_sizes(const std::vector<uint32_t>* sizes) { sizes_ = sizes; }

  std::optional<int64_t> ref(const RefPath& path, Query query) const override;
  std::optional<int64_t> peek(Op what) const override;

  // The value a path names, or kNone.
  uint32_t lookup(const RefPath& path) const;

 private:
  const Message& msg_;
  uint32_t scope_;
  const Message* request_ = nullptr;
  std::span<const uint8_t> ahead_;
  bool has_input_ = false;
  int64_t header_size_ = -1;
  const std::vector<uint32_t>* sizes_ = nullptr;
};

// The integer a value holds, sign-extended for signed kinds.
int64_t value_number(const Message& msg, uint32_t v);

// Reads a BER identifier at the start of `in`: its octets as a big-endian number and
// their count (0 when malformed or cut short).
std::pair<uint64_t, uint32_t> read_ber_tag(std::span<const uint8_t> in);

}  // namespace pc::model
