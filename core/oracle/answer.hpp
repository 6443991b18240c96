// What a device's answer says: decoded against the model, sorted into a reaction (a
// normal answer, a refusal of a named reaction class, silence, a close, ...), checked
// against the request it answers, and reduced to a signature for feedback.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/message.hpp"
#include "core/transport/transport.hpp"

namespace pc::oracle {

enum class Reaction : uint8_t {
  Normal,    // a message of the protocol that is not a refusal
  Refusal,   // a named reaction class (e.g. an exception response)
  Silence,   // no answer by the deadline
  Close,     // the device closed the connection
  Reset,     // the device reset the connection
  Refused,   // the device refused a new connection
  Unframed,  // bytes that do not frame as a message
  Error,     // the harness failed (never the device's fault)
};
const char* to_string(Reaction r);

struct AnswerView {
  Reaction reaction = Reaction::Silence;
  model::MessageId type = model::kNone;
  uint32_t reaction_class = model::kNone;  // Refusal: which class
  int64_t code = -1;                        // Refusal: its code (exception code)
  std::vector<std::string> broken;          // rule ids the answer breaks, own and pair
  bool says_too_much = false;               // longer than the request -> response relations allow
  std::string too_much_rule;                // the pair rule that shows it
  bool stale = false;                       // answers an earlier request (a counter does not echo)
  uint32_t length = 0;
  uint32_t latency_us = 0;
  uint64_t signature = 0;
  std::string text() const;                 // "exception(3)", "normal read_coils_response", "silence"
};

// `request` is the decoded message the answer is for (may be null for unsolicited ones).
AnswerView classify_answer(const model::Model& model, const model::Message* request,
                           const transport::Received& received);

// A reaction class's name with its code: "exception(3)".
std::string reaction_text(const model::Model& model, const AnswerView& a);

// Is the observed reaction one of the rule's allowed refusals? (An empty set allows any
// refusal: silence, close, reset or a named class.)
bool reaction_allowed(const model::Model& model, const model::Rule& rule, const AnswerView& a);

}  // namespace pc::oracle
