#include "bench/decode/hand_modbus.hpp"

namespace pc::bench {
namespace {

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
void put16(uint8_t*& p, uint16_t v) {
  *p++ = static_cast<uint8_t>(v >> 8);
  *p++ = static_cast<uint8_t>(v);
}

}  // namespace

bool hand_decode(std::span<const uint8_t> in, bool request, HandAdu& a) {
  a.ok = false;
  a.broken = 0;
  if (in.size() < 8) return false;
  const uint8_t* p = in.data();
  a.tid = be16(p);
  a.pid = be16(p + 2);
  a.len = be16(p + 4);
  a.unit = p[6];
  a.fc = p[7];
  a.broken += a.pid != 0;
  a.broken += a.len < 2 || a.len > 254;
  a.broken += static_cast<size_t>(a.len) + 6 != in.size();
  const uint8_t* q = p + 8;
  size_t left = in.size() - 8;
  switch (a.fc) {
    case 1:
    case 2:
    case 4:
      if (request) {
        if (left < 4) return false;
        a.address = be16(q);
        a.quantity = be16(q + 2);
        a.broken += a.quantity < 1 || a.quantity > (a.fc == 4 ? 125 : 2000);
      } else {
        if (left < 1) return false;
        a.byte_count = q[0];
        if (left - 1 < a.byte_count) return false;
        if (a.fc == 4) {
          a.nregs = a.byte_count / 2;
          for (uint8_t i = 0; i < a.nregs; ++i) a.registers[i] = be16(q + 1 + 2 * i);
        } else {
          a.data = q + 1;
          a.ndata = a.byte_count;
        }
      }
      break;
    case 15:
    case 16:
      if (left < 4) return false;
      a.address = be16(q);
      a.quantity = be16(q + 2);
      if (request) {
        if (left < 5) return false;
        a.byte_count = q[4];
        if (left - 5 < a.byte_count) return false;
        if (a.fc == 16) {
          a.broken += a.quantity < 1 || a.quantity > 123 || a.byte_count != 2 * a.quantity;
          a.nregs = static_cast<uint8_t>(a.byte_count / 2);
          for (uint8_t i = 0; i < a.nregs && i < 128; ++i) a.registers[i] = be16(q + 5 + 2 * i);
        } else {
          a.broken += a.quantity < 1 || a.quantity > 1968 || a.byte_count != (a.quantity + 7) / 8;
          a.data = q + 5;
          a.ndata = a.byte_count;
        }
      }
      break;
    default:
      return false;
  }
  a.ok = true;
  return true;
}

size_t hand_encode(const HandAdu& a, bool request, uint8_t* out) {
  uint8_t* p = out + 6;
  *p++ = a.unit;
  *p++ = a.fc;
  switch (a.fc) {
    case 1:
    case 2:
    case 4:
      if (request) {
        put16(p, a.address);
        put16(p, a.quantity);
      } else if (a.fc == 4) {
        *p++ = static_cast<uint8_t>(2 * a.nregs);
        for (uint8_t i = 0; i < a.nregs; ++i) put16(p, a.registers[i]);
      } else {
        *p++ = a.ndata;
        for (uint8_t i = 0; i < a.ndata; ++i) *p++ = a.data[i];
      }
      break;
    default:
      put16(p, a.address);
      put16(p, a.quantity);
      if (request) {
        if (a.fc == 16) {
          *p++ = static_cast<uint8_t>(2 * a.nregs);
          for (uint8_t i = 0; i < a.nregs; ++i) put16(p, a.registers[i]);
        } else {
          *p++ = a.ndata;
          for (uint8_t i = 0; i < a.ndata; ++i) *p++ = a.data[i];
        }
      }
      break;
  }
  size_t n = static_cast<size_t>(p - out);
  uint8_t* h = out;
  put16(h, a.tid);
  put16(h, a.pid);
  put16(h, static_cast<uint16_t>(n - 6));
  return n;
}

}  // namespace pc::bench
