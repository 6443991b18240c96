// Systematic cases generated per second with no network, on one core: the bytes of every
// case of a profile's catalogue, in index order, again and again.
//   bench_generate [profile, default sl2] [seconds, default 3]
#include <fmt/core.h>

#include <chrono>
#include <cstdlib>
#include <variant>

#include "core/generate/systematic.hpp"
#include "core/model/loader.hpp"

int main(int argc, char** argv) {
  std::string profile_name = argc > 1 ? argv[1] : "sl2";
  double seconds = argc > 2 ? std::atof(argv[2]) : 3.0;
  auto loaded = pc::model::load_model_file(std::string(PC_MODELS_DIR) + "/modbus-tcp.yaml");
  const auto& model = *std::get<std::shared_ptr<const pc::model::Model>>(loaded);
  pc::generate::Profile profile;
  std::string err;
  if (!pc::generate::load_profile(profile_name, profile, err)) {
    fmt::print(stderr, "{}\n", err);
    return 2;
  }
  pc::generate::Catalog catalog(model, profile);
  pc::generate::Counters counters(model);
  pc::generate::Systematic gen(catalog, counters);
  uint64_t fast = 0;
  for (const auto& s : catalog.slots()) {
    for (const auto& p : s.fast) fast += p.offset >= 0 || p.cut >= 0 || p.append > 0;
  }
  fmt::print("modbus-tcp, profile {}: {} systematic cases, {:.0f}% on the byte-patch path\n", profile.name,
             gen.count(), 100.0 * static_cast<double>(fast) / static_cast<double>(gen.count()));
  std::vector<uint8_t> out;
  size_t sink = 0;
  uint64_t done = 0;
  auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (uint64_t i = 0; i < gen.count(); ++i) {
      gen.bytes(i, out);
      sink += out.size();
    }
    done += gen.count();
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  fmt::print("cases generated:       {:>12.0f} per second (one core; aim 20 million)\n", static_cast<double>(done) / elapsed);
  // the full test case (recipe text, steps, undo), as the campaign asks for it
  pc::generate::TestCase c;
  done = 0;
  start = std::chrono::steady_clock::now();
  elapsed = 0;
  while (elapsed < seconds) {
    for (uint64_t i = 0; i < gen.count(); ++i) {
      gen.generate(i, c);
      sink += c.steps.size();
    }
    done += gen.count();
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  fmt::print("full test cases:       {:>12.0f} per second\n", static_cast<double>(done) / elapsed);
  return sink == 0;
}
