// The seeded defects of the reference device: every one OFF by default and switched on
// by name (--defect NAME). Each mirrors a bug pattern found in real Modbus stacks; the
// table below is the single source of --list-defects and of docs/targets.md.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pc::modbus_ref {

enum class Defect : std::uint8_t {
  kHoldingOverread,        // memory-disclosure
  kWriteMultipleOverflow,  // crash
  kFifoCountSpin,          // needs-manual-reset
  kRestartOptionBlock,     // hang
  kSessionSlotLeak,        // resource-exhaustion
  kReadCoilsQuantity,      // accepted-invalid
  kListenOnlyReads,        // state-violation
  kWriteRegisterOffByOne,  // accepted-invalid
  kIdleSessionsKept,       // resource-exhaustion (load test)
  kUnboundedRequestQueue,  // degraded (load test)
  kPartialFrameBlock,      // hang (load test)
};

inline constexpr std::size_t kDefectCount = 11;

struct DefectInfo {
  Defect id;
  std::string_view name;
  std::string_view kind;
  std::string_view trigger;
};

// name, finding kind, trigger; docs/targets.md explains each in full.
inline constexpr std::array<DefectInfo, kDefectCount> kDefects{{
    {Defect::kHoldingOverread, "holding-overread", "memory-disclosure",
     "FC 03 with a start address inside the holding table and address+quantity past its end"},
    {Defect::kWriteMultipleOverflow, "write-multiple-overflow", "crash",
     "FC 16 with quantity 124 or more (byte count and data left as they were)"},
    {Defect::kFifoCountSpin, "fifo-count-spin", "needs-manual-reset",
     "FC 24 whose FIFO pointer addresses a holding register holding more than 31"},
    {Defect::kRestartOptionBlock, "restart-option-block", "hang",
     "FC 08 sub-function 0x0001 with data other than 0x0000 and 0xFF00"},
    {Defect::kSessionSlotLeak, "session-slot-leak", "resource-exhaustion",
     "close a connection that received an exception response, --max-connections times"},
    {Defect::kReadCoilsQuantity, "read-coils-quantity", "accepted-invalid",
     "FC 01 with quantity 2001..2040 inside the coil table"},
    {Defect::kListenOnlyReads, "listen-only-reads", "state-violation",
     "FC 08/0x0004 (force listen only), then any read FC 01..04"},
    {Defect::kWriteRegisterOffByOne, "write-register-off-by-one", "accepted-invalid",
     "FC 06 at the address one past the last holding register"},
    {Defect::kIdleSessionsKept, "idle-sessions-kept", "resource-exhaustion",
     "--max-connections peers connect and go silent (or vanish without FIN)"},
    {Defect::kUnboundedRequestQueue, "unbounded-request-queue", "degraded",
     "a flood of pipelined requests faster than one per loop turn"},
    {Defect::kPartialFrameBlock, "partial-frame-block", "hang",
     "an ADU whose MBAP length is larger than the bytes sent"},
}};

std::optional<Defect> defect_by_name(std::string_view name);
const DefectInfo& defect_info(Defect id);

// The set of defects switched on for this run.
class DefectSet {
 public:
  void enable(Defect id) { bits_.set(static_cast<std::size_t>(id)); }
  bool on(Defect id) const { return bits_.test(static_cast<std::size_t>(id)); }
  bool any() const { return bits_.any(); }

 private:
  std::bitset<kDefectCount> bits_;
};

}  // namespace pc::modbus_ref
