// What scoring looks at: the facts of one finding that the campaign observed, collected
// from the finding's stored details. Nothing here is a guess about the device; each field
// says where it comes from. docs/scoring.md states the rules that turn them into metrics.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace pc::score {

struct Evidence {
  std::string kind;             // the finding kind (docs/findings.md)
  std::string mutation_class;   // of the minimised reproducer
  std::string field;            // the field left non-default, "" when none
  std::string rule;             // the id of the model rule the request broke, "" when none
  std::string transport;        // the model's transport: tcp, udp, link
  bool message_writes = false;  // the trigger message changes the device's data (model: writes)
  bool authenticated = false;   // the reproducer authenticated before its trigger
  uint32_t confirmed = 0, confirmations = 0;  // replays that reproduced, of those tried
  uint32_t repeat = 1;          // how often the reproducer's sequence is repeated
  bool recovered = true;        // the device came back by itself (probe after the fault)
  std::optional<int64_t> outage_ms;  // how long the service was gone, when measured
  int64_t recovery_window_ms = 15000;
  std::string process_report;   // the sanitizer's or process monitor's report
  std::vector<uint8_t> answer;  // the device's answer to the trigger (for disclosures)
  bool secret_field_in_answer = false;  // a field the model marks secret was answered
  // The changed field's value and the last address of the table it addresses, when the
  // finding was judged against the device's data map (an access one past the end).
  std::optional<int64_t> value, table_last;
};

// The evidence a finding's details hold (see core/campaign/finding_writer.cpp for what
// they are): confirmations, recovery, answers, process report, changed fields, data map.
// `kind`, `mutation_class`, `field` and `rule` come from the finding record; the caller sets
// what the model knows (transport, message_writes).
Evidence evidence_from_details(const nlohmann::json& details);

}  // namespace pc::score
