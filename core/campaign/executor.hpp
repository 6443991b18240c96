// Runs a test case on a connection to the target: sends each step, waits for its answer
// by the case deadline, and returns what happened as the oracle sees it. Connections are
// reopened after anything but a framed answer, so a half-read message never bleeds into
// the next case.
#pragma once

#include <memory>
#include <vector>

#include "core/campaign/model_cutter.hpp"
#include "core/campaign/target_control.hpp"
#include "core/generate/test_case.hpp"
#include "core/oracle/verdict.hpp"

namespace pc::campaign {

class Executor {
 public:
  Executor(const model::Model& model, TargetControl& target);
  void set_deadline(std::chrono::microseconds d) { deadline_ = d; }
  std::chrono::microseconds deadline() const { return deadline_; }

  // Runs the case (its steps, then its undo steps). `fresh`: on a new connection.
  oracle::CaseResult run(const generate::TestCase& test, bool fresh = false);
  const std::vector<transport::Received>& raw() const { return raw_; }
  int64_t sent_utc_ms() const { return sent_utc_ms_; }
  void close();

 private:
  transport::Received step(const generate::Step& s, const model::Message& request, oracle::AnswerView& view);
  const model::Model& model_;
  TargetControl& target_;
  ModelCutter cutter_;
  std::unique_ptr<transport::Transport> conn_;
  std::chrono::microseconds deadline_{200000};
  std::vector<transport::Received> raw_;
  int64_t sent_utc_ms_ = 0;
};

}  // namespace pc::campaign
