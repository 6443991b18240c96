#include "core/model/encoder.hpp"

#include <algorithm>

#include "core/model/checksum.hpp"
#include "core/model/env.hpp"

namespace pc::model {

uint32_t minimal_width(const TypeDef& t, uint64_t num) {
  switch (t.kind) {
    case Kind::Uint: {
      uint32_t n = 1;
      while (n < 8 && (num >> (8 * n)) != 0) ++n;
      return n;
    }
    case Kind::Sint: {
      int64_t x = static_cast<int64_t>(num);
      uint32_t n = 1;
      while (n < 8) {
        int64_t lo = -(int64_t{1} << (8 * n - 1)), hi = (int64_t{1} << (8 * n - 1)) - 1;
        if (x >= lo && x <= hi) break;
        ++n;
      }
      return n;
    }
    case Kind::Varint:
      switch (t.varint) {
        case VarintStyle::Base128: {
          uint32_t n = 1;
          while (n < 10 && (num >> (7 * n)) != 0) ++n;
          return n;
        }
        case VarintStyle::BerLength: {
          if (num < 0x80) return 1;
          uint32_t n = 1;
          while (n < 8 && (num >> (8 * n)) != 0) ++n;
          return 1 + n;
        }
        case VarintStyle::BerTag: {
          uint32_t n = 1;
          while (n < 8 && (num >> (8 * n)) != 0) ++n;
          return n;
        }
        case VarintStyle::Escaped:
          return num < 0xFF ? 1 : 3;
      }
      return 1;
    default:
      return t.size;
  }
}

namespace {

void put_be(uint64_t v, uint32_t width, std::vector<uint8_t>& out) {
  size_t at = out.size();
  out.resize(at + width);
  uint8_t* p = out.data() + at;
  for (uint32_t i = width; i-- > 0;) *p++ = static_cast<uint8_t>(i < 8 ? v >> (8 * i) : 0);
}
void put_le(uint64_t v, uint32_t width, std::vector<uint8_t>& out) {
  size_t at = out.size();
  out.resize(at + width);
  uint8_t* p = out.data() + at;
  for (uint32_t i = 0; i < width; ++i) *p++ = static_cast<uint8_t>(i < 8 ? v >> (8 * i) : 0);
}

class Encoder {
 public:
  Encoder(Message& msg, std::vector<uint32_t>& sizes, std::vector<uint32_t>& offs)
      : m_(msg.model()), msg_(msg), sizes_(sizes), offs_(offs) {
    sizes_.assign(msg.values.size(), 0);
    offs_.assign(msg.values.size(), 0);
  }

  void run(std::vector<uint8_t>& out) {
    if (!msg_.values.empty()) {
      // the root and any top-level excess after it
      for (uint32_t v = 0; v < msg_.values.size(); v = msg_.end(v)) value(v, out);
    }
  }

 private:
  void scalar(const TypeDef& t, const Value& val, std::vector<uint8_t>& out) {
    switch (t.kind) {
      case Kind::Uint:
      case Kind::Sint: {
        uint32_t w = t.size ? t.size : std::max<uint32_t>(val.form, minimal_width(t, val.num));
        if (t.endian == Endian::Big) put_be(val.num, w, out); else put_le(val.num, w, out);
        return;
      }
      case Kind::Varint:
        varint(t, val, out);
        return;
      default:
        return;
    }
  }

  void varint(const TypeDef& t, const Value& val, std::vector<uint8_t>& out) {
    uint32_t w = std::max<uint32_t>(val.form, minimal_width(t, val.num));
    uint64_t x = val.num;
    switch (t.varint) {
      case VarintStyle::Base128:
        for (uint32_t i = 0; i < w; ++i) {
          uint8_t b = static_cast<uint8_t>(x & 0x7F);
          x >>= 7;
          if (i + 1 < w) b |= 0x80;
          out.push_back(b);
        }
        return;
      case VarintStyle::BerLength:
        if (val.flags & kIndefinite) {
          out.push_back(0x80);
        } else if (w == 1) {
          out.push_back(static_cast<uint8_t>(x & 0x7F));
        } else {
          out.push_back(static_cast<uint8_t>(0x80 | (w - 1)));
          put_be(x, w - 1, out);
        }
        return;
      case VarintStyle::BerTag:
        put_be(x, w, out);
        return;
      case VarintStyle::Escaped:
        if (w == 1) {
          out.push_back(static_cast<uint8_t>(x));
        } else {
          out.push_back(0xFF);
          put_be(x, 2, out);
        }
        return;
    }
  }

  uint64_t compose_bits(const TypeDef& t, uint32_t v) {
    uint64_t x = msg_.values[v].num;
    uint32_t e = msg_.end(v);
    for (uint32_t c = v + 1; c < e; c = msg_.end(c)) {
      for (const BitSlice& s : t.bits) {
        if (s.field != msg_.values[c].field) continue;
        uint64_t mask = s.width >= 64 ? ~0ULL : (1ULL << s.width) - 1;
        x = (x & ~(mask << s.shift)) | ((msg_.values[c].num & mask) << s.shift);
      }
    }
    msg_.values[v].num = x;
    return x;
  }

