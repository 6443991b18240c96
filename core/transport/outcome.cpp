#include "core/transport/transport.hpp"

namespace pc::transport {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::Answer:
      return "answer";
    case Outcome::Unframed:
      return "unframed";
    case Outcome::Silence:
      return "silence";
    case Outcome::Closed:
      return "closed";
    case Outcome::Reset:
      return "reset";
    case Outcome::Refused:
      return "refused";
    case Outcome::Error:
      return "error";
  }
  return "unknown";
}

}  // namespace pc::transport
