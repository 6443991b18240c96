// The target as the campaign sees it: where it is, how to open a connection, whether it
// is healthy (the model's probe message on a fresh connection), and how to bring it back
// (restart the process it started, or run the user's reset hook).
#pragma once

#include <memory>
#include <string>

#include "core/campaign/options.hpp"
#include "core/model/message.hpp"
#include "core/observe/process_monitor.hpp"
#include "core/oracle/verdict.hpp"
#include "core/transport/transport.hpp"

namespace pc::campaign {

class TargetControl {
 public:
  TargetControl(const model::Model& model, const Options& options, std::string log_path);
  ~TargetControl();

  // Starts the target process (with --target-cmd) and resolves the address. With no
  // --target, the address is the one the process prints when ready.
  bool start(std::string& error);
  const transport::Address& address() const { return address_; }
  std::unique_ptr<transport::Transport> transport() const;

  // One probe on a fresh connection.
  oracle::Health probe();
  // A probe, and when it fails, probes until the recovery window ends (or the process dies).
  oracle::Health check();
  // Restarts the process, or runs the reset hook, until a probe is healthy.
  bool make_healthy(std::string& why);
  // Kills and restarts a process we started (culprit search wants a fresh target).
  bool restart(std::string& why);

  observe::ProcessMonitor* process() { return process_.get(); }
  const std::vector<uint8_t>& probe_bytes() const { return probe_bytes_; }
  uint32_t probes_sent() const { return probes_; }
  std::chrono::microseconds probe_deadline() const;

 private:
  bool resolve(std::string& error);
  const model::Model& model_;
  const Options& options_;
  std::string log_path_;
  transport::Address address_;
  std::unique_ptr<observe::ProcessMonitor> process_;
  std::vector<uint8_t> probe_bytes_;
  model::Message probe_msg_;
  uint32_t probes_ = 0;
};

}  // namespace pc::campaign