  void value(uint32_t v, std::vector<uint8_t>& out) {
    Value& val = msg_.values[v];
    const size_t start = out.size();
    offs_[v] = static_cast<uint32_t>(start);
    if (val.field == kNone || (val.flags & kRaw)) {
      auto b = msg_.bytes(v);
      out.insert(out.end(), b.begin(), b.end());
    } else {
      const TypeDef& t = m_.type_of(val.field);
      switch (t.kind) {
        case Kind::Uint:
        case Kind::Sint:
        case Kind::Varint:
          scalar(t, val, out);
          break;
        case Kind::Bits: {
          uint64_t x = compose_bits(t, v);
          if (t.endian == Endian::Big) put_be(x, t.size, out); else put_le(x, t.size, out);
          break;
        }
        case Kind::Bytes:
        case Kind::Text: {
          auto b = msg_.bytes(v);
          out.insert(out.end(), b.begin(), b.end());
          break;
        }
        case Kind::Struct:
          structure(t, v, out);
          break;
        case Kind::Array:
          array(t, v, out);
          break;
        case Kind::Switch:
          for (uint32_t c = v + 1, e = msg_.end(v); c < e; c = msg_.end(c)) value(c, out);
          break;
        case Kind::Layer: {
          std::vector<uint8_t> inner;
          for (uint32_t c = v + 1, e = msg_.end(v); c < e; c = msg_.end(c)) value(c, inner);
          std::vector<uint8_t> keep;
          bool use_keep = (msg_.values[v].flags & (kPinned | kOverridden)) != 0;
          if (use_keep) {
            auto aux = msg_.bytes(v);
            keep.assign(aux.begin(), aux.end());
          }
          m_.codecs[t.codec]->encode(inner, use_keep ? &keep : nullptr, out);
          break;
        }
      }
    }
    sizes_[v] = static_cast<uint32_t>(out.size() - start);
    msg_.values[v].size = sizes_[v];
  }

  // Items of a fixed-size integer type in one loop; anything else value by value.
  void array(const TypeDef& t, uint32_t v, std::vector<uint8_t>& out) {
    const TypeDef& it = m_.type_of(t.item);
    const uint32_t e = msg_.end(v);
    if ((it.kind != Kind::Uint && it.kind != Kind::Sint) || it.size == 0) {
      for (uint32_t c = v + 1; c < e; c = msg_.end(c)) value(c, out);
      return;
    }
    const uint32_t w = it.size;
    for (uint32_t c = v + 1; c < e; ++c) {
      Value& cv = msg_.values[c];
      if (cv.field != t.item || (cv.flags & kRaw) || cv.next != c + 1) {
        value(c, out);
        c = msg_.end(c) - 1;
        continue;
      }
      offs_[c] = static_cast<uint32_t>(out.size());
      if (it.endian == Endian::Big) put_be(cv.num, w, out); else put_le(cv.num, w, out);
      sizes_[c] = w;
      cv.size = w;
    }
  }

  // The struct's children, with the field index each one holds (kNone for excess).
  void structure(const TypeDef& t, uint32_t v, std::vector<uint8_t>& out) {
    const uint32_t e = msg_.end(v);
    if (t.struct_relations.empty()) {
      for (uint32_t c = v + 1; c < e; c = msg_.end(c)) value(c, out);
      return;
    }
    // The end-of-contents octets of a BER indefinite length close its range: they go
    // before the first child past the range's last field (that field may be absent), or
    // at the end of the struct; innermost range first. An excess child follows as many
    // of them as the decoder had read before it.
    std::vector<const Relation*> open_eoc;
    for (uint32_t ri : t.struct_relations) {
      const Relation& r = m_.relations[ri];
      if (r.kind != Relation::Kind::LengthOf) continue;
      uint32_t b = bound_value(r, v);
      if (b != kNone && (msg_.values[b].flags & (kIndefinite | kNoEoc)) == kIndefinite) open_eoc.push_back(&r);
    }
    std::stable_sort(open_eoc.begin(), open_eoc.end(), [](const Relation* a, const Relation* b) {
      return a->last != b->last ? a->last < b->last : a->scope_from > b->scope_from;
    });
    size_t closed = 0;
    auto close = [&](size_t upto, uint64_t before_field) {
      while (closed < open_eoc.size() && (closed < upto || open_eoc[closed]->last < before_field)) {
        out.push_back(0);
        out.push_back(0);
        ++closed;
      }
    };
    for (uint32_t c = v + 1; c < e; c = msg_.end(c)) {
      const Value& cv = msg_.values[c];
      if (closed < open_eoc.size()) {
        if (cv.field == kNone) {
          close(cv.num, 0);
        } else {
          close(0, m_.fields[cv.field].index);
        }
      }
      value(c, out);
    }
    close(SIZE_MAX, 0);
    // lengths, counts and derived values, last first; then checksums in order
    for (size_t i = t.struct_relations.size(); i-- > 0;) {
      const Relation& r = m_.relations[t.struct_relations[i]];
      if (r.kind != Relation::Kind::Checksum) apply(r, v, out);
    }
    for (uint32_t ri : t.struct_relations) {
      const Relation& r = m_.relations[ri];
      if (r.kind == Relation::Kind::Checksum) apply(r, v, out);
    }
  }

