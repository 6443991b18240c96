// Text views of models and messages for people: the CLI's `model show` and `decode`,
// test failure messages, reports.
#pragma once

#include <string>

#include "core/model/message.hpp"

namespace pc::model {

// One line per value, indented by depth: "  pdu.quantity = 3 (0x0003) @9+2".
std::string format_tree(const Message& msg);

// A value's text: a number with its enum name, bytes as hex, text quoted.
std::string format_value(const Message& msg, uint32_t v);

// One line: "read_holding_registers_request tid=1 ... [2 broken: ...]".
std::string format_summary(const Message& msg);

// "AP 6.1 MUST quantity: 2001 not in 1..2000" for each broken rule.
std::string format_issue(const Message& msg, const Issue& issue);

// The schema: messages and their fields as a tree.
std::string format_model(const Model& model, bool with_rules);

}  // namespace pc::model
