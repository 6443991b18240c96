// Any bytes, decoded with one model in either direction: no crash, no unbounded memory,
// and decoding is lossless (re-encoding gives the same bytes). The framer and a
// consistent edit run on the same input.
#include <cstdint>
#include <variant>

#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/framer.hpp"
#include "core/model/loader.hpp"

namespace {

const pc::model::Model& fuzz_model() {
  static const std::shared_ptr<const pc::model::Model> model = [] {
    auto r = pc::model::load_model_file(PC_FUZZ_MODEL);
    if (!std::holds_alternative<std::shared_ptr<const pc::model::Model>>(r)) __builtin_trap();
    return std::get<std::shared_ptr<const pc::model::Model>>(r);
  }();
  return *model;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pc::model;
  if (size == 0) return 0;
  const Model& model = fuzz_model();
  const Direction dir = (data[0] & 1) ? Direction::Response : Direction::Request;
  std::span<const uint8_t> bytes(data + 1, size - 1);
  Message msg = decode(model, dir, bytes);
  std::vector<uint8_t> out = encode(msg);
  if (out.size() != bytes.size() || !std::equal(out.begin(), out.end(), bytes.begin())) __builtin_trap();
  Framer framer(model);
  (void)framer.next(bytes);
  // an edit of the first number must keep the message encodable
  for (uint32_t v = 0; v < msg.values.size(); ++v) {
    const FieldDef* f = msg.field(v);
    if (f && model.types[f->type].kind == Kind::Uint) {
      msg.set(v, static_cast<int64_t>(data[0]));
      (void)encode(msg);
      break;
    }
  }
  return 0;
}