  uint32_t child_at(uint32_t v, uint16_t index) const {
    for (uint32_t c = v + 1, e = msg_.end(v); c < e; c = msg_.end(c)) {
      const Value& cv = msg_.values[c];
      if (cv.field != kNone && m_.fields[cv.field].index == index) return c;
    }
    return kNone;
  }

  uint32_t bound_value(const Relation& r, uint32_t v) const {
    uint32_t holder = child_at(v, r.holder);
    if (holder == kNone || msg_.values[holder].field == r.field) return holder;
    for (uint32_t c = holder + 1, e = msg_.end(holder); c < e; c = msg_.end(c)) {
      if (msg_.values[c].field == r.field) return c;
    }
    return kNone;
  }

  // Output range [start, end) of the struct children holding fields first..last, with
  // excess kept right after the last one.
  std::pair<uint32_t, uint32_t> covered(const Relation& r, uint32_t v) const {
    uint32_t start = kNone, end = kNone;
    bool in_range = false;
    for (uint32_t c = v + 1, e = msg_.end(v); c < e; c = msg_.end(c)) {
      const Value& cv = msg_.values[c];
      if (cv.field == kNone) {
        if (in_range) end = offs_[c] + sizes_[c];
        continue;
      }
      uint16_t index = m_.fields[cv.field].index;
      in_range = index >= r.first && index <= r.last;
      if (!in_range) {
        if (index > r.last) break;
        continue;
      }
      if (start == kNone) start = offs_[c];
      end = offs_[c] + sizes_[c];
    }
    if (start == kNone) return {0, 0};
    return {start, end};
  }

  void apply(const Relation& r, uint32_t v, std::vector<uint8_t>& out) {
    uint32_t b = bound_value(r, v);
    if (b == kNone) return;
    Value& bv = msg_.values[b];
    if (bv.flags & (kPinned | kOverridden | kIndefinite | kRaw)) return;
    auto [start, end] = covered(r, v);
    int64_t want = 0;
    switch (r.kind) {
      case Relation::Kind::LengthOf:
        want = static_cast<int64_t>((end - start) / r.unit) + r.offset;
        break;
      case Relation::Kind::CountOf: {
        uint32_t a = child_at(v, r.first);
        if (a == kNone) return;
        for (uint32_t c = a + 1, e = msg_.end(a); c < e; c = msg_.end(c)) want += msg_.values[c].field != kNone;
        want += r.offset;
        break;
      }
      case Relation::Kind::Checksum:
        want = static_cast<int64_t>(checksum_at(r.algorithm).compute({out.data() + start, end - start}));
        break;
      case Relation::Kind::Derive: {
        InstanceEnv env(msg_, v);
        env.set_sizes(&sizes_);
        auto x = eval(m_.exprs[r.expr], env);
        if (!x) return;
        want = *x;
        break;
      }
      case Relation::Kind::Selector:
        return;
    }
    bv.num = static_cast<uint64_t>(want);
    uint32_t holder = child_at(v, r.holder);
    const TypeDef& ht = m_.type_of(msg_.values[holder].field);
    std::vector<uint8_t> bytes;
    if (ht.kind == Kind::Bits) {
      uint64_t x = compose_bits(ht, holder);
      if (ht.endian == Endian::Big) put_be(x, ht.size, bytes); else put_le(x, ht.size, bytes);
    } else {
      scalar(ht, bv, bytes);
    }
    const uint32_t at = offs_[holder];
    const uint32_t old = sizes_[holder];
    if (bytes.size() == old) {
      std::copy(bytes.begin(), bytes.end(), out.begin() + at);
      return;
    }
    // a variable-width value changed width: splice, and move what follows
    out.erase(out.begin() + at, out.begin() + at + old);
    out.insert(out.begin() + at, bytes.begin(), bytes.end());
    const int64_t delta = static_cast<int64_t>(bytes.size()) - old;
    sizes_[holder] = static_cast<uint32_t>(bytes.size());
    msg_.values[holder].size = sizes_[holder];
    for (uint32_t c = msg_.end(holder), e = msg_.end(v); c < e; c = msg_.end(c)) {
      offs_[c] = static_cast<uint32_t>(offs_[c] + delta);
    }
  }

  const Model& m_;
  Message& msg_;
  std::vector<uint32_t>& sizes_;
  std::vector<uint32_t>& offs_;
};

}  // namespace

void EncodeScratch::encode(Message& msg, std::vector<uint8_t>& out) {
  out.clear();
  Encoder(msg, sizes_, offs_).run(out);
}

void encode_into(Message& msg, std::vector<uint8_t>& out) {
  EncodeScratch scratch;
  scratch.encode(msg, out);
}

std::vector<uint8_t> encode(Message& msg) {
  std::vector<uint8_t> out;
  encode_into(msg, out);
  return out;
}

}  // namespace pc::model
