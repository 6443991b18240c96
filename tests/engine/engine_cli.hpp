// Driving campaigns through the real command line, and reading back what they stored.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/run.hpp"

namespace pc::test {

// The command that starts the reference device on a free port with these defects.
std::string ref_device(const std::vector<std::string>& defects, const std::string& extra = "");

struct CampaignRun {
  int exit_code = -1;
  nlohmann::json summary;   // the final JSON line
  nlohmann::json findings;  // `protocrawler findings --json`
  std::string err;
  // findings of one kind
  std::vector<nlohmann::json> of_kind(const std::string& kind) const;
};

// `protocrawler run --json` with the test defaults (profile ci, short deadlines) and
// `args`, into the project folder `project`.
CampaignRun run_campaign(const std::string& project, const std::vector<std::string>& args, int timeout_s = 900);

// Test defaults for timing: short deadlines, a short recovery window.
const std::vector<std::string>& fast_timing();

}  // namespace pc::test
