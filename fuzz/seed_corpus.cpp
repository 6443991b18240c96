// Writes a libFuzzer seed corpus into OUT_DIR:
//   --model FILE [--captures DIR]  every default message of the model, and every message
//                                  of the captures in DIR, as [direction byte][message]
//   --yaml DIR                     every model file in DIR
//   --files DIR                    every capture file under DIR, as is
#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <variant>

#include "core/capture/pcap_reader.hpp"
#include "core/dissect/dissect.hpp"
#include "core/model/builder.hpp"
#include "core/model/encoder.hpp"
#include "core/model/loader.hpp"

namespace fs = std::filesystem;

namespace {

class Corpus {
 public:
  explicit Corpus(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_); }
  void add(const std::vector<uint8_t>& bytes) {
    std::string key(bytes.begin(), bytes.end());
    if (!seen_.insert(key).second) return;
    std::ofstream(dir_ / fmt::format("seed-{:05}", seen_.size()), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  size_t size() const { return seen_.size(); }

 private:
  fs::path dir_;
  std::set<std::string> seen_;
};

std::vector<uint8_t> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    fmt::print(stderr, "usage: pc-seed-corpus OUT_DIR (--model FILE [--captures DIR] | --yaml DIR | --files DIR)\n");
    return 2;
  }
  Corpus corpus(argv[1]);
  std::string mode = argv[2];
  if (mode == "--yaml" || mode == "--files") {
    for (const auto& e : fs::recursive_directory_iterator(argv[3])) {
      if (!e.is_regular_file()) continue;
      auto ext = e.path().extension();
      bool take = mode == "--yaml" ? ext == ".yaml" : (ext == ".pcap" || ext == ".pcapng");
      if (take && e.file_size() < (256u << 10)) corpus.add(slurp(e.path()));
    }
  } else if (mode == "--model") {
    auto r = pc::model::load_model_file(argv[3]);
    if (auto* err = std::get_if<pc::model::LoadError>(&r)) {
      fmt::print(stderr, "{}\n", err->text());
      return 1;
    }
    const auto& model = *std::get<std::shared_ptr<const pc::model::Model>>(r);
    for (pc::model::MessageId id = 0; id < model.messages.size(); ++id) {
      pc::model::Message m = pc::model::build(model, id);
      auto bytes = pc::model::encode(m);
      bytes.insert(bytes.begin(), static_cast<uint8_t>(model.messages[id].direction));
      corpus.add(bytes);
    }
    if (argc >= 6 && std::string(argv[4]) == "--captures") {
      for (const auto& e : fs::directory_iterator(argv[5])) {
        auto cap = pc::capture::read_capture(e.path());
        if (!cap.ok()) continue;
        auto d = pc::dissect::dissect(model, cap.value(), {});
        size_t per_file = 0;
        for (const auto& m : d.messages) {
          if (per_file++ >= 400) break;  // ModbusTCP.pcap alone has 16,000
          std::vector<uint8_t> bytes = m.bytes;
          bytes.insert(bytes.begin(), static_cast<uint8_t>(m.direction));
          corpus.add(bytes);
        }
      }
    }
  } else {
    fmt::print(stderr, "pc-seed-corpus: unknown mode {}\n", mode);
    return 2;
  }
  fmt::print("{}: {} seed inputs\n", argv[1], corpus.size());
  return corpus.size() > 0 ? 0 : 1;
}
