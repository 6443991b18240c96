#include "core/model/decoder.hpp"

#include <algorithm>
#include <utility>

#include "core/model/checksum.hpp"
#include "core/model/env.hpp"
#include "core/model/rules.hpp"

namespace pc::model {
namespace {

enum class St : uint8_t { Ok, Stop };  // Stop: this scope could not be decoded further

struct Cursor {
  const uint8_t* base = nullptr;
  uint32_t pos = 0;
  uint32_t limit = 0;
  bool eoc = false;  // inside a BER indefinite-length scope: 00 00 ends it
  uint32_t layer = 0;
  uint32_t avail() const { return limit - pos; }
  std::span<const uint8_t> ahead() const { return {base + pos, limit - pos}; }
  bool at_eoc() const { return eoc && avail() >= 2 && base[pos] == 0 && base[pos + 1] == 0; }
};

class Decoder {
 public:
  Decoder(const Model& m, Message& msg) : m_(m), msg_(msg) {}

  void run(FieldId root, std::span<const uint8_t> bytes) {
    Cursor c{bytes.data(), 0, static_cast<uint32_t>(bytes.size()), false, 0};
    St st = field(root, c, kNone);
    if (c.pos < c.limit) excess(c, kNone, st == St::Ok);
  }

  bool prefix(FieldId root, std::span<const uint8_t> bytes, uint32_t& consumed) {
    Cursor c{bytes.data(), 0, static_cast<uint32_t>(bytes.size()), false, 0};
    St st = field(root, c, kNone);
    consumed = c.pos;
    return st == St::Ok;
  }

 private:
  uint32_t push(FieldId f, uint32_t parent, uint32_t offset) {
    Value v;
    v.field = f;
    v.parent = parent;
    v.offset = offset;
    msg_.values.push_back(v);
    return static_cast<uint32_t>(msg_.values.size() - 1);
  }

  void issue(RuleId rule, uint32_t value, uint32_t offset, int64_t actual = 0, int64_t expected = 0) {
    msg_.issues.push_back({rule, value, offset, actual, expected, 0});
  }

  // Keeps [pos, limit) as an excess value under `parent`; a trailing-bytes issue when the
  // scope ended normally (the truncation that caused an abnormal end is already listed).
  // `slot`: in a struct, how many end-of-contents octet pairs of the struct's ranges came
  // before the bytes (the encoder puts them back in the same place).
  void excess(Cursor& c, uint32_t parent, bool trailing, uint32_t slot = 0) {
    uint32_t v = push(kNone, parent, c.pos);
    Value& x = msg_.values[v];
    x.flags = kExcess;
    x.num = slot;
    x.data = msg_.append_pool(c.ahead());
    x.len = c.avail();
    x.size = x.len;
    x.next = v + 1;
    if (trailing) issue(m_.builtin.trailing, v, c.pos, x.len, 0);
    c.pos = c.limit;
  }

  St field(FieldId f, Cursor& c, uint32_t parent) {
    const FieldDef& fd = m_.fields[f];
    const TypeDef& t = m_.types[fd.type];
    if (depth_ >= m_.max_depth) {
      issue(m_.builtin.depth, parent, c.pos, depth_, m_.max_depth);
      return St::Stop;
    }
    if (t.max_depth) {
      if (active_.empty()) active_.assign(m_.types.size(), 0);
      if (active_[fd.type] >= t.max_depth) {
        issue(m_.builtin.depth, parent, c.pos, active_[fd.type], t.max_depth);
        return St::Stop;
      }
      ++active_[fd.type];
    }
    ++depth_;
    if (t.is_message) {
      MessageId id = m_.message_of[static_cast<int>(msg_.direction)][fd.type];
      if (id != kNone) msg_.type = id;
    }
    const uint32_t start = c.pos;
    const uint32_t v = push(f, parent, start);
    if (t.kind != Kind::Bytes && t.kind != Kind::Text && t.kind != Kind::Array) exact_scope_ = false;
    St st = St::Ok;
    switch (t.kind) {
      case Kind::Uint:
      case Kind::Sint: st = integer(t, c, v); break;
      case Kind::Varint: st = varint(t, c, v); break;
      case Kind::Bits: st = bits(t, c, v); break;
      case Kind::Bytes:
      case Kind::Text: st = bytes(t, c, v); break;
      case Kind::Struct: st = structure(t, c, v); break;
      case Kind::Array: st = array(t, c, v); break;
      case Kind::Switch: st = choice(t, c, v); break;
      case Kind::Layer: st = layer(t, c, v); break;
    }
    --depth_;
    if (t.max_depth) --active_[fd.type];
    if (st == St::Stop && is_scalar(t.kind)) {
      // A scalar that does not fit leaves nothing behind; the caller keeps the bytes.
      msg_.values.resize(v);
      return St::Stop;
    }
    Value& val = msg_.values[v];
    val.size = c.pos - start;
    val.next = static_cast<uint32_t>(msg_.values.size());
    if (st == St::Ok && !fd.rules.empty()) check_value_rules(m_, msg_, v);
    return st;
  }

