#include "core/model/codecs/crc_blocks.hpp"

#include <fmt/format.h>

namespace pc::model {

void put_uint(uint64_t v, unsigned width, bool big_endian, Bytes& out) {
  for (unsigned i = 0; i < width; ++i) {
    unsigned shift = big_endian ? 8 * (width - 1 - i) : 8 * i;
    out.push_back(static_cast<uint8_t>(v >> shift));
  }
}

uint64_t get_uint(std::span<const uint8_t> in, bool big_endian) {
  uint64_t v = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    size_t shift = big_endian ? 8 * (in.size() - 1 - i) : 8 * i;
    v |= static_cast<uint64_t>(in[i]) << shift;
  }
  return v;
}

std::string CrcBlocks::signature() const {
  return fmt::format("crc_blocks({}, {}, {}{})", first_, block_, algo_.name, big_endian_ ? ", be" : "");
}

void CrcBlocks::put_check(uint64_t v, Bytes& out) const { put_uint(v, algo_.width, big_endian_, out); }

CodecDecode CrcBlocks::decode(std::span<const uint8_t> wire, Bytes& inner, Bytes& aux) const {
  CodecDecode r;
  const size_t w = algo_.width;
  size_t pos = 0;
  size_t seg = first_;
  inner.reserve(wire.size());
  while (pos < wire.size()) {
    size_t left = wire.size() - pos;
    if (left <= w) {
      r.ok = false;
      r.bad_at = static_cast<uint32_t>(pos);
      r.cause = fmt::format("{} bytes left where a data block and its {}-byte check belong", left, w);
      return r;
    }
    size_t n = std::min(seg, left - w);
    auto data = wire.subspan(pos, n);
    auto check = wire.subspan(pos + n, w);
    inner.insert(inner.end(), data.begin(), data.end());
    aux.insert(aux.end(), check.begin(), check.end());
    if (r.checks_pass && algo_.compute(data) != get_uint(check, big_endian_)) {
      r.checks_pass = false;
      r.bad_at = static_cast<uint32_t>(pos + n);
      r.cause = fmt::format("{} mismatch after block at wire offset {}", algo_.name, pos);
    }
    pos += n + w;
    seg = block_;
  }
  return r;
}

void CrcBlocks::encode(std::span<const uint8_t> inner, const Bytes* keep, Bytes& wire) const {
  const size_t w = algo_.width;
  size_t pos = 0, seg = first_, index = 0;
  while (pos < inner.size()) {
    size_t n = std::min(seg, inner.size() - pos);
    auto data = inner.subspan(pos, n);
    wire.insert(wire.end(), data.begin(), data.end());
    if (keep && keep->size() >= (index + 1) * w) {
      wire.insert(wire.end(), keep->begin() + static_cast<long>(index * w),
                  keep->begin() + static_cast<long>((index + 1) * w));
    } else {
      put_check(algo_.compute(data), wire);
    }
    pos += n;
    seg = block_;
    ++index;
  }
}

size_t CrcBlocks::aux_size(size_t inner_size) const {
  if (inner_size == 0) return 0;
  size_t blocks = 1;
  if (inner_size > first_) blocks += (inner_size - first_ + block_ - 1) / block_;
  return blocks * algo_.width;
}

std::string CrcTrailer::signature() const {
  return fmt::format("crc_trailer({}{})", algo_.name, big_endian_ ? ", be" : "");
}

CodecDecode CrcTrailer::decode(std::span<const uint8_t> wire, Bytes& inner, Bytes& aux) const {
  CodecDecode r;
  const size_t w = algo_.width;
  if (wire.size() < w) {
    r.ok = false;
    r.cause = fmt::format("{} bytes: shorter than the {}-byte check", wire.size(), w);
    return r;
  }
  auto data = wire.first(wire.size() - w);
  auto check = wire.last(w);
  inner.assign(data.begin(), data.end());
  aux.assign(check.begin(), check.end());
  if (algo_.compute(data) != get_uint(check, big_endian_)) {
    r.checks_pass = false;
    r.bad_at = static_cast<uint32_t>(data.size());
    r.cause = fmt::format("{} mismatch", algo_.name);
  }
  return r;
}

void CrcTrailer::encode(std::span<const uint8_t> inner, const Bytes* keep, Bytes& wire) const {
  wire.insert(wire.end(), inner.begin(), inner.end());
  if (keep && keep->size() >= algo_.width) {
    wire.insert(wire.end(), keep->begin(), keep->begin() + algo_.width);
  } else {
    put_uint(algo_.compute(inner), algo_.width, big_endian_, wire);
  }
}

}  // namespace pc::model
