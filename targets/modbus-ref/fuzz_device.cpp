// libFuzzer target: the input is a TCP byte stream sent to a fresh device with every
// defect off. Checks what a correct device promises: every answer is a normal response
// of the same function code or an exception 1..4, and fits a Modbus PDU.
#include <cstddef>
#include <cstdint>
#include <span>

#include "device.hpp"
#include "mbap_framer.hpp"

namespace {

void check(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pc::modbus_ref;
  DeviceConfig config;
  config.map.coils = TableRange{0, 64};
  config.map.discrete_inputs = TableRange{16, 64};
  config.map.holding_registers = TableRange{100, 64};
  config.map.input_registers = TableRange{0, 64};
  Device device(config);
  std::span<const std::uint8_t> stream(data, size);
  for (int frames = 0;; ++frames) {
    const Frame frame = next_frame(stream);
    if (frame.kind == Frame::Kind::kNeedMore || frame.kind == Frame::Kind::kClose) {
      break;
    }
    if (frame.kind == Frame::Kind::kAdu) {
      const auto pdu = stream.subspan(kMbapHeader, frame.size - kMbapHeader);
      const Reply reply = device.handle(frame.unit, pdu);
      switch (reply.kind()) {
        case Reply::Kind::kNone:
          break;
        case Reply::Kind::kNormal:
          check(!reply.pdu().empty() && reply.pdu()[0] == pdu[0]);
          check(reply.pdu().size() <= kMaxPdu);
          break;
        case Reply::Kind::kException:
          check(reply.pdu().size() == 2 && reply.pdu()[0] == (pdu[0] | 0x80));
          check(reply.pdu()[1] >= 1 && reply.pdu()[1] <= 4);
          break;
      }
    }
    if (frames % 8 == 7) {
      device.scan();
    }
    stream = stream.subspan(frame.size);
  }
  return 0;
}