  bool fast_scalar(const FieldDef& fd) const {
    const TypeDef& t = m_.types[fd.type];
    return (t.kind == Kind::Uint || t.kind == Kind::Sint) && t.size > 0 && !t.is_message && t.max_depth == 0;
  }

  static bool is_scalar(Kind k) {
    return k == Kind::Uint || k == Kind::Sint || k == Kind::Varint || k == Kind::Bits || k == Kind::Bytes ||
           k == Kind::Text;
  }

  St short_read(uint32_t v, const Cursor& c, uint32_t need) {
    issue(m_.builtin.truncated, msg_.values[v].parent, c.pos, c.avail(), need);
    return St::Stop;
  }

  St integer(const TypeDef& t, Cursor& c, uint32_t v) {
    uint32_t width = t.size ? t.size : c.avail();
    Value& val = msg_.values[v];
    if (t.size == 0) {  // the rest of the scope: BER INTEGER contents and the like
      if (width == 0 || width > 8) {
        val.flags |= kRaw;
        val.data = msg_.append_pool(c.ahead());
        val.len = width;
        val.form = static_cast<uint8_t>(std::min<uint32_t>(width, 255));
        if (width == 0) issue(m_.builtin.malformed, v, c.pos, 0, 1);
        c.pos += width;
        return St::Ok;
      }
      val.form = static_cast<uint8_t>(width);
    } else if (c.avail() < width) {
      return short_read(v, c, width);
    }
    uint64_t x = 0;
    const uint8_t* p = c.base + c.pos;
    if (t.endian == Endian::Big) {
      for (uint32_t i = 0; i < width; ++i) x = (x << 8) | p[i];
    } else {
      for (uint32_t i = width; i-- > 0;) x = (x << 8) | p[i];
    }
    if (t.kind == Kind::Sint && width < 8 && ((x >> (8 * width - 1)) & 1)) x |= ~0ULL << (8 * width);
    val.num = x;
    c.pos += width;
    return St::Ok;
  }

  St varint(const TypeDef& t, Cursor& c, uint32_t v) {
    Value& val = msg_.values[v];
    const uint8_t* p = c.base + c.pos;
    const uint32_t avail = c.avail();
    if (avail == 0) return short_read(v, c, 1);
    uint64_t x = 0;
    uint32_t n = 0;
    switch (t.varint) {
      case VarintStyle::Base128:
        for (;;) {
          if (n >= avail) return short_read(v, c, n + 1);
          if (n >= t.max_bytes) {
            issue(m_.builtin.malformed, v, c.pos, n + 1, t.max_bytes);
            return St::Stop;
          }
          x |= static_cast<uint64_t>(p[n] & 0x7F) << (7 * n);
          if ((p[n++] & 0x80) == 0) break;
        }
        break;
      case VarintStyle::BerLength:
        if (p[0] < 0x80) {
          x = p[0];
          n = 1;
        } else if (p[0] == 0x80) {
          if (!t.allow_indefinite) {
            issue(m_.builtin.malformed, v, c.pos, 0x80, 0);
            return St::Stop;
          }
          val.flags |= kIndefinite;
          n = 1;
        } else {
          uint32_t k = p[0] & 0x7F;
          if (k > 8) {
            issue(m_.builtin.malformed, v, c.pos, k, 8);
            return St::Stop;
          }
          if (avail < 1 + k) return short_read(v, c, 1 + k);
          for (uint32_t i = 1; i <= k; ++i) x = (x << 8) | p[i];
          n = 1 + k;
        }
        break;
      case VarintStyle::BerTag: {
        auto [tag, len] = read_ber_tag(c.ahead());
        if (len == 0) {
          if (avail < 6) return short_read(v, c, avail + 1);
          issue(m_.builtin.malformed, v, c.pos, 0, 0);
          return St::Stop;
        }
        x = tag;
        n = len;
        break;
      }
      case VarintStyle::Escaped:
        if (p[0] != 0xFF) {
          x = p[0];
          n = 1;
        } else {
          if (avail < 3) return short_read(v, c, 3);
          x = (static_cast<uint64_t>(p[1]) << 8) | p[2];
          n = 3;
        }
        break;
    }
    val.num = x;
    val.form = static_cast<uint8_t>(n);
    c.pos += n;
    return St::Ok;
  }

