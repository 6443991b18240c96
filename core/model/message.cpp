#include "core/model/message.hpp"

#include <charconv>

namespace pc::model {
namespace {

// Switch cases and layer contents have no name of their own: paths and name lookups
// pass through them.
bool transparent(const Message& m, uint32_t v) {
  const Value& val = m.values[v];
  if (val.field == kNone) return false;
  const FieldDef& f = m.model().fields[val.field];
  if (f.name != kNone) return false;
  if (val.parent == kNone) return true;  // the root
  const Value& p = m.values[val.parent];
  if (p.field == kNone) return false;
  Kind k = m.model().type_of(p.field).kind;
  return k == Kind::Switch || k == Kind::Layer;
}

}  // namespace

std::string Message::type_name() const {
  return type == kNone ? "<unresolved>" : model_->str(model_->messages[type].name);
}

const FieldDef* Message::field(uint32_t v) const {
  if (v >= values.size() || values[v].field == kNone) return nullptr;
  return &model_->fields[values[v].field];
}

std::vector<uint32_t> Message::children(uint32_t v) const {
  std::vector<uint32_t> out;
  uint32_t e = end(v);
  for (uint32_t c = v + 1; c < e; c = end(c)) out.push_back(c);
  return out;
}

uint32_t Message::child_named(uint32_t v, NameId name) const {
  uint32_t e = end(v);
  for (uint32_t c = v + 1; c < e; c = end(c)) {
    const Value& cv = values[c];
    if (cv.field == kNone) continue;
    if (model_->fields[cv.field].name == name) return c;
    if (transparent(*this, c)) {
      uint32_t hit = child_named(c, name);
      if (hit != kNone) return hit;
    }
  }
  return kNone;
}

uint32_t Message::resolve(uint32_t scope, NameId name, uint32_t before) const {
  for (uint32_t s = scope; s != kNone && s < values.size(); s = values[s].parent) {
    uint32_t e = end(s);
    if (before != kNone && before < e) e = before;
    uint32_t hit = kNone;
    for (uint32_t c = s + 1; c < e; c = end(c)) {
      const Value& cv = values[c];
      if (cv.field == kNone) continue;
      if (model_->fields[cv.field].name == name) {
        hit = c;  // the nearest earlier one wins: keep scanning
      } else if (transparent(*this, c)) {
        uint32_t inner = child_named(c, name);
        if (inner != kNone) hit = inner;
      }
    }
    if (hit != kNone) return hit;
  }
  return kNone;
}

uint32_t Message::find(std::string_view p) const {
  if (values.empty()) return kNone;
  uint32_t v = 0;
  while (!p.empty()) {
    size_t dot = p.find('.');
    std::string_view seg = p.substr(0, dot);
    p = dot == std::string_view::npos ? std::string_view() : p.substr(dot + 1);
    // name[i][j]...
    size_t br = seg.find('[');
    std::string_view name = seg.substr(0, br);
    if (!name.empty()) {
      NameId id = model_->names.find(name);
      if (id == kNone) return kNone;
      v = child_named(v, id);
      if (v == kNone) return kNone;
    }
    while (br != std::string_view::npos) {
      size_t close = seg.find(']', br);
      if (close == std::string_view::npos) return kNone;
      uint32_t index = 0;
      auto [ptr, ec] = std::from_chars(seg.data() + br + 1, seg.data() + close, index);
      if (ec != std::errc() || ptr != seg.data() + close) return kNone;
      auto items = children(v);
      uint32_t seen = 0, hit = kNone;
      for (uint32_t c : items) {
        if (values[c].field == kNone) continue;
        if (seen++ == index) {
          hit = c;
          break;
        }
      }
      if (hit == kNone) return kNone;
      v = hit;
      br = seg.find('[', close);
    }
  }
  return v;
}

std::optional<int64_t> Message::get(std::string_view p) const {
  uint32_t v = find(p);
  if (v == kNone) return std::nullopt;
  return static_cast<int64_t>(values[v].num);  // signed kinds are stored sign-extended
}

std::span<const uint8_t> Message::bytes(uint32_t v) const {
  const Value& val = values[v];
  if (val.data + static_cast<size_t>(val.len) > pool.size()) return {};
  return {pool.data() + val.data, val.len};
}

std::string Message::path(uint32_t v) const {
  std::vector<std::string> parts;
  for (uint32_t x = v; x != kNone && x < values.size(); x = values[x].parent) {
    const Value& val = values[x];
    if (val.field == kNone) {
      parts.push_back("<excess>");
      continue;
    }
    const FieldDef& f = model_->fields[val.field];
    if (f.name != kNone) {
      parts.push_back(model_->str(f.name));
      continue;
    }
    if (val.parent == kNone) break;
    const Value& p = values[val.parent];
    if (p.field != kNone && model_->type_of(p.field).kind == Kind::Array) {
      uint32_t index = 0;
      for (uint32_t c = val.parent + 1; c < x; c = end(c)) index += values[c].field != kNone;
      parts.push_back("[" + std::to_string(index) + "]");
    }
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (!out.empty() && (*it)[0] != '[') out += '.';
    out += *it;
  }
  return out;
}

size_t Message::broken(Strength s) const {
  size_t n = 0;
  for (const Issue& i : issues) n += model_->rules[i.rule].strength == s;
  return n;
}

uint32_t Message::append_pool(std::span<const uint8_t> data) {
  uint32_t at = static_cast<uint32_t>(pool.size());
  pool.insert(pool.end(), data.begin(), data.end());
  return at;
}

void Message::override_num(uint32_t v, int64_t num) {
  values[v].num = static_cast<uint64_t>(num);
  values[v].flags = static_cast<uint8_t>((values[v].flags | kOverridden) & ~kRaw);
}

void Message::override_bytes(uint32_t v, std::span<const uint8_t> data) {
  values[v].data = append_pool(data);
  values[v].len = static_cast<uint32_t>(data.size());
  values[v].flags = static_cast<uint8_t>(values[v].flags | kOverridden);
}

void Message::remove(uint32_t v) {
  uint32_t e = end(v);
  uint32_t n = e - v;
  values.erase(values.begin() + v, values.begin() + e);
  for (Value& x : values) {
    if (x.parent != kNone && x.parent >= e) x.parent -= n;
    if (x.next != kNone && x.next > v) x.next = x.next >= e ? x.next - n : v;
  }
  std::erase_if(issues, [&](const Issue& i) { return i.value != kNone && i.value >= v && i.value < e; });
  for (Issue& i : issues) {
    if (i.value != kNone && i.value >= e) i.value -= n;
  }
}

uint32_t Message::insert(uint32_t at, uint32_t parent, const Message& other, uint32_t from) {
  const uint32_t other_end = other.end(from);
  const uint32_t n = other_end - from;
  // Ancestors of the new subtree grow by n; everything at or after `at` moves by n.
  std::vector<char> ancestor(values.size(), 0);
  for (uint32_t p = parent; p != kNone; p = values[p].parent) ancestor[p] = 1;
  for (uint32_t i = 0; i < values.size(); ++i) {
    Value& x = values[i];
    if (x.parent != kNone && x.parent >= at) x.parent += n;
    if (x.next != kNone && (i >= at || ancestor[i])) x.next += n;
  }
  for (Issue& i : issues) {
    if (i.value != kNone && i.value >= at) i.value += n;
  }
  std::vector<Value> copy(other.values.begin() + from, other.values.begin() + other_end);
  for (uint32_t i = 0; i < copy.size(); ++i) {
    Value& c = copy[i];
    c.parent = i == 0 ? parent : c.parent - from + at;
    c.next = c.next == kNone ? kNone : c.next - from + at;
    if (c.len) c.data = append_pool(other.bytes(from + i));
  }
  values.insert(values.begin() + at, copy.begin(), copy.end());
  return at;
}

}  // namespace pc::model
