// A target's raw capacity: valid requests (the model's probe message) in lock-step on N
// connections for S seconds, as fast as the target answers.
//   pc-bench-client --target tcp://127.0.0.1:PORT [--connections N] [--seconds S] [--model M]
#include <fmt/core.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <variant>

#include "core/campaign/model_cutter.hpp"
#include "core/model/builder.hpp"
#include "core/model/catalog.hpp"
#include "core/model/encoder.hpp"
#include "core/transport/transport.hpp"

int main(int argc, char** argv) {
  std::string target, model_name = "modbus-tcp";
  unsigned connections = 1;
  double seconds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--target")) target = argv[i + 1];
    else if (!std::strcmp(argv[i], "--connections")) connections = static_cast<unsigned>(std::atoi(argv[i + 1]));
    else if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--model")) model_name = argv[i + 1];
  }
  pc::transport::Address address;
  std::string err;
  if (target.empty() || !pc::transport::parse_address(target, address, err) || !address.loopback()) {
    fmt::print(stderr, "usage: pc-bench-client --target tcp://127.0.0.1:PORT [--connections N] [--seconds S] {}\n", err);
    return 2;
  }
  auto loaded = pc::model::Catalog().load(model_name);
  if (auto* e = std::get_if<pc::model::LoadError>(&loaded)) {
    fmt::print(stderr, "{}\n", e->text());
    return 2;
  }
  const auto& model = *std::get<std::shared_ptr<const pc::model::Model>>(loaded);
  pc::model::Message probe = pc::model::build(model, model.session.probe.message);
  for (const auto& s : model.session.probe.set) probe.set(s.path, s.value);
  const std::vector<uint8_t> request = pc::model::encode(probe);
  std::atomic<uint64_t> total{0}, failures{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (unsigned c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      pc::campaign::ModelCutter cutter(model);
      auto conn = pc::transport::make_tcp_client(address);
      uint64_t n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        if (!conn->is_open() && conn->open(pc::transport::Clock::now() + std::chrono::seconds(2)).outcome !=
                                    pc::transport::Outcome::Answer) {
          ++failures;
          continue;
        }
        conn->send(request);
        auto rx = conn->receive(cutter, pc::transport::Clock::now() + std::chrono::seconds(2));
        if (rx.outcome == pc::transport::Outcome::Answer) {
          ++n;
        } else {
          ++failures;
          conn->close();
        }
      }
      total += n;
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  fmt::print("{:.0f}\n", static_cast<double>(total.load()) / seconds);
  if (failures) fmt::print(stderr, "{} requests failed\n", failures.load());
  return 0;
}
