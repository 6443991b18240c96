// The loader's top-level sections other than types: reaction classes, framing and the
// session.
#include <fmt/format.h>

#include "core/model/loader_impl.hpp"

namespace pc::model::load {

void Loader::reactions_section(const YAML::Node& n) {
  if (!n.IsMap()) fail(n, "'reactions' is a mapping of name: {message, code}");
  for (const auto& kv : n) {
    std::string name = parse_str(kv.first, "reaction name");
    if (name == "silence" || name == "close" || name == "reset") fail(kv.first, fmt::format("'{}' is built in", name));
    allow_keys(kv.second, {"message", "code", "doc"}, "a reaction class");
    if (!kv.second["message"]) fail(kv.second, "a reaction class needs 'message' (the response type)");
    ReactionClass rc;
    rc.name = m_.names.intern(name);
    if (kv.second["code"]) rc.code_field = m_.names.intern(parse_str(kv.second["code"], "code"));
    m_.reactions.push_back(rc);
  }
  // message names are resolved once messages are known
  uint32_t i = 0;
  for (const auto& kv : n) {
    message_refs_.push_back({parse_str(kv.second["message"], "message"), kv.second["message"],
                             &m_.reactions[i++].message, 1});
  }
}

void Loader::framing_section(const YAML::Node& n) {
  Framing& fr = m_.framing;
  if (n.IsScalar()) {
    if (n.Scalar() != "datagram") fail(n, "framing is 'datagram' or a mapping with header and total");
    fr.datagram = true;
    return;
  }
  allow_keys(n, {"header", "total", "valid", "sync", "min", "max"}, "framing");
  if (!n["header"] || !n["total"]) fail(n, "framing needs 'header' (fields read first) and 'total' (the size)");
  YAML::Node wrapper(YAML::NodeType::Map);
  wrapper["fields"] = n["header"];
  TypeId t = reserve_type();
  struct_type(wrapper, t, "framing.header");
  fr.header = synthetic_field(t, kNone, pos_of(n["header"]));
  fr.total = expr(n["total"], "total");
  if (n["valid"]) fr.valid = expr(n["valid"], "valid");
  if (const YAML::Node& s = n["sync"]) {
    if (!s.IsSequence() || s.size() == 0 || s.size() > 8) fail(s, "sync is a list of 1..8 byte values");
    for (const auto& b : s) {
      int64_t v = parse_int(b, "sync byte");
      if (v < 0 || v > 255) fail(b, "a sync byte is 0..255");
      fr.sync.push_back(static_cast<uint8_t>(v));
    }
  }
  if (n["min"]) fr.min_size = static_cast<uint32_t>(std::max<int64_t>(1, parse_int(n["min"], "min")));
  if (n["max"]) {
    int64_t mx = parse_int(n["max"], "max");
    if (mx < 1 || mx > (64 << 20)) fail(n["max"], "max is 1..67108864");
    fr.max_size = static_cast<uint32_t>(mx);
  }
  if (fr.max_size < fr.min_size) fail(n, "framing: max is below min");
}

void Loader::session_section(const YAML::Node& n) {
  allow_keys(n, {"open", "unit", "counters", "extract", "side_effects", "probe", "discovery"}, "session");
  Session& s = m_.session;
  auto message_ref = [&](const YAML::Node& at, MessageId* slot, int dir) {
    message_refs_.push_back({parse_str(at, "message"), at, slot, dir});
  };
  auto field_name = [&](const YAML::Node& at) {
    std::string name = parse_str(at, "field");
    NameId id = m_.names.find(name);
    if (id == kNone || !field_names_.count(id)) fail(at, fmt::format("unknown field '{}'", name));
    return id;
  };
  if (const YAML::Node& o = n["open"]) {
    if (!o.IsSequence()) fail(o, "session.open is a list of message types");
    s.open.resize(o.size(), kNone);
    for (size_t i = 0; i < o.size(); ++i) message_ref(o[i], &s.open[i], 0);
  }
  if (n["unit"]) s.unit = field_name(n["unit"]);
  if (const YAML::Node& d = n["discovery"]) {
    allow_keys(d, {"ranges", "identify", "identity"}, "discovery");
    if (const YAML::Node& rs = d["ranges"]) {
      if (!rs.IsSequence()) fail(rs, "discovery.ranges is a list");
      s.discovery.ranges.resize(rs.size());
      for (size_t i = 0; i < rs.size(); ++i) {
        allow_keys(rs[i], {"message", "address", "count", "table", "max", "rule"}, "a discovery range");
        if (!rs[i]["message"] || !rs[i]["address"] || !rs[i]["table"]) {
          fail(rs[i], "a discovery range needs 'message', 'address' and 'table'");
        }
        message_ref(rs[i]["message"], &s.discovery.ranges[i].message, 0);
        s.discovery.ranges[i].address = parse_str(rs[i]["address"], "address");
        if (rs[i]["count"]) s.discovery.ranges[i].count = parse_str(rs[i]["count"], "count");
        s.discovery.ranges[i].table = parse_str(rs[i]["table"], "table");
        if (rs[i]["max"]) s.discovery.ranges[i].max = parse_int(rs[i]["max"], "max");
        if (const YAML::Node& rn = rs[i]["rule"]) {
          // a rule about the device's own data map: addresses outside it must be refused
          allow_keys(rn, {"clause", "strength", "reactions", "doc"}, "a discovery rule");
          Rule r;
          r.kind = Rule::Kind::Expr;
          r.id = "discovered." + s.discovery.ranges[i].table + ".range";
          r.clause = rn["clause"] ? parse_str(rn["clause"], "clause") : "device data map";
          if (rn["strength"]) {
            std::string sv = parse_str(rn["strength"], "strength");
            r.strength = sv == "SHOULD" ? Strength::Should : sv == "convention" ? Strength::Convention : Strength::Must;
          }
          if (rn["reactions"]) r.reactions = reactions(rn["reactions"]);
          r.doc = rn["doc"] ? parse_str(rn["doc"], "doc") : "addresses outside the mapped table are refused";
          r.pos = pos_of(rn);
          s.discovery.ranges[i].rule = add_rule(std::move(r));
        }
      }
    }
    if (const YAML::Node& id = d["identify"]) {
      if (!id.IsSequence()) fail(id, "discovery.identify is a list of message types");
      s.discovery.identify.resize(id.size(), kNone);
      for (size_t i = 0; i < id.size(); ++i) message_ref(id[i], &s.discovery.identify[i], 0);
    }
    if (const YAML::Node& idn = d["identity"]) {
      if (!idn.IsMap()) fail(idn, "discovery.identity maps vendor, product, firmware or model to an enum name");
      allow_keys(idn, {"vendor", "product", "firmware", "model"}, "discovery.identity");
      for (const auto& kv : idn) {
        s.discovery.identity[kv.first.as<std::string>()] = parse_str(kv.second, "discovery.identity");
      }
    }
  }
  if (const YAML::Node& c = n["counters"]) {
    if (!c.IsSequence()) fail(c, "session.counters is a list");
    for (const auto& e : c) {
      allow_keys(e, {"field", "start", "step", "modulo"}, "a counter");
      Session::Counter k;
      k.field = field_name(e["field"]);
      if (e["start"]) k.start = parse_int(e["start"], "start");
      if (e["step"]) k.step = parse_int(e["step"], "step");
      if (e["modulo"]) k.modulo = parse_int(e["modulo"], "modulo");
      s.counters.push_back(k);
    }
  }
  if (const YAML::Node& x = n["extract"]) {
    if (!x.IsSequence()) fail(x, "session.extract is a list");
    s.extract.resize(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
      allow_keys(x[i], {"from", "to", "message"}, "an extract");
      s.extract[i].from = field_name(x[i]["from"]);
      s.extract[i].to = field_name(x[i]["to"]);
      if (x[i]["message"]) message_ref(x[i]["message"], &s.extract[i].message, 1);
    }
  }
  if (const YAML::Node& se = n["side_effects"]) {
    if (!se.IsSequence()) fail(se, "session.side_effects is a list");
    s.side_effects.resize(se.size());
    for (size_t i = 0; i < se.size(); ++i) {
      allow_keys(se[i], {"message", "undo", "silent", "doc"}, "a side effect");
      if (se[i]["silent"]) s.side_effects[i].silent = parse_bool(se[i]["silent"], "silent");
      if (!se[i]["message"] || !se[i]["undo"]) fail(se[i], "a side effect needs 'message' and 'undo'");
      message_ref(se[i]["message"], &s.side_effects[i].message, 0);
      message_ref(se[i]["undo"], &s.side_effects[i].undo, 0);
      if (se[i]["doc"]) s.side_effects[i].doc = parse_str(se[i]["doc"], "doc");
    }
  }
  if (const YAML::Node& p = n["probe"]) {
    allow_keys(p, {"message", "set", "expect"}, "probe");
    if (!p["message"]) fail(p, "the probe needs 'message'");
    message_ref(p["message"], &s.probe.message, 0);
    if (p["expect"]) message_ref(p["expect"], &s.probe.expect, 1);
    if (const YAML::Node& set = p["set"]) {
      if (!set.IsMap()) fail(set, "probe.set is a mapping of field path: value");
      for (const auto& kv : set) s.probe.set.push_back({parse_str(kv.first, "path"), parse_int(kv.second, "value")});
    }
  }
}

}  // namespace pc::model::load
