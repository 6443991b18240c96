#include "core/oracle/answer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/model/decoder.hpp"
#include "core/model/rules.hpp"

namespace pc::oracle {

using model::Message;

const char* to_string(Reaction r) {
  switch (r) {
    case Reaction::Normal: return "normal";
    case Reaction::Refusal: return "refusal";
    case Reaction::Silence: return "silence";
    case Reaction::Close: return "close";
    case Reaction::Reset: return "reset";
    case Reaction::Refused: return "refused";
    case Reaction::Unframed: return "unframed";
    case Reaction::Error: return "error";
  }
  return "?";
}

namespace {

uint64_t mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h;
}

uint64_t hash_text(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

unsigned length_bucket(uint32_t n) {
  unsigned b = 0;
  while (n > 0) {
    n >>= 1;
    ++b;
  }
  return b;
}

}  // namespace

AnswerView classify_answer(const model::Model& model, const Message* request, const transport::Received& rx) {
  AnswerView a;
  a.length = static_cast<uint32_t>(rx.bytes.size());
  a.latency_us = rx.latency_us;
  switch (rx.outcome) {
    case transport::Outcome::Answer: break;
    case transport::Outcome::Unframed: a.reaction = Reaction::Unframed; break;
    case transport::Outcome::Silence: a.reaction = Reaction::Silence; break;
    case transport::Outcome::Closed: a.reaction = Reaction::Close; break;
    case transport::Outcome::Reset: a.reaction = Reaction::Reset; break;
    case transport::Outcome::Refused: a.reaction = Reaction::Refused; break;
    case transport::Outcome::Error: a.reaction = Reaction::Error; break;
  }
  if (rx.outcome == transport::Outcome::Answer) {
    Message ans = model::decode(model, model::Direction::Response, rx.bytes);
    a.type = ans.type;
    a.reaction = Reaction::Normal;
    for (uint32_t i = 0; i < model.reactions.size(); ++i) {
      const auto& rc = model.reactions[i];
      if (rc.message == ans.type && ans.type != model::kNone) {
        a.reaction = Reaction::Refusal;
        a.reaction_class = i;
        uint32_t v = rc.code_field == model::kNone ? model::kNone : ans.child_named(0, rc.code_field);
        if (v == model::kNone && rc.code_field != model::kNone) {
          for (uint32_t k = 0; k < ans.values.size(); ++k) {
            const auto* f = ans.field(k);
            if (f && f->name == rc.code_field) v = k;
          }
        }
        if (v != model::kNone) a.code = static_cast<int64_t>(ans.values[v].num);
      }
    }
    if (!ans.resolved()) a.reaction = Reaction::Unframed;
    for (const auto& i : ans.issues) a.broken.push_back(model.rules[i.rule].id);
    if (request) {
      for (const auto& i : model::check_pair(*request, ans)) {
        const model::Rule& r = model.rules[i.rule];
        a.broken.push_back(r.id);
        if (r.field == model::kNone) continue;
        const model::FieldDef& f = model.fields[r.field];
        // a counter that does not echo: this answer belongs to an earlier request
        for (const auto& c : model.session.counters) {
          if (f.name == c.field) a.stale = true;
        }
        // a length or count larger than the request asked for
        if (f.relation != model::kNone && i.actual > i.expected) {
          auto k = model.relations[f.relation].kind;
          if (k == model::Relation::Kind::LengthOf || k == model::Relation::Kind::CountOf) {
            a.says_too_much = true;
            a.too_much_rule = r.id;
          }
        }
      }
    }
    // bytes after the last field that are not all zero: content nobody asked for
    for (uint32_t v = 0; v < ans.values.size(); ++v) {
      if (!(ans.values[v].flags & model::kExcess)) continue;
      auto b = ans.bytes(v);
      if (std::any_of(b.begin(), b.end(), [](uint8_t x) { return x != 0; }) && a.reaction == Reaction::Normal) {
        a.says_too_much = true;
        if (a.too_much_rule.empty()) a.too_much_rule = "structure.trailing";
      }
    }
    std::sort(a.broken.begin(), a.broken.end());
  }
  uint64_t h = mix(0, static_cast<uint64_t>(a.reaction));
  h = mix(h, a.type);
  h = mix(h, static_cast<uint64_t>(a.code));
  for (const auto& b : a.broken) h = mix(h, hash_text(b));
  h = mix(h, length_bucket(a.length));
  a.signature = h;
  return a;
}

std::string reaction_text(const model::Model& model, const AnswerView& a) {
  switch (a.reaction) {
    case Reaction::Normal:
      return a.type == model::kNone ? "normal" : "normal " + model.str(model.messages[a.type].name);
    case Reaction::Refusal: {
      std::string name = model.str(model.reactions[a.reaction_class].name);
      return a.code >= 0 ? fmt::format("{}({})", name, a.code) : name;
    }
    default:
      return to_string(a.reaction);
  }
}

std::string AnswerView::text() const { return to_string(reaction); }

bool reaction_allowed(const model::Model& model, const model::Rule& rule, const AnswerView& a) {
  (void)model;
  if (a.reaction == Reaction::Normal || a.reaction == Reaction::Error) return false;
  if (rule.reactions.empty()) return true;
  for (const auto& r : rule.reactions) {
    switch (r.kind) {
      case model::Reaction::Kind::Silence:
        if (a.reaction == Reaction::Silence) return true;
        break;
      case model::Reaction::Kind::Close:
        if (a.reaction == Reaction::Close) return true;
        break;
      case model::Reaction::Kind::Reset:
        if (a.reaction == Reaction::Reset) return true;
        break;
      case model::Reaction::Kind::Named:
        if (a.reaction == Reaction::Refusal && a.reaction_class == r.named && (r.any_code || r.code == a.code)) {
          return true;
        }
        break;
    }
  }
  return false;
}

}  // namespace pc::oracle
