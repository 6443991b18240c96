#include "core/oracle/finding_kind.hpp"

#include <array>

namespace pc::oracle {
namespace {
constexpr std::array<std::string_view, 10> kNames = {
    "crash",           "needs-manual-reset", "hang",          "degraded",    "resource-exhaustion",
    "memory-disclosure", "accepted-invalid",  "state-violation", "auth-bypass", "integrity-bypass"};
}  // namespace

std::string_view kind_name(FindingKind k) { return kNames[static_cast<size_t>(k)]; }

std::optional<FindingKind> kind_from_name(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<FindingKind>(i);
  }
  return std::nullopt;
}

int kind_rank(FindingKind k) {
  switch (k) {
    case FindingKind::NeedsManualReset: return 0;
    case FindingKind::Crash: return 1;
    case FindingKind::AuthBypass: return 2;
    case FindingKind::MemoryDisclosure: return 3;
    case FindingKind::IntegrityBypass: return 4;
    case FindingKind::Hang: return 5;
    case FindingKind::ResourceExhaustion: return 6;
    case FindingKind::StateViolation: return 7;
    case FindingKind::Degraded: return 8;
    case FindingKind::AcceptedInvalid: return 9;
  }
  return 10;
}

}  // namespace pc::oracle
