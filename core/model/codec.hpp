// Named codecs: byte-to-byte layers for what a data file cannot say (a CRC after every
// block of 16 bytes, a frame check sequence). A codec produces no fields: it turns wire
// bytes into inner bytes and back, and everything inside is declared in the model file.
//
// Signature in a model file:  codec: crc_blocks(8, 16, crc16_dnp)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pc::model {

using Bytes = std::vector<uint8_t>;

struct CodecDecode {
  bool ok = true;            // false: the wire bytes have no valid structure for this codec
  bool checks_pass = true;   // e.g. every CRC matched
  uint32_t bad_at = 0;       // wire offset of the first failed check
  std::string cause;
};

class Codec {
 public:
  virtual ~Codec() = default;
  virtual std::string signature() const = 0;  // "crc_blocks(8, 16, crc16_dnp)"
  // Wire -> inner. `aux` receives wire-only bytes (check values as found) so that a
  // message with a wrong check re-encodes byte for byte.
  virtual CodecDecode decode(std::span<const uint8_t> wire, Bytes& inner, Bytes& aux) const = 0;
  // Inner -> wire. With `keep` set, check values are taken from it where it has one for
  // that position (a pinned or overridden wrong check); otherwise they are computed.
  virtual void encode(std::span<const uint8_t> inner, const Bytes* keep, Bytes& wire) const = 0;
  // Bytes of check values for an inner size (the size of `aux` a correct encode makes).
  virtual size_t aux_size(size_t inner_size) const = 0;
};

// A codec argument as written in the model: a number or a name.
struct CodecArg {
  std::optional<int64_t> number;
  std::string name;
};

struct CodecError {
  std::string message;
};

// Makes a codec from its name and arguments; the error says which argument is wrong.
std::unique_ptr<Codec> make_codec(std::string_view name, const std::vector<CodecArg>& args,
                                  CodecError& error);

// The names and parameter lists of every codec, for docs and `model show`.
std::vector<std::string> codec_signatures();

}  // namespace pc::model
