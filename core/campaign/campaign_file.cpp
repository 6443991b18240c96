#include "core/campaign/campaign_file.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace pc::campaign {

bool parse_duration(const std::string& text, std::chrono::seconds& out) {
  static const std::regex part(R"((\d+)\s*(h|m|s|ms)?)");
  int64_t total = 0;
  size_t pos = 0;
  bool any = false;
  auto it = std::sregex_iterator(text.begin(), text.end(), part);
  for (; it != std::sregex_iterator(); ++it) {
    if (static_cast<size_t>(it->position()) != pos) return false;
    int64_t n = std::stoll((*it)[1]);
    std::string unit = (*it)[2];
    total += unit == "h" ? n * 3600 : unit == "m" ? n * 60 : unit == "ms" ? n / 1000 : n;
    pos += static_cast<size_t>(it->length());
    any = true;
  }
  if (!any || pos != text.size()) return false;
  out = std::chrono::seconds(total);
  return true;
}

bool parse_ranges(const std::string& text, std::vector<AddressRange>& out) {
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    static const std::regex r(R"(\s*(\d+)\s*(?:-\s*(\d+))?\s*)");
    std::smatch m;
    if (!std::regex_match(item, m, r)) return false;
    AddressRange a;
    a.first = std::stoll(m[1]);
    a.last = m[2].matched ? std::stoll(m[2]) : a.first;
    if (a.last < a.first) return false;
    out.push_back(a);
  }
  return !out.empty();
}

bool parse_exclusion(const std::string& text, Exclusion& out) {
  static const std::regex r(R"(([a-z0-9_]+)(?:\.([a-z0-9_.\[\]]+)(?:=(-?\d+|0x[0-9a-fA-F]+))?)?)");
  std::smatch m;
  if (!std::regex_match(text, m, r)) return false;
  out.message = m[1];
  out.field = m[2];
  if (m[3].matched) out.equals = std::stoll(m[3], nullptr, 0);
  return true;
}

namespace {

struct Reader {
  const std::string& name;
  std::string error;
  bool fail(const YAML::Node& n, const std::string& what) {
    if (error.empty()) {
      error = n.Mark().is_null() ? fmt::format("{}: {}", name, what)
                                 : fmt::format("{}:{}:{}: {}", name, n.Mark().line + 1, n.Mark().column + 1, what);
    }
    return false;
  }
  bool keys(const YAML::Node& map, std::initializer_list<const char*> allowed, const char* what) {
    if (!map.IsMap()) return fail(map, fmt::format("{} must be a mapping", what));
    for (const auto& kv : map) {
      std::string k = kv.first.as<std::string>("");
      bool ok = false;
      for (const char* a : allowed) ok = ok || k == a;
      if (!ok) return fail(kv.first, fmt::format("unknown key '{}' in {}", k, what));
    }
    return true;
  }
};

}  // namespace

