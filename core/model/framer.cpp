#include "core/model/framer.hpp"

#include <algorithm>

#include "core/model/decoder.hpp"
#include "core/model/env.hpp"

namespace pc::model {

Framer::Cut Framer::junk(std::span<const uint8_t> data) const {
  const auto& sync = model_.framing.sync;
  if (sync.empty()) return {Cut::Kind::Junk, 0};
  // the next position where the sync bytes (or the start of them, at the end) begin
  for (size_t p = 1; p < data.size(); ++p) {
    size_t n = std::min(sync.size(), data.size() - p);
    if (std::equal(sync.begin(), sync.begin() + static_cast<long>(n), data.begin() + static_cast<long>(p))) {
      return {Cut::Kind::Junk, static_cast<uint32_t>(p)};
    }
  }
  return {Cut::Kind::Junk, static_cast<uint32_t>(data.size())};
}

Framer::Cut Framer::next(std::span<const uint8_t> data) {
  const Framing& f = model_.framing;
  if (data.empty()) return {Cut::Kind::NeedMore, 0};
  if (f.datagram) return {Cut::Kind::Message, static_cast<uint32_t>(data.size())};
  if (!f.sync.empty()) {
    size_t n = std::min(f.sync.size(), data.size());
    if (!std::equal(f.sync.begin(), f.sync.begin() + static_cast<long>(n), data.begin())) return junk(data);
    if (n < f.sync.size()) return {Cut::Kind::NeedMore, 0};
  }
  uint32_t consumed = 0;
  if (!decode_struct_prefix(model_, f.header, data, header_, consumed)) {
    bool short_read = std::any_of(header_.issues.begin(), header_.issues.end(),
                                  [&](const Issue& i) { return i.rule == model_.builtin.truncated; });
    return short_read ? Cut{Cut::Kind::NeedMore, 0} : junk(data);
  }
  InstanceEnv env(header_, 0);
  env.set_header_size(consumed);
  if (f.valid != kNone) {
    auto ok = eval(model_.exprs[f.valid], env);
    if (!ok || *ok == 0) return junk(data);
  }
  auto total = eval(model_.exprs[f.total], env);
  if (!total || *total < static_cast<int64_t>(f.min_size) || *total > static_cast<int64_t>(f.max_size) ||
      *total < static_cast<int64_t>(consumed)) {
    return junk(data);
  }
  if (static_cast<uint64_t>(*total) > data.size()) return {Cut::Kind::NeedMore, 0};
  return {Cut::Kind::Message, static_cast<uint32_t>(*total)};
}

}  // namespace pc::model
