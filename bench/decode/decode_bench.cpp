// Decode (full field tree, every rule checked) and re-encode every message of
// ModbusTCP.pcap, each from its own buffer, with the model and with a hand-written
// codec, in the same run. Prints messages per second for both and their ratio.
//   bench_decode [seconds per measurement, default 3]
#include <fmt/core.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <variant>

#include "bench/decode/hand_modbus.hpp"
#include "core/capture/pcap_reader.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Input {
  std::vector<uint8_t> bytes;
  bool request;
};

template <typename F>
double rate(const std::vector<Input>& inputs, double seconds, F&& one) {
  size_t done = 0;
  auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (const auto& in : inputs) one(in);
    done += inputs.size();
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return static_cast<double>(done) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  auto loaded = pc::model::load_model_file(std::string(PC_MODELS_DIR) + "/modbus-tcp.yaml");
  const auto& model = *std::get<std::shared_ptr<const pc::model::Model>>(loaded);
  auto cap = pc::capture::read_capture(std::string(PC_SHARED_DIR) + "/captures/modbus/ModbusTCP.pcap");
  if (!cap.ok()) {
    fmt::print(stderr, "cannot read ModbusTCP.pcap: {}\n", cap.error().message);
    return 1;
  }
  auto d = pc::dissect::dissect(model, cap.value(), {});
  std::vector<Input> inputs;
  for (auto& m : d.messages) inputs.push_back({m.bytes, m.direction == pc::model::Direction::Request});
  fmt::print("ModbusTCP.pcap: {} messages, each in its own buffer\n", inputs.size());

  // check both codecs agree before timing them
  size_t mismatches = 0;
  pc::model::Message msg(model);
  std::vector<uint8_t> out;
  pc::bench::HandAdu adu;
  uint8_t hand_out[300];
  for (const auto& in : inputs) {
    pc::model::decode_into(model, in.request ? pc::model::Direction::Request : pc::model::Direction::Response,
                           in.bytes, msg);
    pc::model::encode_into(msg, out);
    mismatches += out != in.bytes;
    if (!pc::bench::hand_decode(in.bytes, in.request, adu)) ++mismatches;
    size_t n = pc::bench::hand_encode(adu, in.request, hand_out);
    mismatches += n != in.bytes.size() || std::memcmp(hand_out, in.bytes.data(), n) != 0;
  }
  fmt::print("round trip mismatches: {}\n", mismatches);

  size_t sink = 0;
  pc::model::EncodeScratch scratch;
  double model_rate = rate(inputs, seconds, [&](const Input& in) {
    pc::model::decode_into(model, in.request ? pc::model::Direction::Request : pc::model::Direction::Response,
                           in.bytes, msg);
    scratch.encode(msg, out);
    sink += out.size() + msg.issues.size();
  });
  double hand_rate = rate(inputs, seconds, [&](const Input& in) {
    pc::bench::hand_decode(in.bytes, in.request, adu);
    sink += pc::bench::hand_encode(adu, in.request, hand_out) + adu.broken;
  });
  double decode_only = rate(inputs, seconds, [&](const Input& in) {
    pc::model::decode_into(model, in.request ? pc::model::Direction::Request : pc::model::Direction::Response,
                           in.bytes, msg);
    sink += msg.values.size();
  });
  fmt::print("model decode+encode:   {:>12.0f} messages/s\n", model_rate);
  fmt::print("model decode only:     {:>12.0f} messages/s\n", decode_only);
  fmt::print("hand-written codec:    {:>12.0f} messages/s\n", hand_rate);
  fmt::print("ratio hand/model:      {:>12.1f}x   (aim: at most 10x)\n", hand_rate / model_rate);
  return sink == 0 ? 1 : (mismatches ? 1 : 0);
}