  St bits(const TypeDef& t, Cursor& c, uint32_t v) {
    if (c.avail() < t.size) return short_read(v, c, t.size);
    uint64_t x = 0;
    const uint8_t* p = c.base + c.pos;
    if (t.endian == Endian::Big) {
      for (uint32_t i = 0; i < t.size; ++i) x = (x << 8) | p[i];
    } else {
      for (uint32_t i = t.size; i-- > 0;) x = (x << 8) | p[i];
    }
    msg_.values[v].num = x;
    for (const BitSlice& s : t.bits) {
      uint32_t child = push(s.field, v, c.pos);
      Value& cv = msg_.values[child];
      cv.num = (x >> s.shift) & (s.width >= 64 ? ~0ULL : ((1ULL << s.width) - 1));
      cv.size = 0;
      cv.next = child + 1;
    }
    c.pos += t.size;
    for (const BitSlice& s : t.bits) {
      if (!m_.fields[s.field].rules.empty()) {
        check_value_rules(m_, msg_, msg_.child_named(v, m_.fields[s.field].name));
      }
    }
    return St::Ok;
  }

  std::optional<int64_t> eval_in(ExprId e, uint32_t scope, const Cursor& c) {
    InstanceEnv env(msg_, scope);
    env.set_input(c.ahead());
    return eval(m_.exprs[e], env);
  }

  St bytes(const TypeDef& t, Cursor& c, uint32_t v) {
    uint32_t n = c.avail();
    const bool exact = std::exchange(exact_scope_, false);
    if (exact && t.fixed_size == kNone) {
      // the covering length decides; the size expression is the model's to check
    } else if (t.fixed_size != kNone) {
      n = t.fixed_size;
    } else if (t.size_expr != kNone) {
      auto s = eval_in(t.size_expr, msg_.values[v].parent, c);
      if (s && *s >= 0 && *s <= 0xFFFFFFFFLL) n = static_cast<uint32_t>(*s);
    }
    if (n > c.avail()) return short_read(v, c, n);
    Value& val = msg_.values[v];
    val.data = msg_.append_pool({c.base + c.pos, n});
    val.len = n;
    c.pos += n;
    return St::Ok;
  }

  // Bounds the fields [first, last] of a struct by the value of a length relation.
  bool open_scope(const Relation& r, uint32_t bound, uint32_t range_begin, Cursor& c, Cursor& sub) {
    const Value& b = msg_.values[bound];
    sub = c;
    if (b.flags & kIndefinite) {
      sub.eoc = true;
      return true;
    }
    int64_t units = static_cast<int64_t>(b.num) - r.offset;
    int64_t size = units < 0 ? -1 : units * static_cast<int64_t>(r.unit);
    int64_t start_to_end = static_cast<int64_t>(range_begin) + size - static_cast<int64_t>(c.pos);
    if (size < 0 || start_to_end < 0) {
      sub.limit = c.pos;  // the length says less than nothing is left: empty scope
      return true;
    }
    if (start_to_end > static_cast<int64_t>(c.avail())) {
      issue(m_.builtin.truncated, bound, c.pos, c.avail(), start_to_end);
      sub.limit = c.limit;
    } else {
      sub.limit = c.pos + static_cast<uint32_t>(start_to_end);
    }
    sub.eoc = false;
    return true;
  }

