// The `dos:` slot of a depth profile (profiles/sl1.yaml ... sl4.yaml, ci.yaml):
//
//   dos:
//     enabled: [connection_flood, request_flood, session_exhaustion]  # storms or groups
//     start_rate: 10       # first step of rate storms
//     step_factor: 2       # each step multiplies the rate by this
//     hold_seconds: 5      # each step lasts this long
//     max_rate: 100        # ceiling of rate storms
//     max_level: 64        # ceiling of level storms (sessions, slow peers)
//     soak_seconds: 0      # after stepping, a soak at the highest sustained rate
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "core/availability/availability_options.hpp"
#include "core/availability/storm_catalogue.hpp"

namespace pc::availability {

bool apply_profile_slot(const std::string& slot_yaml, AvailabilityOptions& out, std::string& error) {
  if (slot_yaml.empty()) return true;
  try {
    YAML::Node n = YAML::Load(slot_yaml);
    if (!n.IsMap()) {
      error = "the profile's dos slot is not a mapping";
      return false;
    }
    for (const auto& kv : n) {
      const auto key = kv.first.as<std::string>();
      const auto& v = kv.second;
      if (key == "enabled") {
        out.storms.clear();
        for (const auto& s : v) {
          auto names = expand_storm_name(s.as<std::string>());
          if (names.empty()) {
            error = fmt::format("the profile's dos slot names an unknown storm '{}'", s.as<std::string>());
            return false;
          }
          out.storms.insert(out.storms.end(), names.begin(), names.end());
        }
      } else if (key == "start_rate") {
        out.rate_plan.start = v.as<double>();
      } else if (key == "step_factor") {
        out.rate_plan.factor = out.level_plan.factor = v.as<double>();
      } else if (key == "hold_seconds") {
        out.rate_plan.hold = out.level_plan.hold = std::chrono::milliseconds(static_cast<int64_t>(v.as<double>() * 1000));
      } else if (key == "max_rate") {
        out.rate_plan.ceiling = v.as<double>();
      } else if (key == "max_level") {
        out.level_plan.ceiling = v.as<double>();
      } else if (key == "soak_seconds") {
        out.soak = std::chrono::milliseconds(static_cast<int64_t>(v.as<double>() * 1000));
      } else {
        error = fmt::format("the profile's dos slot has an unknown key '{}' (enabled, start_rate, step_factor, "
                            "hold_seconds, max_rate, max_level, soak_seconds)",
                            key);
        return false;
      }
    }
  } catch (const YAML::Exception& e) {
    error = std::string("the profile's dos slot: ") + e.what();
    return false;
  }
  return true;
}

}  // namespace pc::availability
