// Any bytes as a capture file: read, reassembled and dissected with a model, never a
// crash and never unbounded memory.
#include <cstdint>
#include <variant>

#include "core/capture/pcap_reader.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::shared_ptr<const pc::model::Model> model = [] {
    auto r = pc::model::load_model_file(PC_FUZZ_MODEL);
    if (!std::holds_alternative<std::shared_ptr<const pc::model::Model>>(r)) __builtin_trap();
    return std::get<std::shared_ptr<const pc::model::Model>>(r);
  }();
  auto cap = pc::capture::read_capture_bytes(std::span<const uint8_t>(data, size));
  if (!cap.ok()) return 0;
  (void)pc::dissect::dissect(*model, cap.value(), {});
  return 0;
}
