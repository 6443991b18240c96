// Strip the link-layer header of a frame (internal).
#pragma once

#include "core/capture/detail/bytes.hpp"

namespace pc::capture::detail {

struct LinkPayload {
  enum class Type { ipv4, ipv6, link_frame, not_ip, malformed };
  Type type = Type::malformed;
  Bytes data;  ///< the network-layer packet (or the whole frame for link_frame)
  const char* reason = "";
};

/// Find the network-layer packet inside a frame of LINKTYPE `link_type`.
LinkPayload strip_link_layer(int link_type, Bytes frame);

}  // namespace pc::capture::detail
