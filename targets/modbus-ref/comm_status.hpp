// The communication state a Modbus server keeps about itself (MODBUS Application
// Protocol V1.1b3, sections 6.8 to 6.10): the diagnostic counters of function 08, the
// diagnostic register, the comm event counter (11), the comm event log (12) and the
// Listen Only Mode flag. On TCP there is no serial line, so "bus" counters count ADUs
// and "communication errors" count MBAP headers that were dropped or closed on.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

namespace pc::modbus_ref {

// Counters returned by diagnostics sub-functions 0x0B..0x12, in that order.
struct DiagCounters {
  std::uint16_t bus_message = 0;          // 0x0B: every ADU seen
  std::uint16_t bus_comm_error = 0;       // 0x0C: MBAP header errors
  std::uint16_t bus_exception_error = 0;  // 0x0D: exception responses sent
  std::uint16_t server_message = 0;       // 0x0E: ADUs addressed to this device
  std::uint16_t server_no_response = 0;   // 0x0F: addressed ADUs left unanswered
  std::uint16_t server_nak = 0;           // 0x10: never incremented (no NAK)
  std::uint16_t server_busy = 0;          // 0x11: never incremented (never busy)
  std::uint16_t bus_char_overrun = 0;     // 0x12: never incremented (no overrun)
};

// Event log bytes (section 6.9).
namespace event {
inline constexpr std::uint8_t kReceive = 0x80;  // + bit 5 when in listen only
inline constexpr std::uint8_t kReceiveListenOnly = 0x20;
inline constexpr std::uint8_t kSend = 0x40;                // + exception bits below
inline constexpr std::uint8_t kSendReadException = 0x01;   // exception codes 1..3
inline constexpr std::uint8_t kSendAbortException = 0x02;  // exception code 4
inline constexpr std::uint8_t kSendListenOnly = 0x20;
inline constexpr std::uint8_t kEnteredListenOnly = 0x04;
inline constexpr std::uint8_t kRestart = 0x00;
}  // namespace event

class CommStatus {
 public:
  static constexpr std::size_t kMaxEvents = 64;
  // Diagnostic register bit 0: an exception response was sent since the last clear.
  static constexpr std::uint16_t kDiagExceptionSent = 0x0001;

  DiagCounters& counters() { return counters_; }
  const DiagCounters& counters() const { return counters_; }
  std::uint16_t diagnostic_register() const { return diagnostic_register_; }
  void flag_exception() { diagnostic_register_ |= kDiagExceptionSent; }

  std::uint16_t event_counter() const { return event_counter_; }
  void count_event() { ++event_counter_; }

  bool listen_only() const { return listen_only_; }
  void enter_listen_only();

  void log_event(std::uint8_t byte);
  // Most recent first, as function 12 returns them.
  std::vector<std::uint8_t> events() const { return {events_.begin(), events_.end()}; }

  // 08/01: counters, diagnostic register and event counter cleared; the log cleared
  // too when asked; listen only left; then a restart event logged.
  void restart(bool clear_log);
  // 08/0A: counters and diagnostic register cleared.
  void clear_counters();
  // 08/14: overrun counter cleared.
  void clear_overrun() { counters_.bus_char_overrun = 0; }

 private:
  DiagCounters counters_;
  std::uint16_t diagnostic_register_ = 0;
  std::uint16_t event_counter_ = 0;
  bool listen_only_ = false;
  std::deque<std::uint8_t> events_;
};

}  // namespace pc::modbus_ref
