#include "core/campaign/discovery.hpp"

#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/printer.hpp"

namespace pc::campaign {

using model::Message;

nlohmann::json DiscoveryResult::to_json() const {
  nlohmann::json r = nlohmann::json::object();
  for (const auto& [t, rg] : ranges) r[t] = {{"first", rg.first}, {"last", rg.second}};
  return {{"supported", supported}, {"ranges", r}, {"identity", identity}, {"said", said}, {"requests", requests}};
}

namespace {

// The items of an identify answer that the model's discovery.identity names: an item whose
// enum-valued field has one of those names gives the text of its text field.
void read_said(const model::Model& model, const Message& answer, std::map<std::string, std::string>& said) {
  const auto& wanted = model.session.discovery.identity;
  if (wanted.empty()) return;
  for (uint32_t v = 0; v < answer.values.size(); ++v) {
    const model::FieldDef* f = answer.field(v);
    if (!f || f->enums.empty()) continue;
    std::string label;
    for (const auto& e : f->enums) {
      if (e.value == static_cast<int64_t>(answer.values[v].num)) label = model.str(e.name);
    }
    for (const auto& [part, name] : wanted) {
      if (name != label) continue;
      const uint32_t parent = answer.values[v].parent;
      for (uint32_t w = 0; w < answer.values.size(); ++w) {
        const model::FieldDef* g = answer.field(w);
        if (w == v || answer.values[w].parent != parent || !g) continue;
        if (model.types[g->type].kind != model::Kind::Text) continue;
        auto b = answer.bytes(w);
        said[part] = std::string(b.begin(), b.end());
      }
    }
  }
}

class Asker {
 public:
  Asker(const model::Model& m, Executor& ex, const Safety& safety, uint64_t index_base)
      : m_(m), ex_(ex), safety_(safety), index_(index_base) {}

  // Sends one message; the answer's view (Silence when excluded).
  oracle::AnswerView ask(Message msg, uint32_t& requests, Message* answer = nullptr) {
    generate::TestCase c;
    c.id = {generate::Phase::Discovery, index_++};
    generate::Step s;
    s.message = msg.type;
    s.bytes = model::encode(msg);
    c.steps.push_back(s);
    if (!safety_.check(c).empty()) return {};
    ++requests;
    oracle::CaseResult r = ex_.run(c);
    if (answer && !ex_.raw().empty() && ex_.raw()[0].outcome == transport::Outcome::Answer) {
      *answer = model::decode(m_, model::Direction::Response, ex_.raw()[0].bytes);
    }
    return r.answers.empty() ? oracle::AnswerView{} : r.answers[0];
  }

  bool readable(const model::Session::Range& r, int64_t address, uint32_t& requests) {
    Message msg = model::build(m_, r.message);
    if (!msg.set(r.address, address)) return false;
    if (!r.count.empty()) msg.set(r.count, 1);
    return ask(std::move(msg), requests).reaction == oracle::Reaction::Normal;
  }