  // A length scope inside a struct: the fields [from, rel->last] decode within it. Scopes
  // nest (a string's length inside a packet's remaining length).
  struct Scope {
    Cursor cur;
    const Relation* rel = nullptr;
    uint32_t bound = kNone;
  };

  St structure(const TypeDef& t, Cursor& c, uint32_t v) {
    const size_t n = t.fields.size();
    constexpr size_t kSmall = 32;
    uint32_t small_begin[kSmall], small_val[kSmall];
    std::vector<uint32_t> big;
    uint32_t* begin = small_begin;
    uint32_t* vals = small_val;
    if (n > kSmall) {
      big.resize(2 * n);
      begin = big.data();
      vals = big.data() + n;
    }
    constexpr size_t kMaxScopes = 8;
    Scope scopes[kMaxScopes];
    size_t depth = 0;
    auto current = [&]() -> Cursor& { return depth ? scopes[depth - 1].cur : c; };
    St result = St::Ok;
    size_t skip_until = SIZE_MAX;  // after a field that stopped inside a scope: its rest is not decoded
    uint32_t eocs = 0;             // end-of-contents octet pairs read so far
    for (size_t i = 0; i < n; ++i) {
      vals[i] = kNone;
      // length relations whose decode scope starts here
      if (skip_until == SIZE_MAX) {
        for (uint32_t ri : t.struct_relations) {
          const Relation& r = m_.relations[ri];
          if (!r.scopes_decode || r.scope_from != i || depth == kMaxScopes) continue;
          uint32_t holder = vals[r.holder];
          if (holder == kNone) continue;
          uint32_t bound = holder;
          if (msg_.values[holder].field != r.field) bound = msg_.child_named(holder, m_.fields[r.field].name);
          if (bound == kNone) continue;
          Cursor& parent = current();
          Scope& sc = scopes[depth];
          open_scope(r, bound, r.first >= i ? parent.pos : begin[r.first], parent, sc.cur);
          sc.rel = &r;
          sc.bound = bound;
          ++depth;
        }
      }
      Cursor& cur = current();
      begin[i] = cur.pos;
      const FieldId f = t.fields[i];
      const FieldDef& fd = m_.fields[f];
      bool present = skip_until == SIZE_MAX && result == St::Ok;
      if (present && fd.when != kNone) {
        auto w = eval_in(fd.when, v, cur);
        present = w && *w != 0;
      }
      if (present && fast_scalar(fd) && cur.avail() >= m_.types[fd.type].size) {
        // a fixed-size integer: read in place (the common case, kept off the general path)
        const TypeDef& ft = m_.types[fd.type];
        vals[i] = static_cast<uint32_t>(msg_.values.size());
        Value& val = msg_.values.emplace_back();
        val.field = f;
        val.parent = v;
        val.next = vals[i] + 1;
        val.offset = cur.pos;
        val.size = ft.size;
        const uint8_t* p = cur.base + cur.pos;
        uint64_t x = 0;
        if (ft.endian == Endian::Big) {
          for (uint32_t k = 0; k < ft.size; ++k) x = (x << 8) | p[k];
        } else {
          for (uint32_t k = ft.size; k-- > 0;) x = (x << 8) | p[k];
        }
        if (ft.kind == Kind::Sint && ft.size < 8 && ((x >> (8 * ft.size - 1)) & 1)) x |= ~0ULL << (8 * ft.size);
        val.num = x;
        cur.pos += ft.size;
        if (!fd.rules.empty()) check_value_rules(m_, msg_, vals[i]);
      } else if (present) {
        size_t mark = msg_.values.size();
        // a field that a length covers on its own takes that whole length
        exact_scope_ = depth && scopes[depth - 1].rel->first == i && scopes[depth - 1].rel->last == i && !cur.eoc;
        St st = field(f, cur, v);
        exact_scope_ = false;
        if (msg_.values.size() > mark) vals[i] = static_cast<uint32_t>(mark);
        if (st == St::Stop) {
          if (cur.pos < cur.limit) excess(cur, v, false, eocs);
          if (depth == 0) {
            result = St::Stop;  // nothing bounds it here: the scope is spent
          } else {
            skip_until = scopes[depth - 1].rel->last;  // go on after the innermost scope
          }
        }
      }
      // scopes that end with this field, innermost first
      while (depth && scopes[depth - 1].rel->last <= i) {
        Scope& sc = scopes[depth - 1];
        Cursor& parent = depth > 1 ? scopes[depth - 2].cur : c;
        if (sc.cur.eoc) {
          if (sc.cur.avail() >= 2 && sc.cur.base[sc.cur.pos] == 0 && sc.cur.base[sc.cur.pos + 1] == 0) {
            parent.pos = sc.cur.pos + 2;
            ++eocs;
          } else {
            issue(m_.builtin.missing_eoc, sc.bound, sc.cur.pos);
            if (sc.bound != kNone) msg_.values[sc.bound].flags |= kNoEoc;
            parent.pos = sc.cur.pos;
          }
        } else {
          if (sc.cur.pos < sc.cur.limit) excess(sc.cur, v, skip_until == SIZE_MAX, eocs);
          parent.pos = sc.cur.limit;
        }
        if (skip_until != SIZE_MAX && sc.rel->last >= skip_until) skip_until = SIZE_MAX;
        --depth;
      }
    }
    if (!t.struct_relations.empty() || !t.struct_rules.empty()) finish_struct(t, v, vals, begin, c);
    return result;
  }

