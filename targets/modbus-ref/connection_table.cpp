#include "connection_table.hpp"

namespace pc::modbus_ref {

std::optional<ConnectionId> ConnectionTable::acquire(posix::UniqueFd fd, Clock::time_point now) {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    if (slot.state != State::kFree) {
      continue;
    }
    slot.state = State::kInUse;
    ++slot.generation;
    slot.connection.emplace();
    slot.connection->fd = std::move(fd);
    slot.connection->last_activity = now;
    return ConnectionId{static_cast<std::uint32_t>(i), slot.generation};
  }
  return std::nullopt;
}

Connection* ConnectionTable::find(ConnectionId id) {
  if (id.slot >= slots_.size()) {
    return nullptr;
  }
  Slot& slot = slots_[id.slot];
  if (slot.state != State::kInUse || slot.generation != id.generation) {
    return nullptr;
  }
  return &*slot.connection;
}

void ConnectionTable::release(ConnectionId id, bool leak) {
  if (find(id) == nullptr) {
    return;
  }
  Slot& slot = slots_[id.slot];
  slot.connection.reset();  // closes the socket
  slot.state = leak ? State::kLeaked : State::kFree;
}

std::vector<ConnectionId> ConnectionTable::open_connections() const {
  std::vector<ConnectionId> ids;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].state == State::kInUse) {
      ids.push_back(ConnectionId{static_cast<std::uint32_t>(i), slots_[i].generation});
    }
  }
  return ids;
}

std::size_t ConnectionTable::leaked() const {
  std::size_t count = 0;
  for (const Slot& slot : slots_) {
    count += slot.state == State::kLeaked ? 1 : 0;
  }
  return count;
}

}  // namespace pc::modbus_ref