bool load_campaign_text(const std::string& text, const std::string& name, Options& o, std::string& error) {
  Reader rd{name, ""};
  try {
    YAML::Node doc = YAML::Load(text);
    if (!rd.keys(doc, {"target", "target_name", "allow_remote", "model", "profile", "sl", "seed", "budget", "cases",
                       "phases", "seed_pcap", "seed_pcap_port", "rate", "connections", "probe_every", "thresholds",
                       "safety", "target_cmd", "target_ready", "reset_cmd", "hooks", "project", "out", "confirm",
                       "capture", "identity", "scope"},
                 "a campaign file")) {
      error = rd.error;
      return false;
    }
    auto str = [&](const char* k, std::string& v) {
      if (doc[k]) v = doc[k].as<std::string>();
    };
    str("target", o.target);
    str("target_name", o.target_name);
    str("model", o.model);
    str("profile", o.profile);
    str("seed_pcap", o.seed_pcap);
    str("target_cmd", o.target_cmd);
    str("target_ready", o.target_ready);
    str("reset_cmd", o.reset_cmd);
    str("project", o.project);
    str("out", o.out);
    if (doc["allow_remote"]) o.allow_remote = doc["allow_remote"].as<bool>();
    if (doc["capture"]) o.capture = doc["capture"].as<bool>();
    if (doc["sl"]) {
      int sl = doc["sl"].as<int>();
      if (sl < 1 || sl > 4) return rd.fail(doc["sl"], "sl is 1 to 4"), error = rd.error, false;
      o.profile = fmt::format("sl{}", sl);
    }
    if (doc["seed"]) o.seed = doc["seed"].as<uint64_t>();
    if (doc["cases"]) o.cases = doc["cases"].as<uint64_t>();
    if (doc["budget"]) {
      std::chrono::seconds b;
      if (!parse_duration(doc["budget"].as<std::string>(), b)) {
        rd.fail(doc["budget"], "budget is a duration like 90s, 5m or 1h30m");
        error = rd.error;
        return false;
      }
      o.budget = b;
    }
    if (const auto& id = doc["identity"]) {
      if (!rd.keys(id, {"component_type", "vendor", "product", "firmware"}, "identity")) {
        error = rd.error;
        return false;
      }
      auto idstr = [&](const char* k, std::string& v) {
        if (id[k]) v = id[k].as<std::string>();
      };
      idstr("component_type", o.scope.component_type);
      idstr("vendor", o.scope.vendor);
      idstr("product", o.scope.product);
      idstr("firmware", o.scope.firmware);
      if (!o.scope.component_type.empty() && !valid_component_type(o.scope.component_type)) {
        rd.fail(id["component_type"], std::string("component_type is one of ") + kComponentTypes);
        error = rd.error;
        return false;
      }
    }
    if (const auto& sc = doc["scope"]) {
      if (!rd.keys(sc, {"tester", "independence", "target_sl", "not_applicable"}, "scope")) {
        error = rd.error;
        return false;
      }
      if (sc["tester"]) o.scope.tester = sc["tester"].as<std::string>();
      if (sc["independence"]) o.scope.independence = sc["independence"].as<std::string>();
      if (sc["target_sl"]) {
        o.scope.target_sl = sc["target_sl"].as<int>();
        if (o.scope.target_sl < 1 || o.scope.target_sl > 4) {
          rd.fail(sc["target_sl"], "target_sl is 1 to 4");
          error = rd.error;
          return false;
        }
      }
      if (const auto& na = sc["not_applicable"]) {
        for (const auto& kv : na) o.scope.not_applicable.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
      }
    }
    if (doc["phases"]) o.phases = doc["phases"].as<std::vector<std::string>>();
    if (doc["seed_pcap_port"]) o.seed_pcap_port = doc["seed_pcap_port"].as<uint16_t>();
    if (doc["rate"]) o.rate = doc["rate"].as<double>();
    if (doc["connections"]) o.connections = doc["connections"].as<uint32_t>();
    if (doc["probe_every"]) o.probe_every = std::max<uint32_t>(1, doc["probe_every"].as<uint32_t>());
    if (doc["confirm"]) o.confirm = doc["confirm"].as<uint32_t>();
    if (const auto& t = doc["thresholds"]) {
      if (!rd.keys(t, {"latency_factor", "min_deadline_ms", "max_latency_ms", "max_misses_in_row", "min_success_ratio",
                       "recovery_window_ms"},
                   "thresholds")) {
        error = rd.error;
        return false;
      }
      auto ms = [&](const char* k, std::chrono::milliseconds& v) {
        if (t[k]) v = std::chrono::milliseconds(t[k].as<int64_t>());
      };
      if (t["latency_factor"]) o.thresholds.latency_factor = t["latency_factor"].as<double>();
      ms("min_deadline_ms", o.thresholds.min_deadline);
      ms("max_latency_ms", o.thresholds.max_latency);
      ms("recovery_window_ms", o.thresholds.recovery_window);
      if (t["max_misses_in_row"]) o.thresholds.max_misses_in_row = t["max_misses_in_row"].as<uint32_t>();
      if (t["min_success_ratio"]) o.thresholds.min_success_ratio = t["min_success_ratio"].as<double>();
    }
    if (const auto& s = doc["safety"]) {
      if (!rd.keys(s, {"read_only", "writable", "unit_ids", "exclude", "dry_run"}, "safety")) {
        error = rd.error;
        return false;
      }
      if (s["read_only"]) o.read_only = s["read_only"].as<bool>();
      if (s["dry_run"]) o.dry_run = s["dry_run"].as<bool>();
      if (s["unit_ids"]) o.unit_ids = s["unit_ids"].as<std::vector<int64_t>>();
      if (const auto& w = s["writable"]) {
        for (const auto& r : w) {
          AddressRange a;
          if (r.IsSequence() && r.size() == 2) {
            a.first = r[0].as<int64_t>();
            a.last = r[1].as<int64_t>();
          } else {
            std::vector<AddressRange> one;
            if (!parse_ranges(r.as<std::string>(), one) || one.size() != 1) {
              rd.fail(r, "a writable range is [first, last] or \"first-last\"");
              error = rd.error;
              return false;
            }
            a = one[0];
          }
          o.writable.push_back(a);
        }
      }
      if (const auto& x = s["exclude"]) {
        for (const auto& e : x) {
          if (!rd.keys(e, {"message", "field", "equals", "why"}, "an exclusion")) {
            error = rd.error;
            return false;
          }
          Exclusion ex;
          if (e["message"]) ex.message = e["message"].as<std::string>();
          if (e["field"]) ex.field = e["field"].as<std::string>();
          if (e["equals"]) ex.equals = e["equals"].as<int64_t>();
          if (e["why"]) ex.why = e["why"].as<std::string>();
          o.exclusions.push_back(ex);
        }
      }
    }
    if (const auto& h = doc["hooks"]) {
      if (!rd.keys(h, {"before_campaign", "after_campaign", "before_case", "after_case", "on_failure", "timeout_ms"},
                   "hooks")) {
        error = rd.error;
        return false;
      }
      auto hook = [&](const char* k, std::string& v) {
        if (h[k]) v = h[k].as<std::string>();
      };
      hook("before_campaign", o.hooks.before_campaign);
      hook("after_campaign", o.hooks.after_campaign);
      hook("before_case", o.hooks.before_case);
      hook("after_case", o.hooks.after_case);
      hook("on_failure", o.hooks.on_failure);
      if (h["timeout_ms"]) o.hooks.timeout = std::chrono::milliseconds(h["timeout_ms"].as<int64_t>());
    }
  } catch (const YAML::Exception& e) {
    error = e.mark.is_null() ? fmt::format("{}: {}", name, e.msg)
                             : fmt::format("{}:{}:{}: {}", name, e.mark.line + 1, e.mark.column + 1, e.msg);
    return false;
  }
  o.campaign_yaml = text;
  return true;
}

