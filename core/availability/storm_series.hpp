// One storm's results read back from the project store, as a report needs them: the
// stored result (run fact `availability/<storm>`), the essential function's cycles
// (latency table, kinds `ef:<storm>:<status>`), and the bounds they were judged by
// (run fact `availability/plan`). The report section and the chart start here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/availability/storm_result.hpp"
#include "core/store/store.hpp"

namespace pc::availability {

struct StormSeries {
  StormResult result;
  std::vector<Cycle> cycles;       // in time order; value and why are not stored
  int64_t late_after_us = 0;       // the late bound of the run
  double min_success_ratio = 0.95;
  uint32_t window_cycles = 10;     // cycles per judged window
};

// The storms of an availability run, in the order they ran (empty: not an availability run).
std::vector<std::string> stored_storms(store::Store& store, store::Id run);
// nullopt and `error` when the run has no such storm or its record is malformed.
std::optional<StormSeries> load_storm_series(store::Store& store, store::Id run, const std::string& storm,
                                             std::string& error);

}  // namespace pc::availability
