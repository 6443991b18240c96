// A capture, dissected with a model: every message of that protocol, in the order it
// was sent in each direction, with the frames it came from; and every run of bytes
// that did not frame. Direction comes from the server port, not from who connected.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/capture/stream.hpp"
#include "core/model/message.hpp"

namespace pc::dissect {

struct DissectedMessage {
  model::Direction direction = model::Direction::Request;
  uint32_t stream = 0;       // index into Capture::streams
  uint64_t offset = 0;       // in the stream
  uint64_t frame = 0;        // the frame holding its first byte
  uint64_t last_frame = 0;   // the frame holding its last byte
  capture::Timestamp time;
  std::vector<uint8_t> bytes;
  model::Message message;
};

struct UnframedRun {
  model::Direction direction = model::Direction::Request;
  uint32_t stream = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t frame = 0;
  std::string reason;  // "does not frame", "cut short at the end of the capture", "a lost segment"
};

struct Dissection {
  std::vector<DissectedMessage> messages;
  std::vector<UnframedRun> unframed;
  size_t streams_used = 0;
  size_t decoded() const { return messages.size(); }
  size_t invalid() const;      // messages with a broken MUST rule
  size_t unresolved() const;   // messages that did not resolve to a message type
};

struct DissectOptions {
  uint16_t server_port = 0;  // 0: the model's standard port
  // Link-layer captures have no ports: the direction their frames are taken as.
  model::Direction link_direction = model::Direction::Request;
};

Dissection dissect(const model::Model& model, const capture::Capture& capture, const DissectOptions& options);

}  // namespace pc::dissect
