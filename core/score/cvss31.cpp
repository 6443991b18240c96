#include "core/score/cvss31.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>

namespace pc::score {
namespace {

struct MetricDef {
  std::string_view name;
  std::string_view values;  // the letters it may take
  char Cvss31::*field;
};

constexpr std::array<MetricDef, 8> kMetrics = {{
    {"AV", "NALP", &Cvss31::av},
    {"AC", "LH", &Cvss31::ac},
    {"PR", "NLH", &Cvss31::pr},
    {"UI", "NR", &Cvss31::ui},
    {"S", "UC", &Cvss31::s},
    {"C", "HLN", &Cvss31::c},
    {"I", "HLN", &Cvss31::i},
    {"A", "HLN", &Cvss31::a},
}};

// Section 7.4, "Metric Values".
double attack_vector(char v) {
  switch (v) {
    case 'N': return 0.85;
    case 'A': return 0.62;
    case 'L': return 0.55;
    default: return 0.2;  // P
  }
}
double attack_complexity(char v) { return v == 'L' ? 0.77 : 0.44; }
double privileges(char v, bool changed) {
  switch (v) {
    case 'N': return 0.85;
    case 'L': return changed ? 0.68 : 0.62;
    default: return changed ? 0.5 : 0.27;  // H
  }
}
double user_interaction(char v) { return v == 'N' ? 0.85 : 0.62; }
double impact_value(char v) {
  switch (v) {
    case 'H': return 0.56;
    case 'L': return 0.22;
    default: return 0.0;
  }
}

}  // namespace

std::optional<Cvss31> parse_cvss31(std::string_view text, std::string& error) {
  constexpr std::string_view prefix = "CVSS:3.1/";
  if (text.substr(0, prefix.size()) != prefix) {
    error = "a CVSS 3.1 vector starts with 'CVSS:3.1/'";
    return std::nullopt;
  }
  Cvss31 v;
  std::array<bool, kMetrics.size()> seen{};
  std::string_view rest = text.substr(prefix.size());
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (slash != std::string_view::npos && rest.empty()) {
      error = "the vector ends with '/'";
      return std::nullopt;
    }
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || colon + 2 != part.size()) {
      error = "'" + std::string(part) + "' is not METRIC:VALUE with a one-letter value";
      return std::nullopt;
    }
    std::string_view name = part.substr(0, colon);
    char value = part[colon + 1];
    auto it = std::find_if(kMetrics.begin(), kMetrics.end(), [&](const MetricDef& m) { return m.name == name; });
    if (it == kMetrics.end()) {
      error = "'" + std::string(name) + "' is not a CVSS 3.1 base metric";
      return std::nullopt;
    }
    size_t k = static_cast<size_t>(it - kMetrics.begin());
    if (seen[k]) {
      error = "metric " + std::string(name) + " appears twice";
      return std::nullopt;
    }
    if (it->values.find(value) == std::string_view::npos) {
      error = "metric " + std::string(name) + " takes one of " + std::string(it->values) + ", not '" + value + "'";
      return std::nullopt;
    }
    seen[k] = true;
    v.*(it->field) = value;
  }
  for (size_t k = 0; k < kMetrics.size(); ++k) {
    if (!seen[k]) {
      error = "base metric " + std::string(kMetrics[k].name) + " is missing";
      return std::nullopt;
    }
  }
  return v;
}

std::string to_string(const Cvss31& v) {
  std::string out = "CVSS:3.1";
  for (const auto& m : kMetrics) {
    out += '/';
    out += m.name;
    out += ':';
    out += v.*(m.field);
  }
  return out;
}

double roundup(double x) {
  // Appendix A: int_input = round_to_nearest_integer(input * 100000); if it is a
  // multiple of 10000 the result is int_input / 100000, else (floor(int_input / 10000) + 1) / 10.
  const int64_t int_input = std::llround(x * 100000.0);
  if (int_input % 10000 == 0) return static_cast<double>(int_input) / 100000.0;
  return static_cast<double>(int_input / 10000 + 1) / 10.0;
}

double base_score(const Cvss31& v) {
  const bool changed = v.s == 'C';
  const double iss = 1.0 - (1.0 - impact_value(v.c)) * (1.0 - impact_value(v.i)) * (1.0 - impact_value(v.a));
  const double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  const double exploitability =
      8.22 * attack_vector(v.av) * attack_complexity(v.ac) * privileges(v.pr, changed) * user_interaction(v.ui);
  if (impact <= 0) return 0.0;
  if (changed) return roundup(std::min(1.08 * (impact + exploitability), 10.0));
  return roundup(std::min(impact + exploitability, 10.0));
}

std::string_view severity(double score) {
  if (score <= 0.0) return "None";
  if (score < 4.0) return "Low";
  if (score < 7.0) return "Medium";
  if (score < 9.0) return "High";
  return "Critical";
}

int severity_rank(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kNames = {"none", "low", "medium", "high", "critical"};
  std::string lower;
  for (char ch : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == lower) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace pc::score
