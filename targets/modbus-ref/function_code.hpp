// Function codes and exception codes the device knows
// (MODBUS Application Protocol V1.1b3, sections 5.1 and 7).
#pragma once

#include <cstddef>
#include <cstdint>

namespace pc::modbus_ref {

namespace fc {
inline constexpr std::uint8_t kReadCoils = 0x01;
inline constexpr std::uint8_t kReadDiscreteInputs = 0x02;
inline constexpr std::uint8_t kReadHoldingRegisters = 0x03;
inline constexpr std::uint8_t kReadInputRegisters = 0x04;
inline constexpr std::uint8_t kWriteSingleCoil = 0x05;
inline constexpr std::uint8_t kWriteSingleRegister = 0x06;
inline constexpr std::uint8_t kReadExceptionStatus = 0x07;
inline constexpr std::uint8_t kDiagnostics = 0x08;
inline constexpr std::uint8_t kGetCommEventCounter = 0x0B;
inline constexpr std::uint8_t kGetCommEventLog = 0x0C;
inline constexpr std::uint8_t kWriteMultipleCoils = 0x0F;
inline constexpr std::uint8_t kWriteMultipleRegisters = 0x10;
inline constexpr std::uint8_t kReportServerId = 0x11;
inline constexpr std::uint8_t kReadFileRecord = 0x14;
inline constexpr std::uint8_t kWriteFileRecord = 0x15;
inline constexpr std::uint8_t kMaskWriteRegister = 0x16;
inline constexpr std::uint8_t kReadWriteMultipleRegisters = 0x17;
inline constexpr std::uint8_t kReadFifoQueue = 0x18;
inline constexpr std::uint8_t kEncapsulatedInterface = 0x2B;
}  // namespace fc

// The exception codes this device sends (section 7); 5 to 11 are never used here.
enum class ExceptionCode : std::uint8_t {
  kIllegalFunction = 0x01,
  kIllegalDataAddress = 0x02,
  kIllegalDataValue = 0x03,
  kServerDeviceFailure = 0x04,
};

// The largest PDU the spec allows (section 4.1): 253 bytes.
inline constexpr std::size_t kMaxPdu = 253;

}  // namespace pc::modbus_ref
