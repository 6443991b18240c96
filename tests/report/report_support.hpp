// What the report tests share: the CLI, a campaign on the reference device, a signing
// key made by openssl, and the readers in validate.py.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/engine/engine_cli.hpp"
#include "tests/support/run.hpp"

namespace pc::test {

// protocrawler ARGS...
RunResult cli(const std::vector<std::string>& args, int timeout_s = 300);
// python3 validate.py ARGS...
RunResult validate(const std::vector<std::string>& args);
// A campaign (discovery and systematic phases, profile ci) on the reference device with
// `defects` on, into `project`, with `extra` flags.
CampaignRun short_campaign(const std::string& project, const std::vector<std::string>& defects,
                           const std::vector<std::string>& extra = {});
// An Ed25519 key pair made with the openssl command: PEM files key.pem and pub.pem in `dir`.
bool make_key(const std::string& dir, const std::string& name = "key");
std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);
nlohmann::json read_json(const std::string& path);
// Every file under `dir` whose bytes contain `needle`.
std::vector<std::string> files_containing(const std::string& dir, const std::string& needle);
// The hex of an ASCII string.
std::string hex_of(const std::string& text);

}  // namespace pc::test
