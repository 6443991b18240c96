#include "comm_status.hpp"

namespace pc::modbus_ref {

void CommStatus::enter_listen_only() {
  listen_only_ = true;
  log_event(event::kEnteredListenOnly);
}

void CommStatus::log_event(std::uint8_t byte) {
  events_.push_front(byte);
  if (events_.size() > kMaxEvents) {
    events_.pop_back();
  }
}

void CommStatus::restart(bool clear_log) {
  clear_counters();
  event_counter_ = 0;
  listen_only_ = false;
  if (clear_log) {
    events_.clear();
  }
  log_event(event::kRestart);
}

void CommStatus::clear_counters() {
  counters_ = DiagCounters{};
  diagnostic_register_ = 0;
}

}  // namespace pc::modbus_ref
