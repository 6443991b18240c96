// crc_blocks(first, block, algorithm[, be]): the data is cut into a first block of
// `first` bytes and then blocks of `block` bytes (the last may be shorter); each block is
// followed by its checksum, least significant byte first unless `be`.
#pragma once

#include "core/model/checksum.hpp"
#include "core/model/codec.hpp"

namespace pc::model {

class CrcBlocks final : public Codec {
 public:
  CrcBlocks(uint32_t first, uint32_t block, const ChecksumAlgo& algo, bool big_endian)
      : first_(first), block_(block), algo_(algo), big_endian_(big_endian) {}
  std::string signature() const override;
  CodecDecode decode(std::span<const uint8_t> wire, Bytes& inner, Bytes& aux) const override;
  void encode(std::span<const uint8_t> inner, const Bytes* keep, Bytes& wire) const override;
  size_t aux_size(size_t inner_size) const override;

 private:
  void put_check(uint64_t v, Bytes& out) const;
  uint32_t first_, block_;
  const ChecksumAlgo& algo_;
  bool big_endian_;
};

// crc_trailer(algorithm[, be]): the data followed by one checksum over all of it.
class CrcTrailer final : public Codec {
 public:
  CrcTrailer(const ChecksumAlgo& algo, bool big_endian) : algo_(algo), big_endian_(big_endian) {}
  std::string signature() const override;
  CodecDecode decode(std::span<const uint8_t> wire, Bytes& inner, Bytes& aux) const override;
  void encode(std::span<const uint8_t> inner, const Bytes* keep, Bytes& wire) const override;
  size_t aux_size(size_t) const override { return algo_.width; }

 private:
  const ChecksumAlgo& algo_;
  bool big_endian_;
};

// Writes `v` as `width` bytes in the given order; reads it back.
void put_uint(uint64_t v, unsigned width, bool big_endian, Bytes& out);
uint64_t get_uint(std::span<const uint8_t> in, bool big_endian);

}  // namespace pc::model
