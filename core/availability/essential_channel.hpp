// How the essential-function monitor reads its process value, one cycle at a time. The
// results name the channel, because an assessor must know what was measured:
//
//   connection      a connection to the target opened before the storm and kept (reopened
//                   when the device drops it), sending the model's request
//   tcp://HOST:PORT the same to another address or port of the device (a second interface)
//   cmd:COMMAND     a user command that reads an output through another path (a lab
//                   reading a PLC output through I/O): exit 0 and a number on stdout is an
//                   answer, another exit code a refusal, a timeout no answer
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/message.hpp"
#include "core/transport/transport.hpp"

namespace pc::availability {

struct Reading {
  enum class Kind : uint8_t {
    Answer,      // the expected answer (value, when one was asked for)
    Refusal,     // a refusal (exception, non-zero exit)
    Unexpected,  // an answer of another type, unframed bytes, no number where one was asked for
    NoAnswer,    // nothing by the deadline
    Lost,        // the connection closed, reset, or could not be opened
  };
  Kind kind = Kind::NoAnswer;
  uint32_t latency_us = 0;
  std::optional<int64_t> value;
  std::string detail;
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual bool open(std::string& error) = 0;
  virtual Reading read(transport::Deadline deadline) = 0;
  virtual std::string describe() const = 0;
};

// The model's request `message` with `set` values; `value` is the answer field read.
struct ModelRequest {
  const model::Model* model = nullptr;
  model::MessageId message = model::kNone;
  std::vector<std::pair<std::string, int64_t>> set;
  model::MessageId expect = model::kNone;  // the normal answer's type (kNone: any normal answer)
  std::string value;
};

// `address` is asked at each (re)connect: a target the tool restarts may move to a new port.
std::unique_ptr<Channel> make_connection_channel(std::function<transport::Address()> address, ModelRequest request,
                                                 std::string label);
std::unique_ptr<Channel> make_command_channel(const std::string& command, const std::string& target_text,
                                              bool wants_number);

}  // namespace pc::availability
