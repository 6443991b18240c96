// JSON views of decoded messages, for `decode --json` and later reports.
#pragma once

#include <nlohmann/json.hpp>

#include "core/model/message.hpp"

namespace pc::cli {

// {"type", "fields": [{"path", "value", "offset", "size", "flags"}], "issues": [...]}
nlohmann::json message_json(const model::Message& msg);
nlohmann::json issue_json(const model::Message& msg, const model::Issue& issue);
std::string hex_string(std::span<const uint8_t> bytes);

}  // namespace pc::cli
