// Read File Record (20) and Write File Record (21): MODBUS Application Protocol V1.1b3
// sections 6.14 and 6.15. Every sub-request is checked before any is carried out.
#include <vector>

#include "handlers.hpp"

namespace pc::modbus_ref {
namespace {

constexpr std::uint8_t kReferenceType = 0x06;
constexpr std::uint32_t kMaxRecordNumber = 0x270F;
constexpr std::size_t kSubRequestHeader = 7;  // type, file (2), record (2), length (2)

struct SubRequest {
  std::uint8_t reference_type;
  std::uint16_t file;
  std::uint16_t record;
  std::uint16_t length;  // in registers
  std::size_t data_at;   // offset of the record data in the PDU (write only)
};

SubRequest parse_header(const Request& request, std::size_t at) {
  return SubRequest{request.u8(at), request.u16(at + 1), request.u16(at + 3), request.u16(at + 5),
                    at + kSubRequestHeader};
}

bool addresses_ok(const SubRequest& sub, const FileStore& files) {
  return sub.reference_type == kReferenceType && sub.record <= kMaxRecordNumber &&
         files.contains(sub.file, sub.record, sub.length);
}

}  // namespace

Reply read_file_record(const Request& request, DeviceState& state) {
  if (request.size() < 2) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::size_t byte_count = request.u8(1);
  if (byte_count < 0x07 || byte_count > 0xF5 || byte_count % kSubRequestHeader != 0 ||
      request.size() != 2 + byte_count) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  std::vector<SubRequest> subs;
  std::size_t response_length = 0;
  for (std::size_t at = 2; at < request.size(); at += kSubRequestHeader) {
    subs.push_back(parse_header(request, at));
    if (!addresses_ok(subs.back(), state.files)) {
      return exception_reply(request, ExceptionCode::kIllegalDataAddress);
    }
    response_length += 2 + 2 * static_cast<std::size_t>(subs.back().length);
  }
  // The answer must fit: response data length is at most 0xF5.
  if (response_length > 0xF5) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  PduBuilder out(request.function());
  out.u8(static_cast<std::uint8_t>(response_length));
  for (const SubRequest& sub : subs) {
    out.u8(static_cast<std::uint8_t>(1 + 2 * sub.length));  // file response length
    out.u8(kReferenceType);
    for (std::uint32_t i = 0; i < sub.length; ++i) {
      out.u16(state.files.get(sub.file, sub.record + i));
    }
  }
  return out.done();
}

Reply write_file_record(const Request& request, DeviceState& state) {
  if (request.size() < 2) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  const std::size_t byte_count = request.u8(1);
  if (byte_count < 0x09 || byte_count > 0xFB || request.size() != 2 + byte_count) {
    return exception_reply(request, ExceptionCode::kIllegalDataValue);
  }
  // The sub-requests must tile the request exactly.
  std::vector<SubRequest> subs;
  for (std::size_t at = 2; at < request.size();) {
    if (at + kSubRequestHeader > request.size()) {
      return exception_reply(request, ExceptionCode::kIllegalDataValue);
    }
    const SubRequest sub = parse_header(request, at);
    const std::size_t next = sub.data_at + 2 * static_cast<std::size_t>(sub.length);
    if (next > request.size()) {
      return exception_reply(request, ExceptionCode::kIllegalDataValue);
    }
    subs.push_back(sub);
    at = next;
  }
  for (const SubRequest& sub : subs) {
    if (!addresses_ok(sub, state.files)) {
      return exception_reply(request, ExceptionCode::kIllegalDataAddress);
    }
  }
  for (const SubRequest& sub : subs) {
    for (std::uint32_t i = 0; i < sub.length; ++i) {
      state.files.set(sub.file, sub.record + i, request.u16(sub.data_at + 2 * i));
    }
  }
  // The normal response is an echo of the request.
  return PduBuilder(request.function()).bytes(request.bytes().subspan(1)).done();
}

}  // namespace pc::modbus_ref