 private:
  const model::Model& m_;
  Executor& ex_;
  const Safety& safety_;
  uint64_t index_;
};

}  // namespace

DiscoveryResult discover(const model::Model& model, Executor& ex, const Safety& safety, uint64_t seed) {
  DiscoveryResult out;
  Asker asker(model, ex, safety, seed << 20);
  // which request types the device answers with their defaults
  for (model::MessageId id = 0; id < model.messages.size(); ++id) {
    const auto& md = model.messages[id];
    if (md.direction != model::Direction::Request || md.writes) continue;
    bool side_effect = false;
    for (const auto& se : model.session.side_effects) side_effect |= se.message == id || se.undo == id;
    if (side_effect) continue;
    oracle::AnswerView a = asker.ask(model::build(model, id), out.requests);
    out.supported[model.str(md.name)] = reaction_text(model, a);
  }
  // the first readable block of each table: find an address that answers, then its edges
  for (const auto& r : model.session.discovery.ranges) {
    std::vector<int64_t> candidates = {0, 1};
    for (int64_t a = 8; a <= r.max; a *= 2) candidates.push_back(a);
    for (int64_t a : {100, 1000, 3000, 4000, 10000, 30000, 40000}) {
      if (a <= r.max) candidates.push_back(a);
    }
    int64_t hit = -1;
    for (int64_t a : candidates) {
      if (asker.readable(r, a, out.requests)) {
        hit = a;
        break;
      }
    }
    if (hit < 0) continue;
    // last readable address: grow, then bisect
    int64_t lo = hit, step = 1, hi = -1;
    while (lo + step <= r.max) {
      if (asker.readable(r, lo + step, out.requests)) {
        lo += step;
        step *= 2;
      } else {
        hi = lo + step;
        break;
      }
    }
    int64_t last = lo;
    if (hi > 0) {
      while (last + 1 < hi) {
        int64_t mid = (last + hi) / 2;
        if (asker.readable(r, mid, out.requests)) last = mid; else hi = mid;
      }
    }
    // first readable address: bisect below the hit
    int64_t first = hit, below = -1;
    if (hit > 0) {
      below = 0;
      if (asker.readable(r, 0, out.requests)) first = 0;
      else {
        while (below + 1 < first) {
          int64_t mid = (below + first) / 2;
          if (asker.readable(r, mid, out.requests)) first = mid; else below = mid;
        }
      }
    }
    out.ranges[r.table] = {first, last};
  }
  // what the device says of itself
  for (model::MessageId id : model.session.discovery.identify) {
    Message answer(model);
    oracle::AnswerView a = asker.ask(model::build(model, id), out.requests, &answer);
    if (a.reaction != oracle::Reaction::Normal) continue;
    nlohmann::json fields = nlohmann::json::object();
    for (uint32_t v = 0; v < answer.values.size(); ++v) {
      const auto* f = answer.field(v);
      if (!f || f->name == model::kNone) continue;
      auto k = model.types[f->type].kind;
      if (k == model::Kind::Struct || k == model::Kind::Array || k == model::Kind::Switch) continue;
      std::string key = answer.path(v);
      // a named value of an object list: "objects[0].value" keyed by its id's enum name
      fields[key] = model::format_value(answer, v);
    }
    out.identity[model.str(model.messages[id].name)] = fields;
    read_said(model, answer, out.said);
  }
  return out;
}

oracle::DataMap DiscoveryResult::data_map(const model::Model& model) const {
  oracle::DataMap map;
  for (const auto& r : model.session.discovery.ranges) {
    auto it = ranges.find(r.table);
    if (it == ranges.end()) continue;
    map.tables[r.table] = {it->second.first, it->second.second, r.rule};
  }
  return map;
}

void DiscoveryResult::add_edge_slots(const model::Model& model, generate::Catalog& catalog, uint32_t cap) const {
  using generate::Variant;
  for (model::MessageId id : catalog.messages()) {
    const auto& md = model.messages[id];
    if (md.table.empty() || md.access_address.empty()) continue;
    auto it = ranges.find(md.table);
    if (it == ranges.end()) continue;
    const int64_t first = it->second.first, last = it->second.second;
    std::vector<Variant> vars;
    auto set = [&](std::vector<std::pair<std::string, int64_t>> sets) {
      Variant v;
      v.op = Variant::Op::SetMany;
      v.sets = std::move(sets);
      vars.push_back(std::move(v));
    };
    set({{md.access_address, last + 1}});
    if (!md.access_count.empty()) {
      // start inside, end outside: the count's own largest valid value, then 2
      int64_t widest = 2;
      const Message& def = catalog.default_message(id);
      uint32_t cv = def.find(md.access_count);
      if (cv != model::kNone) {
        for (model::RuleId rid : model.fields[def.values[cv].field].rules) {
          if (model.rules[rid].kind == model::Rule::Kind::Range) widest = model.rules[rid].hi;
        }
      }
      set({{md.access_address, last}, {md.access_count, widest}});
      set({{md.access_address, last}, {md.access_count, 2}});
    }
    if (first > 0) set({{md.access_address, first - 1}});
    catalog.add_extra(id, md.access_address, generate::MutationClass::OutOfRange, std::move(vars), std::max<uint32_t>(cap, 4));
  }
}

std::map<model::MessageId, Message> DiscoveryResult::defaults(const model::Model& model, const Safety& safety) const {
  std::map<model::MessageId, Message> out;
  auto adjust = [&](model::MessageId id, const std::string& address, const std::string& table) {
    auto it = ranges.find(table);
    if (it == ranges.end() || address.empty()) return;
    Message m = out.count(id) ? out.at(id) : model::build(model, id);
    if (!m.set(address, it->second.first)) return;
    if (!safety.check_message(m).empty()) return;  // keep the default where writes are not allowed
    out.insert_or_assign(id, std::move(m));
  };
  for (const auto& r : model.session.discovery.ranges) adjust(r.message, r.address, r.table);
  for (model::MessageId id = 0; id < model.messages.size(); ++id) {
    const auto& md = model.messages[id];
    if (md.writes) adjust(id, md.write_address, md.table);
  }
  return out;
}

}  // namespace pc::campaign
