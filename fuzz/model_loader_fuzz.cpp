// Any text as a model file: a model or an error with a position, never a crash. A model
// that loads builds, encodes and decodes each of its message types.
#include <cstdint>
#include <string_view>
#include <variant>

#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pc::model;
  if (size > 200000) return 0;
  auto r = load_model_text(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  auto* model = std::get_if<std::shared_ptr<const Model>>(&r);
  if (!model) return 0;
  for (MessageId id = 0; id < (*model)->messages.size() && id < 64; ++id) {
    Message m = build(**model, id);
    auto bytes = encode(m);
    if (bytes.size() > (1u << 20)) continue;
    Message back = decode(**model, (*model)->messages[id].direction, bytes);
    (void)encode(back);
  }
  return 0;
}
