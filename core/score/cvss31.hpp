// CVSS 3.1 base metrics: parsing a vector string, the specification's base equations
// (FIRST, "CVSS v3.1: Specification Document", section 7.1 and 7.4) and its Roundup
// (Appendix A), and the qualitative severity rating (section 5).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pc::score {

// The eight base metrics, each as its one-letter value in the vector string.
struct Cvss31 {
  char av = 'N';  // attack vector: N network, A adjacent, L local, P physical
  char ac = 'L';  // attack complexity: L low, H high
  char pr = 'N';  // privileges required: N none, L low, H high
  char ui = 'N';  // user interaction: N none, R required
  char s = 'U';   // scope: U unchanged, C changed
  char c = 'N';   // confidentiality impact: N none, L low, H high
  char i = 'N';   // integrity impact
  char a = 'N';   // availability impact
  bool operator==(const Cvss31&) const = default;
};

inline constexpr std::string_view kCvss31Version = "3.1";

// Parses "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H". Every base metric exactly once,
// in any order; no other metric (temporal and environmental ones are refused, so a stored
// vector always means its base score). nullopt and `error` (which metric, what is wrong).
std::optional<Cvss31> parse_cvss31(std::string_view vector, std::string& error);

// The vector string in the specification's order, with the "CVSS:3.1/" prefix.
std::string to_string(const Cvss31& v);

// The base score, 0.0 .. 10.0, one decimal.
double base_score(const Cvss31& v);

// The specification's Roundup: the smallest number with one decimal that is >= x, done
// in integers so that floating-point noise (4.000000000000001) does not round up.
double roundup(double x);

// "None" (0.0), "Low" (0.1-3.9), "Medium" (4.0-6.9), "High" (7.0-8.9), "Critical" (9.0-10.0).
std::string_view severity(double score);
// The rank of a severity name (None 0 .. Critical 4), or -1 for an unknown name;
// lower case accepted.
int severity_rank(std::string_view name);

}  // namespace pc::score
