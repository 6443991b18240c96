// What the hostile server does to every client: the misbehaviours a fuzzer's transport
// must survive without hanging, crashing or growing its memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pc::hostile {

enum class Mode : uint8_t {
  RandomBytes,       // answers every read with random bytes of random length
  AbsurdLength,      // answers with a Modbus-like header claiming 65535 bytes, then a trickle
  Slow,              // one byte per second, forever, from the moment it accepts
  Reset,             // reads a little, sends part of an answer, then resets (RST)
  Silent,            // accepts and reads, never answers
  Flood,             // sends bytes without end as fast as the client takes them
  CloseImmediately,  // accepts and closes its side at once (FIN), reads until the client closes
};

std::optional<Mode> parse_mode(std::string_view name);
const char* mode_name(Mode mode);
// "random-bytes, absurd-length, ..." for --help.
std::string mode_list();

}  // namespace pc::hostile
