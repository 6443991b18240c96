// Every option of an availability run (`protocrawler dos`, or a profile's dos slot):
// which storms, how they step, the essential function, recovery and confirmation. The
// target, its lifecycle, the safety rules and the thresholds are the campaign's own
// (campaign::Options), so load obeys exactly the rules fuzzing does.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/availability/essential_function.hpp"
#include "core/availability/rate_stepper.hpp"

namespace pc::availability {

struct AvailabilityOptions {
  std::vector<std::string> storms;  // storm names, in order
  std::map<std::string, std::map<std::string, std::string>> params;  // storm -> parameter -> value
  SteppingPlan rate_plan{10, 2, 100, std::chrono::milliseconds(5000), 1};   // rate storms
  SteppingPlan level_plan{1, 2, 256, std::chrono::milliseconds(5000), 1};   // level storms
  std::optional<double> soak_rate;         // pinned: this rate (or level) only, for `soak`
  std::chrono::milliseconds soak{0};       // without soak_rate: a soak at the max sustained rate after stepping
  EssentialSpec ef;
  std::chrono::milliseconds baseline{2000};  // essential function alone before the first storm
  uint32_t recovery_cycles = 5;              // on time in a row: recovered
  uint32_t confirm = 1;                      // a degraded step is run again this often to confirm it
  bool use_netns = true;                     // as root: the tool's network namespace
};

// Profile slot (profiles/*.yaml `dos:`): enabled storms and stepping. False and a reason
// when the slot says something unknown. Fields not in the slot are left as they are.
bool apply_profile_slot(const std::string& slot_yaml, AvailabilityOptions& out, std::string& error);

}  // namespace pc::availability
