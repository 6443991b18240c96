#include "core/model/model.hpp"

namespace pc::model {

MessageId Model::find_message(std::string_view n) const {
  for (MessageId m = 0; m < messages.size(); ++m) {
    if (str(messages[m].name) == n) return m;
  }
  return kNone;
}

MessageId Model::find_message(std::string_view n, Direction d) const {
  for (MessageId m = 0; m < messages.size(); ++m) {
    if (messages[m].direction == d && str(messages[m].name) == n) return m;
  }
  return kNone;
}

std::string Model::qualified(MessageId m) const {
  return m < messages.size() ? name + "." + str(messages[m].name) : name + ".<unresolved>";
}

}  // namespace pc::model
