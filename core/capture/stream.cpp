#include "core/capture/stream.hpp"

namespace pc::capture {

const char* to_string(Transport transport) {
  switch (transport) {
    case Transport::tcp: return "tcp";
    case Transport::udp: return "udp";
    case Transport::link: return "link";
  }
  return "unknown";
}

}  // namespace pc::capture
