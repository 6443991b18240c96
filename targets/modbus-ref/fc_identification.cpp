// Report Server ID (17) and Read Device Identification (43 / MEI type 14):
// MODBUS Application Protocol V1.1b3 sections 6.13 and 6.21.
#include "handlers.hpp"

namespace pc::modbus_ref {
namespace {

constexpr std::uint8_t kMeiReadDeviceId = 0x0E;
constexpr std::uint8_t kIndividualAccess = 0x04;
constexpr std::size_t kDeviceIdHeader = 7;  // fc, MEI, code, conformity, more, next, count

}  // namespace

Reply report_server_id(const Request& request, DeviceState& /*state*/) {
  if (request.size() != 1) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const auto id = Identity::kServerId;
  const auto more = Identity::kAdditionalData;
  PduBuilder out(request.function());
  out.u8(static_cast<std::uint8_t>(id.size() + 1 + more.size()));
  for (const char c : id) {
    out.u8(static_cast<std::uint8_t>(c));
  }
  out.u8(0xFF);  // run indicator: ON
  for (const char c : more) {
    out.u8(static_cast<std::uint8_t>(c));
  }
  return out.done();
}

Reply encapsulated_interface(const Request& request, DeviceState& state) {
  if (request.size() < 2) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  if (request.u8(1) != kMeiReadDeviceId) {
    return exception_reply(request, ExceptionCode::kIllegalFunction);  // MEI type unknown
  }
  if (request.size() != 4) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::uint8_t code = request.u8(2);
  const std::uint8_t object = request.u8(3);
  if (code < 1 || code > kIndividualAccess) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const Identity& identity = state.identity;
  PduBuilder out(request.function());
  out.u8(kMeiReadDeviceId).u8(code).u8(Identity::kConformityLevel);

  auto append_object = [&out, &identity](std::uint8_t id) {
    const auto value = identity.value(id);
    out.u8(id).u8(static_cast<std::uint8_t>(value.size()));
    for (const char c : value) {
      out.u8(static_cast<std::uint8_t>(c));
    }
  };

  if (code == kIndividualAccess) {
    if (!identity.has(object)) {
      return exception_reply(request, ExceptionCode::kIllegalDataAddress);
    }
    out.u8(0x00).u8(0x00).u8(1);  // more follows: no, next object: 0, one object
    append_object(object);
    return out.done();
  }

  // Stream access: an object id the category does not hold restarts at object 0.
  const std::uint8_t last = Identity::last_id(static_cast<IdCategory>(code));
  const std::uint8_t first = (object > last || !identity.has(object)) ? 0 : object;
  // Count the objects that fit into one PDU.
  std::size_t size = kDeviceIdHeader;
  std::uint8_t count = 0;
  std::uint8_t next = 0;
  bool more = false;
  for (std::uint8_t id = first;;) {
    std::uint8_t found = 0;
    if (!identity.next_existing(id, last, found)) {
      break;
    }
    const std::size_t object_size = 2 + identity.value(found).size();
    if (size + object_size > kMaxPdu) {
      more = true;
      next = found;
      break;
    }
    size += object_size;
    ++count;
    if (found == last) {
      break;
    }
    id = static_cast<std::uint8_t>(found + 1);
  }
  out.u8(more ? 0xFF : 0x00).u8(next).u8(count);
  std::uint8_t id = first;
  for (std::uint8_t i = 0; i < count; ++i) {
    std::uint8_t found = 0;
    identity.next_existing(id, last, found);
    append_object(found);
    id = static_cast<std::uint8_t>(found + 1);
  }
  return out.done();
}

}  // namespace pc::modbus_ref
