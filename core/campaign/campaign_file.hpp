// The campaign file (--campaign FILE.yaml): every option of a run in one document, with a
// documented schema (docs/campaign-file.md). Flags given on the command line override it.
#pragma once

#include <string>

#include "core/campaign/options.hpp"

namespace pc::campaign {

// Fills `out` from the file; false and "file:line:column: cause" on failure.
bool load_campaign_file(const std::string& path, Options& out, std::string& error);
bool load_campaign_text(const std::string& text, const std::string& name, Options& out, std::string& error);

// The effective options as a campaign file (stored with the run).
std::string options_yaml(const Options& o);

// The component types of IEC 62443-4-2: embedded device, host device, network device,
// software application.
inline constexpr const char* kComponentTypes =
    "embedded device, host device, network device, software application";
bool valid_component_type(const std::string& type);

// "5m", "90s", "2h", "1h30m" -> seconds; false when malformed.
bool parse_duration(const std::string& text, std::chrono::seconds& out);
// "0-99,200-299" or "7" -> ranges; false when malformed.
bool parse_ranges(const std::string& text, std::vector<AddressRange>& out);
// "message[.field[=value]]" -> an exclusion; false when malformed.
bool parse_exclusion(const std::string& text, Exclusion& out);

}  // namespace pc::campaign
