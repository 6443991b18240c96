#include "core/campaign/target_control.hpp"

#include <fmt/format.h>

#include <thread>

#include "core/campaign/model_cutter.hpp"
#include "core/model/builder.hpp"
#include "core/model/decoder.hpp"
#include "core/model/encoder.hpp"

namespace pc::campaign {

using namespace std::chrono_literals;

TargetControl::TargetControl(const model::Model& model, const Options& options, std::string log_path)
    : model_(model), options_(options), log_path_(std::move(log_path)), probe_msg_(model) {
  const auto& p = model.session.probe;
  if (p.message != model::kNone) {
    probe_msg_ = model::build(model, p.message);
    for (const auto& s : p.set) {
      uint32_t v = probe_msg_.find(s.path);
      if (v != model::kNone) probe_msg_.set(v, s.value);
    }
    probe_bytes_ = model::encode(probe_msg_);
  }
}

TargetControl::~TargetControl() = default;

std::chrono::microseconds TargetControl::probe_deadline() const {
  return std::chrono::duration_cast<std::chrono::microseconds>(options_.thresholds.max_latency);
}

bool TargetControl::resolve(std::string& error) {
  std::string text = options_.target;
  if (text.empty()) {
    if (!process_) {
      error = "no --target given (and no --target-cmd that prints its address)";
      return false;
    }
    text = (model_.transport == "udp" ? "udp://" : "tcp://") + process_->ready_text();
  }
  if (!transport::parse_address(text, address_, error)) return false;
  if (!address_.loopback() && !options_.allow_remote) {
    error = fmt::format(
        "{} is not a loopback address: fuzzing can stop a physical process. Declare the target a test "
        "installation with --allow-remote (or allow_remote: true in the campaign file) to go on.",
        address_.text());
    return false;
  }
  return true;
}

bool TargetControl::start(std::string& error) {
  if (!options_.target_cmd.empty()) {
    process_ = std::make_unique<observe::ProcessMonitor>(options_.target_cmd, options_.target_ready, log_path_);
    // a wedged target may ignore SIGTERM: do not wait long before SIGKILL
    process_->set_stop_grace(std::chrono::milliseconds(500));
    if (!process_->start(20s, error)) {
      error = "the target process did not start: " + error;
      return false;
    }
  }
  return resolve(error);
}

std::unique_ptr<transport::Transport> TargetControl::transport() const {
  if (address_.kind == transport::Address::Kind::Udp) return transport::make_udp_client(address_);
  transport::TcpOptions o;
  o.connect_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(options_.thresholds.max_latency);
  return transport::make_tcp_client(address_, o);
}

oracle::Health TargetControl::probe() {
  oracle::Health h;
  ++probes_;
  h.monitored = process_ != nullptr;
  if (process_) {
    observe::ProcessEvent ev;
    if (!process_->alive(&ev)) {
      h.process = ev;
      h.probe.reaction = oracle::Reaction::Refused;
      return h;
    }
  }
  if (probe_bytes_.empty()) {
    h.healthy = true;  // the model has no probe: nothing to judge with
    return h;
  }
  auto conn = transport();
  const auto limit = probe_deadline();
  transport::Received rx = conn->open(transport::Clock::now() + limit);
  if (rx.outcome == transport::Outcome::Answer) {
    rx = conn->send(probe_bytes_);
    if (rx.outcome == transport::Outcome::Answer) {
      ModelCutter cutter(model_);
      rx = conn->receive(cutter, transport::Clock::now() + limit);
    }
  }
  conn->close();
  h.probe = oracle::classify_answer(model_, &probe_msg_, rx);
  h.healthy = h.probe.reaction == oracle::Reaction::Normal || h.probe.reaction == oracle::Reaction::Refusal;
  if (process_ && !h.healthy) {
    observe::ProcessEvent ev;
    if (!process_->alive(&ev)) h.process = ev;
  }
  return h;
}

oracle::Health TargetControl::check() {
  oracle::Health first = probe();
  if (first.healthy || first.process) return first;
  // a process that is dying (a sanitizer printing its report) gets a moment to die
  if (process_) {
    for (int i = 0; i < 20; ++i) {
      observe::ProcessEvent ev;
      if (!process_->alive(&ev)) {
        first.process = ev;
        return first;
      }
      std::this_thread::sleep_for(50ms);
    }
  }
  // a device that refuses new peers while its process runs does not recover by waiting
  if (process_ && (first.probe.reaction == oracle::Reaction::Refused || first.probe.reaction == oracle::Reaction::Close ||
                   first.probe.reaction == oracle::Reaction::Reset)) {
    return first;
  }
  const auto until = std::chrono::steady_clock::now() + options_.thresholds.recovery_window;
  while (std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(200ms);
    oracle::Health again = probe();
    if (again.process) {
      first.process = again.process;
      return first;
    }
    if (again.healthy) {
      first.recovered = true;
      return first;
    }
  }
  return first;
}

bool TargetControl::restart(std::string& why) {
  if (!process_) {
    why = "no target process to restart";
    return false;
  }
  if (!process_->restart(20s, why)) return false;
  return resolve(why);
}

bool TargetControl::make_healthy(std::string& why) {
  if (probe().healthy) return true;
  if (process_) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      if (!restart(why)) continue;
      for (int i = 0; i < 20; ++i) {
        if (probe().healthy) return true;
        std::this_thread::sleep_for(100ms);
      }
    }
    why = "the target process did not answer after restarts";
    return false;
  }
  if (!options_.reset_cmd.empty()) {
    std::string out;
    observe::run_hook(options_.reset_cmd, {{"PROTOCRAWLER_TARGET", address_.text()}}, options_.hooks.timeout, &out);
  }
  oracle::Health h = check();
  if (h.healthy || h.recovered) return true;
  why = "the target did not come back within the recovery window";
  return false;
}

}  // namespace pc::campaign