  // Checks each relation of a finished struct; a bound value that disagrees is pinned.
  void finish_struct(const TypeDef& t, uint32_t v, const uint32_t* vals, const uint32_t* begin, const Cursor& c) {
    for (uint32_t ri : t.struct_relations) {
      const Relation& r = m_.relations[ri];
      uint32_t holder = vals[r.holder];
      if (holder == kNone) continue;
      uint32_t bound = holder;
      if (msg_.values[holder].field != r.field) bound = msg_.child_named(holder, m_.fields[r.field].name);
      if (bound == kNone) continue;
      Value& b = msg_.values[bound];
      if (b.flags & kIndefinite) continue;
      // bytes of the covered range: from the first field's start to the last one's end
      uint32_t first_at = begin[r.first];
      uint32_t last_end = first_at;
      for (uint32_t i = r.last + 1; i-- > r.first;) {
        if (vals[i] != kNone) {
          last_end = msg_.values[vals[i]].offset + msg_.values[vals[i]].size;
          // excess kept right after the last covered field belongs to the range
          uint32_t after = msg_.end(vals[i]);
          while (after < msg_.values.size() && msg_.values[after].parent == v &&
                 (msg_.values[after].flags & kExcess) && (i + 1 >= t.fields.size() || vals[i + 1] == kNone ||
                                                         after < vals[i + 1])) {
            last_end = msg_.values[after].offset + msg_.values[after].size;
            after = msg_.end(after);
          }
          break;
        }
      }
      std::optional<int64_t> want = derived_value(r, v, vals, first_at, last_end, c);
      if (!want) continue;
      uint64_t mask = value_mask(r.field, b);
      if ((static_cast<uint64_t>(*want) & mask) != (b.num & mask) || *want < 0 ||
          static_cast<uint64_t>(*want) > mask) {
        b.flags |= kPinned;
        issue(r.rule, bound, b.offset, static_cast<int64_t>(b.num), *want);
      }
    }
    for (RuleId rid : t.struct_rules) check_expr_rule(m_, msg_, rid, v, vals);
  }

  uint64_t value_mask(FieldId f, const Value& b) const {
    const TypeDef& bt = m_.type_of(f);
    unsigned width_bits = 64;
    if (bt.kind == Kind::Uint || bt.kind == Kind::Sint) width_bits = 8 * (bt.size ? bt.size : b.form);
    const FieldDef& fd = m_.fields[f];
    if (fd.parent != kNone && m_.types[fd.parent].kind == Kind::Bits) {
      for (const BitSlice& s : m_.types[fd.parent].bits) {
        if (s.field == f) width_bits = s.width;
      }
    }
    return width_bits >= 64 || width_bits == 0 ? ~0ULL : (1ULL << width_bits) - 1;
  }

