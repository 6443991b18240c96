// Every option of a campaign, from flags or a campaign file (docs/campaign-file.md). One
// place: the CLI and the campaign file both fill this struct.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/observe/thresholds.hpp"

namespace pc::campaign {

struct Exclusion {
  std::string message;  // a message type name ("" = any)
  std::string field;    // a field path ("" = the message as a whole)
  std::optional<int64_t> equals;  // only when the field has this value
  std::string why;
};

struct AddressRange {
  int64_t first = 0, last = 0;
};

struct Hooks {
  std::string before_campaign, after_campaign, before_case, after_case, on_failure;
  std::chrono::milliseconds timeout{30000};
};

// What is tested and by whom, for the report (docs/report.md, "Scope"). The campaign
// writes it to the target's record and to the run's "scope" fact.
struct Scope {
  std::string component_type;  // embedded device, host device, network device, software application
  std::string vendor, product, firmware;  // as declared; the device's own answer is compared
  std::string tester;          // who ran the tests
  std::string independence;    // how independent of the developers (IEC 62443-4-1 SVV-5)
  int target_sl = 0;           // the security level the vendor targets (0: the profile's)
  std::vector<std::pair<std::string, std::string>> not_applicable;  // requirement -> why
};

struct Options {
  // what and where
  std::string model;  // required: the CLI and campaign files name it
  std::string target;                 // tcp://127.0.0.1:1502
  std::string target_name;            // a name for the target in the store
  bool allow_remote = false;          // the user declares a test installation
  // depth and budget
  std::string profile = "sl1";
  uint64_t seed = 1;
  std::optional<uint64_t> cases;      // stop after this many cases
  std::optional<std::chrono::seconds> budget;  // or after this long
  std::vector<std::string> phases = {"discovery", "systematic", "stateful", "random"};
  std::string seed_pcap;              // decoded messages become defaults and corpus
  uint16_t seed_pcap_port = 0;
  // pace
  double rate = 0;                    // cases per second at most (0 = no cap)
  uint32_t connections = 1;
  uint32_t probe_every = 50;          // a health probe every N cases
  observe::Thresholds thresholds;
  // safety
  bool read_only = false;
  std::vector<AddressRange> writable; // writes allowed only here (empty = anywhere)
  std::vector<int64_t> unit_ids;      // only these unit ids (empty = any)
  std::vector<Exclusion> exclusions;
  bool dry_run = false;
  // the target's lifecycle
  std::string target_cmd;             // start and watch a local target
  std::string target_ready = "listening on";
  std::string reset_cmd;              // bring a real device back
  Hooks hooks;
  Scope scope;
  // results
  std::string project = "protocrawler.db";
  std::string out;                    // folder for reproducers, pcaps, logs
  bool resume = false;
  uint32_t confirm = 3;               // replays that confirm a finding
  bool capture = true;                // record confirming replays from the wire
  // display
  bool quiet = false;
  bool json = false;
  // the campaign file as given (stored verbatim with the run)
  std::string campaign_file;
  std::string campaign_yaml;
};

}  // namespace pc::campaign
