// The availability chart of one storm, as inline SVG: a pure function of the stored
// series (the same data always gives the same bytes), for the report to embed.
//
// Three panels share the time axis (seconds since the storm's first step):
//   offered load   the offered rate per step (solid) and the achieved rate (dashed);
//                  a logarithmic axis when the rates span more than a factor of 10
//   on time        the share of essential-function cycles on time per judged window,
//                  with the threshold (min_success_ratio) dashed
//   latency        each answered cycle (green on time, amber late), the late bound
//                  dashed; missed cycles as red marks and wrong ones as orange marks at
//                  the top edge
// Behind all three, each step is shaded by its verdict (degraded amber, failed red,
// not judged grey) and the recovery interval is hatched. docs/dos.md, "Reading the
// chart", explains it for readers of a report.
#pragma once

#include <string>

#include "core/availability/storm_series.hpp"

namespace pc::availability {

struct ChartOptions {
  int width = 760;
  int panel_height = 90;
};

std::string render_availability_svg(const StormSeries& series, const ChartOptions& options = {});

}  // namespace pc::availability
