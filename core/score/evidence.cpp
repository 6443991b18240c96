#include "core/score/evidence.hpp"

#include <cctype>

namespace pc::score {
namespace {

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) break;
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return out;
}

template <class T>
T get(const nlohmann::json& j, const char* key, T fallback) {
  if (!j.is_object() || !j.contains(key)) return fallback;
  const auto& v = j[key];
  if constexpr (std::is_same_v<T, bool>) {
    return v.is_boolean() ? v.get<bool>() : fallback;
  } else if constexpr (std::is_arithmetic_v<T>) {
    return v.is_number() ? v.get<T>() : fallback;
  } else {
    return v.is_string() ? v.get<std::string>() : fallback;
  }
}

}  // namespace

Evidence evidence_from_details(const nlohmann::json& d) {
  Evidence e;
  if (!d.is_object()) return e;
  e.confirmed = get<uint32_t>(d, "confirmed", 0);
  e.confirmations = get<uint32_t>(d, "confirmations", 0);
  e.process_report = get<std::string>(d, "process_report", "");
  e.authenticated = get<bool>(d, "authenticated", false);
  if (d.contains("observed") && d["observed"].is_object()) {
    const auto& o = d["observed"];
    e.recovered = get<bool>(o, "recovered", true);
    if (o.contains("outage_ms") && o["outage_ms"].is_number()) e.outage_ms = o["outage_ms"].get<int64_t>();
    if (o.contains("answers") && o["answers"].is_array()) {
      for (const auto& a : o["answers"]) {
        auto bytes = from_hex(get<std::string>(a, "hex", ""));
        e.answer.insert(e.answer.end(), bytes.begin(), bytes.end());
      }
    }
    e.secret_field_in_answer = get<bool>(o, "secret_field", false);
  }
  if (d.contains("thresholds")) e.recovery_window_ms = get<int64_t>(d["thresholds"], "recovery_window_ms", 15000);
  if (d.contains("reproducer") && d["reproducer"].is_object()) e.repeat = get<uint32_t>(d["reproducer"], "repeat", 1);
  // an access judged against the data map: the changed field's value and its table's end
  if (d.contains("access") && d["access"].is_object()) {
    const auto& a = d["access"];
    if (a.contains("value") && a["value"].is_number()) e.value = a["value"].get<int64_t>();
    if (a.contains("table_last") && a["table_last"].is_number()) e.table_last = a["table_last"].get<int64_t>();
  }
  return e;
}

}  // namespace pc::score