  std::optional<int64_t> derived_value(const Relation& r, uint32_t v, const uint32_t* vals, uint32_t first_at,
                                       uint32_t last_end, const Cursor& c) {
    switch (r.kind) {
      case Relation::Kind::LengthOf:
        return static_cast<int64_t>((last_end - first_at) / r.unit) + r.offset;
      case Relation::Kind::CountOf: {
        uint32_t a = vals[r.first];
        if (a == kNone) return std::nullopt;
        int64_t n = 0;
        for (uint32_t ch : msg_.children(a)) n += msg_.values[ch].field != kNone;
        return n + r.offset;
      }
      case Relation::Kind::Checksum: {
        const auto& algo = checksum_at(r.algorithm);
        return static_cast<int64_t>(algo.compute({c.base + first_at, last_end - first_at}));
      }
      case Relation::Kind::Derive: {
        InstanceEnv env(msg_, v);
        return eval(m_.exprs[r.expr], env);
      }
      case Relation::Kind::Selector:
        return std::nullopt;
    }
    return std::nullopt;
  }

  St array(const TypeDef& t, Cursor& c, uint32_t v) {
    Cursor sub = c;
    bool sized = false;
    const bool exact = std::exchange(exact_scope_, false);
    if (!exact && t.size_expr != kNone) {
      auto s = eval_in(t.size_expr, msg_.values[v].parent, c);
      if (s && *s >= 0) {
        sized = true;
        if (*s > c.avail()) {
          issue(m_.builtin.truncated, v, c.pos, c.avail(), *s);
        } else {
          sub.limit = c.pos + static_cast<uint32_t>(*s);
        }
      }
    }
    int64_t count = -1;
    if (!exact && t.count_expr != kNone) {
      auto n = eval_in(t.count_expr, msg_.values[v].parent, c);
      if (n && *n >= 0) count = *n;
    }
    St st = St::Ok;
    const TypeDef& it = m_.type_of(t.item);
    if ((it.kind == Kind::Uint || it.kind == Kind::Sint) && it.size > 0 && !it.is_message && !sub.eoc &&
        m_.fields[t.item].rules.empty()) {
      st = fixed_items(it, t.item, sub, v, count);
    } else {
      st = items(t, sub, v, count);
    }
    if (st == St::Stop && sub.pos < sub.limit) excess(sub, v, false);
    if (sized) {
      if (sub.pos < sub.limit) excess(sub, v, true);
      c.pos = sub.limit;
      return St::Ok;
    }
    c.pos = sub.pos;
    return st;
  }

  // Items of a fixed-size integer type (register tables): one tight loop.
  St fixed_items(const TypeDef& it, FieldId item, Cursor& sub, uint32_t v, int64_t count) {
    const uint32_t w = it.size;
    const bool sign = it.kind == Kind::Sint && w < 8;
    int64_t n = count >= 0 ? count : sub.avail() / w;
    for (int64_t i = 0; i < n; ++i) {
      if (sub.avail() < w) {
        if (count >= 0 || sub.avail() > 0) {
          issue(m_.builtin.truncated, v, sub.pos, sub.avail(), w);
          return St::Stop;
        }
        break;
      }
      const uint8_t* p = sub.base + sub.pos;
      uint64_t x = 0;
      if (it.endian == Endian::Big) {
        for (uint32_t k = 0; k < w; ++k) x = (x << 8) | p[k];
      } else {
        for (uint32_t k = w; k-- > 0;) x = (x << 8) | p[k];
      }
      if (sign && ((x >> (8 * w - 1)) & 1)) x |= ~0ULL << (8 * w);
      const uint32_t at = static_cast<uint32_t>(msg_.values.size());
      Value& val = msg_.values.emplace_back();
      val.field = item;
      val.parent = v;
      val.next = at + 1;
      val.offset = sub.pos;
      val.size = w;
      val.num = x;
      sub.pos += w;
    }
    if (count < 0 && sub.avail() > 0) {  // a partial item at the end
      issue(m_.builtin.truncated, v, sub.pos, sub.avail(), w);
      return St::Stop;
    }
    return St::Ok;
  }

  St items(const TypeDef& t, Cursor& sub, uint32_t v, int64_t count) {
    St st = St::Ok;
    for (int64_t i = 0; count < 0 || i < count; ++i) {
      if (count < 0 && (sub.pos >= sub.limit || sub.at_eoc())) break;
      if (sub.pos >= sub.limit) {
        issue(m_.builtin.truncated, v, sub.pos, i, count);
        st = St::Stop;
        break;
      }
      uint32_t before = sub.pos;
      st = field(t.item, sub, v);
      if (st == St::Stop) break;
      if (sub.pos == before) {  // an empty item: stop rather than loop
        issue(m_.builtin.malformed, v, sub.pos, 0, 1);
        st = St::Stop;
        break;
      }
    }
    return st;
  }

