#include "core/model/env.hpp"

namespace pc::model {

std::pair<uint64_t, uint32_t> read_ber_tag(std::span<const uint8_t> in) {
  if (in.empty()) return {0, 0};
  uint64_t v = in[0];
  if ((in[0] & 0x1F) != 0x1F) return {v, 1};
  for (uint32_t i = 1; i < in.size() && i < 6; ++i) {
    v = (v << 8) | in[i];
    if ((in[i] & 0x80) == 0) return {v, i + 1};
  }
  return {0, 0};
}

int64_t value_number(const Message& msg, uint32_t v) {
  // signed kinds are stored sign-extended
  return static_cast<int64_t>(msg.values[v].num);
}

uint32_t InstanceEnv::lookup(const RefPath& path) const {
  const Message* m = &msg_;
  uint32_t v = kNone;
  size_t seg = 0;
  if (path.request) {
    if (!request_ || path.segments.empty() || request_->values.empty()) return kNone;
    m = request_;
    // first value with that name anywhere in the request, in pre-order
    for (uint32_t i = 0; i < m->values.size(); ++i) {
      const Value& x = m->values[i];
      if (x.field != kNone && m->model().fields[x.field].name == path.segments[0]) {
        v = i;
        break;
      }
    }
    seg = 1;
  } else {
    if (path.segments.empty()) return kNone;
    v = m->resolve(scope_, path.segments[0]);
    seg = 1;
  }
  for (; v != kNone && seg < path.segments.size(); ++seg) v = m->child_named(v, path.segments[seg]);
  if (v == kNone) return kNone;
  // The caller reads values of the message it got them from; a request reference is
  // only read through ref(), which handles it below.
  return v;
}

std::optional<int64_t> InstanceEnv::ref(const RefPath& path, Query query) const {
  const Message& m = path.request ? (request_ ? *request_ : msg_) : msg_;
  if (path.request && !request_) return std::nullopt;
  uint32_t v = lookup(path);
  if (query == Query::Present) return v != kNone;
  if (v == kNone) return std::nullopt;
  switch (query) {
    case Query::Value:
      return value_number(m, v);
    case Query::Len:
      if (!path.request && sizes_ && v < sizes_->size()) return (*sizes_)[v];
      return m.values[v].size;
    case Query::Count: {
      int64_t n = 0;
      for (uint32_t c : m.children(v)) n += m.values[c].field != kNone;
      return n;
    }
    default:
      return std::nullopt;
  }
}

std::optional<int64_t> InstanceEnv::peek(Op what) const {
  if (what == Op::HeaderSize) return header_size_ >= 0 ? std::optional<int64_t>(header_size_) : std::nullopt;
  if (!has_input_) return std::nullopt;
  switch (what) {
    case Op::Remaining:
      return static_cast<int64_t>(ahead_.size());
    case Op::PeekU8:
      if (ahead_.empty()) return std::nullopt;
      return ahead_[0];
    case Op::PeekU16:
      if (ahead_.size() < 2) return std::nullopt;
      return (ahead_[0] << 8) | ahead_[1];
    case Op::PeekBerTag: {
      auto [tag, n] = read_ber_tag(ahead_);
      if (n == 0) return std::nullopt;
      return static_cast<int64_t>(tag);
    }
    default:
      return std::nullopt;
  }
}

}  // namespace pc::model
