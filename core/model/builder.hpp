// Default instances: the message a model describes when every field has its default.
// The generator starts every test case from one of these.
#pragma once

#include "core/model/message.hpp"

namespace pc::model {

// The default instance of a message type: switches on the way take the cases that lead
// to it, selectors are set to match, every other field takes its default.
Message build(const Model& model, MessageId message);

// A default subtree for one field, as a message whose root is that field; used to grow
// arrays and to add optional fields during edits.
Message build_field(const Model& model, Direction dir, FieldId field);

}  // namespace pc::model