  St choice(const TypeDef& t, Cursor& c, uint32_t v) {
    uint64_t key = 0;
    if (t.peek != kNone) {
      const TypeDef& pt = m_.types[t.peek];
      if (pt.kind == Kind::Varint && pt.varint == VarintStyle::BerTag) {
        auto [tag, len] = read_ber_tag(c.ahead());
        if (len == 0) return short_read(v, c, c.avail() + 1);
        key = tag;
      } else {
        uint32_t w = pt.size ? pt.size : 1;
        if (c.avail() < w) return short_read(v, c, w);
        const uint8_t* p = c.base + c.pos;
        for (uint32_t i = 0; i < w; ++i) {
          uint32_t k = pt.endian == Endian::Big ? i : w - 1 - i;
          key = (key << 8) | p[k];
        }
      }
    } else {
      auto k = eval_in(t.selector, msg_.values[v].parent, c);
      if (!k) {
        issue(m_.builtin.unknown_case, v, c.pos, -1, 0);
        return St::Stop;
      }
      key = static_cast<uint64_t>(*k);
    }
    // cases are sorted by lo and do not overlap
    auto it = std::upper_bound(t.cases.begin(), t.cases.end(), key,
                               [](uint64_t k, const SwitchCase& sc) { return k < sc.lo; });
    FieldId chosen = kNone;
    uint32_t index = static_cast<uint32_t>(t.cases.size());
    if (it != t.cases.begin() && key <= std::prev(it)->hi) {
      chosen = std::prev(it)->field;
      index = static_cast<uint32_t>(std::prev(it) - t.cases.begin());
    } else if (t.default_case != kNone) {
      chosen = t.default_case;
    } else {
      issue(m_.builtin.unknown_case, v, c.pos, static_cast<int64_t>(key), 0);
      return St::Stop;
    }
    msg_.values[v].num = index;
    return field(chosen, c, v);
  }

  St layer(const TypeDef& t, Cursor& c, uint32_t v) {
    const Codec& codec = *m_.codecs[t.codec];
    Bytes inner, aux;
    CodecDecode r = codec.decode(c.ahead(), inner, aux);
    if (!r.ok) {
      issue(m_.builtin.malformed, v, c.pos + r.bad_at);
      return St::Stop;
    }
    Value& val = msg_.values[v];
    val.data = msg_.append_pool(aux);
    val.len = static_cast<uint32_t>(aux.size());
    if (!r.checks_pass) {
      msg_.values[v].flags |= kPinned;
      issue(m_.builtin.codec, v, c.pos + r.bad_at);
    }
    Cursor in{inner.data(), 0, static_cast<uint32_t>(inner.size()), false, c.layer + 1};
    St st = field(t.content, in, v);
    if (in.pos < in.limit) excess(in, v, st == St::Ok);
    c.pos = c.limit;
    return St::Ok;
  }

  const Model& m_;
  Message& msg_;
  uint32_t depth_ = 0;
  bool exact_scope_ = false;  // the next field is covered exactly by a length scope
  std::vector<uint16_t> active_;
};

}  // namespace

void decode_into(const Model& model, Direction dir, std::span<const uint8_t> bytes, Message& out) {
  out.direction = dir;
  out.type = kNone;
  out.values.clear();
  out.pool.clear();
  out.issues.clear();
  FieldId root = model.root[static_cast<int>(dir)];
  if (root == kNone) return;
  Decoder(model, out).run(root, bytes);
}

Message decode(const Model& model, Direction dir, std::span<const uint8_t> bytes) {
  Message msg(model, dir);
  decode_into(model, dir, bytes, msg);
  return msg;
}

bool decode_struct_prefix(const Model& model, FieldId field, std::span<const uint8_t> bytes, Message& out,
                          uint32_t& consumed) {
  out.values.clear();
  out.pool.clear();
  out.issues.clear();
  return Decoder(model, out).prefix(field, bytes, consumed);
}

}  // namespace pc::model