bool valid_component_type(const std::string& t) {
  return t == "embedded device" || t == "host device" || t == "network device" || t == "software application";
}

bool load_campaign_file(const std::string& path, Options& o, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot open the campaign file";
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  o.campaign_file = path;
  return load_campaign_text(ss.str(), path, o, error);
}

std::string options_yaml(const Options& o) {
  YAML::Emitter e;
  e << YAML::BeginMap;
  e << YAML::Key << "target" << YAML::Value << o.target;
  e << YAML::Key << "model" << YAML::Value << o.model;
  e << YAML::Key << "profile" << YAML::Value << o.profile;
  e << YAML::Key << "seed" << YAML::Value << o.seed;
  if (o.cases) e << YAML::Key << "cases" << YAML::Value << *o.cases;
  if (o.budget) e << YAML::Key << "budget" << YAML::Value << fmt::format("{}s", o.budget->count());
  e << YAML::Key << "phases" << YAML::Value << YAML::Flow << o.phases;
  e << YAML::Key << "rate" << YAML::Value << o.rate;
  e << YAML::Key << "connections" << YAML::Value << o.connections;
  e << YAML::Key << "probe_every" << YAML::Value << o.probe_every;
  e << YAML::Key << "allow_remote" << YAML::Value << o.allow_remote;
  e << YAML::Key << "safety" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "read_only" << YAML::Value << o.read_only;
  e << YAML::Key << "dry_run" << YAML::Value << o.dry_run;
  e << YAML::Key << "unit_ids" << YAML::Value << YAML::Flow << o.unit_ids;
  e << YAML::Key << "writable" << YAML::Value << YAML::BeginSeq;
  for (const auto& r : o.writable) e << YAML::Flow << std::vector<int64_t>{r.first, r.last};
  e << YAML::EndSeq;
  e << YAML::Key << "exclude" << YAML::Value << YAML::BeginSeq;
  for (const auto& x : o.exclusions) {
    e << YAML::BeginMap << YAML::Key << "message" << YAML::Value << x.message;
    if (!x.field.empty()) e << YAML::Key << "field" << YAML::Value << x.field;
    if (x.equals) e << YAML::Key << "equals" << YAML::Value << *x.equals;
    if (!x.why.empty()) e << YAML::Key << "why" << YAML::Value << x.why;
    e << YAML::EndMap;
  }
  e << YAML::EndSeq << YAML::EndMap;
  if (!o.target_cmd.empty()) e << YAML::Key << "target_cmd" << YAML::Value << o.target_cmd;
  if (!o.reset_cmd.empty()) e << YAML::Key << "reset_cmd" << YAML::Value << o.reset_cmd;
  const Scope& sc = o.scope;
  if (!sc.component_type.empty() || !sc.vendor.empty() || !sc.product.empty() || !sc.firmware.empty()) {
    e << YAML::Key << "identity" << YAML::Value << YAML::BeginMap;
    if (!sc.component_type.empty()) e << YAML::Key << "component_type" << YAML::Value << sc.component_type;
    if (!sc.vendor.empty()) e << YAML::Key << "vendor" << YAML::Value << sc.vendor;
    if (!sc.product.empty()) e << YAML::Key << "product" << YAML::Value << sc.product;
    if (!sc.firmware.empty()) e << YAML::Key << "firmware" << YAML::Value << sc.firmware;
    e << YAML::EndMap;
  }
  if (!sc.tester.empty() || !sc.independence.empty() || sc.target_sl || !sc.not_applicable.empty()) {
    e << YAML::Key << "scope" << YAML::Value << YAML::BeginMap;
    if (!sc.tester.empty()) e << YAML::Key << "tester" << YAML::Value << sc.tester;
    if (!sc.independence.empty()) e << YAML::Key << "independence" << YAML::Value << sc.independence;
    if (sc.target_sl) e << YAML::Key << "target_sl" << YAML::Value << sc.target_sl;
    if (!sc.not_applicable.empty()) {
      e << YAML::Key << "not_applicable" << YAML::Value << YAML::BeginMap;
      for (const auto& [cr, why] : sc.not_applicable) e << YAML::Key << cr << YAML::Value << why;
      e << YAML::EndMap;
    }
    e << YAML::EndMap;
  }
  e << YAML::Key << "thresholds" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "latency_factor" << YAML::Value << o.thresholds.latency_factor;
  e << YAML::Key << "min_deadline_ms" << YAML::Value << o.thresholds.min_deadline.count();
  e << YAML::Key << "max_latency_ms" << YAML::Value << o.thresholds.max_latency.count();
  e << YAML::Key << "recovery_window_ms" << YAML::Value << o.thresholds.recovery_window.count();
  e << YAML::EndMap;
  e << YAML::EndMap;
  return e.c_str();
}

}  // namespace pc::campaign
