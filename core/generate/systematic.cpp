#include "core/generate/systematic.hpp"

#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"

namespace pc::generate {

using model::Message;

Counters::Counters(const model::Model& model) : fields_(model.session.counters) {}

int64_t Counters::value(size_t c, uint64_t index, uint32_t step) const {
  const auto& k = fields_[c];
  __int128 v = static_cast<__int128>(k.start) + static_cast<__int128>(index * 8 + step) * k.step;
  if (k.modulo > 0) {
    v %= k.modulo;
    if (v < 0) v += k.modulo;
  }
  return static_cast<int64_t>(v);
}

void Counters::apply(Message& msg, uint64_t index, uint32_t step, uint32_t except) const {
  for (size_t c = 0; c < fields_.size(); ++c) {
    for (uint32_t v = 0; v < msg.values.size(); ++v) {
      const auto* f = msg.field(v);
      if (f && f->name == fields_[c].field && v != except) {
        msg.set(v, value(c, index, step));  // a consistent edit: checks and containers follow
        break;
      }
    }
  }
}

Systematic::Systematic(const Catalog& catalog, const Counters& counters) : catalog_(catalog), counters_(counters) {
  const model::Model& m = catalog.model();
  for (model::MessageId id : catalog.messages()) {
    Message def = catalog.default_message(id);
    (void)model::encode(def);
    auto off = encoded_offsets(def);
    std::vector<CounterAt> at;
    for (const auto& k : m.session.counters) {
      CounterAt c;
      for (uint32_t v = 0; v < def.values.size(); ++v) {
        const auto* f = def.field(v);
        if (!f || f->name != k.field) continue;
        const auto& t = m.types[f->type];
        if ((t.kind == model::Kind::Uint || t.kind == model::Kind::Sint) && t.size > 0) {
          c.offset = static_cast<int32_t>(off[v]);
          c.width = t.size;
          c.big_endian = t.endian == model::Endian::Big;
        }
        c.value = v;
        break;
      }
      if (c.value != model::kNone && c.offset < 0) slow_counters_.insert(id);
      at.push_back(c);
    }
    counter_at_[id] = at;
  }
}

void Systematic::write_counters(model::MessageId m, const Slot& s, uint32_t variant, uint64_t index,
                                std::vector<uint8_t>& out) const {
  const auto& at = counter_at_.at(m);
  const FastPatch& p = s.fast[variant];
  for (size_t c = 0; c < at.size(); ++c) {
    const CounterAt& k = at[c];
    if (k.offset < 0 || k.value == s.value) continue;
    if (static_cast<size_t>(k.offset) + k.width > out.size()) continue;
    if (p.cut >= 0 && k.offset + k.width > p.cut) continue;
    uint64_t x = static_cast<uint64_t>(counters_.value(c, index, 0));
    for (uint8_t i = 0; i < k.width; ++i) {
      out[static_cast<size_t>(k.offset) + i] = static_cast<uint8_t>(x >> (k.big_endian ? 8 * (k.width - 1 - i) : 8 * i));
    }
  }
}

void Systematic::bytes(uint64_t index, std::vector<uint8_t>& out) const {
  uint32_t variant = 0;
  const Slot& s = catalog_.locate(index, variant);
  const FastPatch& p = s.fast[variant];
  const std::vector<uint8_t>& def = catalog_.default_bytes(s.message);
  if (slow_counters_.count(s.message)) {
    Message msg = catalog_.default_message(s.message);
    counters_.apply(msg, index, 0, s.value);
    out = apply_variant(msg, s.value, s.variants[variant]);
    return;
  }
  if (p.offset >= 0) {
    out.assign(def.begin(), def.end());
    uint64_t container = 0;
    uint8_t* at = out.data() + p.offset;
    for (uint8_t i = 0; i < p.width; ++i) container |= static_cast<uint64_t>(at[i]) << (p.big_endian ? 8 * (p.width - 1 - i) : 8 * i);
    container = (container & ~p.mask) | ((p.value << p.shift) & p.mask);
    for (uint8_t i = 0; i < p.width; ++i) at[i] = static_cast<uint8_t>(container >> (p.big_endian ? 8 * (p.width - 1 - i) : 8 * i));
  } else if (p.cut >= 0) {
    out.assign(def.begin(), def.begin() + p.cut);
  } else if (p.append > 0) {
    out.assign(def.begin(), def.end());
    out.insert(out.end(), p.append, p.fill);
  } else {
    Message msg = catalog_.default_message(s.message);
    counters_.apply(msg, index, 0, s.value);
    out = apply_variant(msg, s.value, s.variants[variant]);
    return;
  }
  write_counters(s.message, s, variant, index, out);
}

std::vector<uint8_t> Systematic::plain(model::MessageId message, uint64_t index, uint32_t step,
                                       const std::vector<std::pair<std::string, int64_t>>& sets) const {
  Message msg = catalog_.default_message(message);
  for (const auto& [path, value] : sets) {
    uint32_t v = msg.find(path);
    if (v != model::kNone) msg.set(v, value);
  }
  counters_.apply(msg, index, step);
  return model::encode(msg);
}

void Systematic::generate(uint64_t index, TestCase& out) const {
  uint32_t variant = 0;
  const Slot& s = catalog_.locate(index, variant);
  const model::Model& m = catalog_.model();
  out = TestCase{};
  out.id = {Phase::Systematic, index};
  out.message = s.message;
  out.field = s.path;
  out.mutation = s.mutation;
  out.recipe = (s.path.empty() ? std::string("message") : s.path) + ":" + s.variants[variant].text();
  Step step;
  step.message = s.message;
  bytes(index, step.bytes);
  // a message the model says changes the device's state: undo it afterwards. A valid one
  // puts the device in the state (silent, if the model says so); an invalid one should be
  // refused, so the undo may be answered or not.
  for (const auto& se : m.session.side_effects) {
    if (se.message != s.message) continue;
    step.side_effect = true;
    if (se.silent) {
      // a side effect exactly as the model describes it silences the device; anything
      // else may be refused, or taken
      model::Message sent = model::decode(m, model::Direction::Request, step.bytes);
      step.expect = sent.type == s.message && sent.issues.empty() ? Expect::Silence : Expect::Either;
    }
    Step undo;
    undo.message = se.undo;
    undo.bytes = plain(se.undo, index, 1);
    undo.expect = se.silent ? Expect::Either : Expect::Answer;
    out.undo.push_back(std::move(undo));
  }
  out.steps.push_back(std::move(step));
}

}  // namespace pc::generate
