#include "core/generate/test_case.hpp"

#include <charconv>

namespace pc::generate {

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::Discovery: return "discovery";
    case Phase::Systematic: return "systematic";
    case Phase::Stateful: return "stateful";
    case Phase::Random: return "random";
  }
  return "?";
}

char phase_letter(Phase p) { return "DSTR"[static_cast<int>(p) & 3]; }

std::string CaseId::text() const { return std::string(1, phase_letter(phase)) + ":" + std::to_string(index); }

bool parse_case_id(const std::string& text, CaseId& out) {
  if (text.size() < 3 || text[1] != ':') return false;
  const std::string letters = "DSTR";
  size_t p = letters.find(text[0]);
  if (p == std::string::npos) return false;
  uint64_t index = 0;
  auto [ptr, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), index);
  if (ec != std::errc() || ptr != text.data() + text.size()) return false;
  out.phase = static_cast<Phase>(p);
  out.index = index;
  return true;
}

}  // namespace pc::generate
