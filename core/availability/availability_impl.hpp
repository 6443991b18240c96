// Internal to the availability run: the state shared by availability_run.cpp (setup,
// baseline, the loop over storms, the summary), storm_runner.cpp (one storm: stepping,
// recovery, confirmation, verdict) and availability_finding.cpp (findings in the store).
#pragma once

#include <chrono>

#include "core/availability/availability_run.hpp"
#include "core/availability/essential_function.hpp"
#include "core/availability/message_pools.hpp"
#include "core/availability/netns.hpp"
#include "core/availability/storm_catalogue.hpp"
#include "core/campaign/safety.hpp"
#include "core/campaign/target_control.hpp"
#include "core/oracle/finding_kind.hpp"
#include "core/store/store.hpp"

namespace pc::availability {

struct AvailabilityRun::Impl {
  Impl(campaign::Options c, AvailabilityOptions a, std::shared_ptr<const model::Model> m, generate::Profile p)
      : co_(std::move(c)), ao_(std::move(a)), model_(std::move(m)), profile_(std::move(p)) {}

  // availability_run.cpp
  bool setup(AvailabilitySummary& s);
  bool start_monitor(std::string& error);
  bool measure_baseline(AvailabilitySummary& s, const std::atomic<bool>& stop);
  nlohmann::json plan_json() const;
  bool sleep_for(std::chrono::milliseconds d, const std::atomic<bool>& stop) const;  // false when stopped
  std::vector<std::pair<std::string, std::string>> hook_env() const;

  // storm_runner.cpp
  void run_storm(const std::string& name, AvailabilitySummary& s, const std::atomic<bool>& stop);
  std::string skip_reason(const StormInfo& info, const StormParams& params) const;
  bool ready_for_storm(std::string& why, const std::atomic<bool>& stop);
  RecoveryResult recover(int64_t t_end, bool need_probe, const std::atomic<bool>& stop);
  void sessions_recovery(StormResult& r, const std::atomic<bool>& stop);
  void confirm(StormResult& r, const CatalogueEntry& e, const LoadContext& ctx, const std::atomic<bool>& stop);
  void conclude(StormResult& r, int64_t from_ms, const std::optional<observe::ProcessEvent>& died);
  void store_storm(const StormResult& r, int64_t from_ms, int64_t to_ms);
  bool target_alive(std::optional<observe::ProcessEvent>* event = nullptr);

  // availability_finding.cpp
  int64_t write_finding(const StormResult& r, oracle::FindingKind kind, const std::string& detail, int64_t from_ms,
                        const std::optional<observe::ProcessEvent>& died);
  std::string reproduce_command(const StormResult& r) const;

  campaign::Options co_;
  AvailabilityOptions ao_;
  std::shared_ptr<const model::Model> model_;
  generate::Profile profile_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<campaign::TargetControl> target_;
  std::unique_ptr<campaign::Safety> safety_;
  MessagePools pools_;
  SocketAddress target_sa_;
  std::unique_ptr<Netns> netns_;
  std::string netns_reason_;
  std::unique_ptr<EssentialMonitor> monitor_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  store::Id run_id_ = 0, target_id_ = 0;
  std::string out_dir_;
  std::chrono::microseconds late_after_{0};
  nlohmann::json baseline_;
  std::map<std::string, uint32_t> findings_by_kind_;
  std::function<void(const std::string&)> progress_;
  void note(const std::string& line) const {
    if (progress_) progress_(line);
  }
};

}  // namespace pc::availability
