// Checking validity rules: per value as it is decoded, per struct once complete, and
// request -> response relations on a pair of messages.
#pragma once

#include "core/model/message.hpp"

namespace pc::model {

// Range, one-of and enum rules of the value's field; broken ones go to msg.issues.
void check_value_rules(const Model& m, Message& msg, uint32_t v);

// An expression rule of a field in the struct value `scope`.
void check_expr_rule(const Model& m, Message& msg, RuleId rule, uint32_t scope, const uint32_t* field_values);

// The response's pair rules (echoed ids, byte count = 2 x quantity, ...) against the
// request it answers. Returns the broken ones; rules whose references do not resolve in
// this pair do not apply.
std::vector<Issue> check_pair(const Message& request, const Message& response);

// A rule's reaction set as text: "exception(3), silence".
std::string reactions_text(const Model& m, const Rule& r);
const char* to_string(Strength s);

}  // namespace pc::model
