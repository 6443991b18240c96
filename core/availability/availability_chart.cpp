#include "core/availability/availability_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pc::availability {

namespace {

constexpr int kLeft = 76, kRight = 16, kTop = 44, kGap = 26, kBottom = 30;

std::string esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string num(double v) {
  if (v >= 1e6) return fmt::format("{:.3g}M", v / 1e6);
  if (v >= 1e4) return fmt::format("{:.3g}k", v / 1e3);
  if (v >= 10 || v == std::floor(v)) return fmt::format("{:.0f}", v);
  return fmt::format("{:.2g}", v);
}

// A vertical axis: linear from lo, or logarithmic.
struct Axis {
  double lo = 0, hi = 1;
  bool log = false;
  double top = 0, height = 1;
  double y(double v) const {
    double f;
    if (log) {
      const double a = std::log10(std::max(lo, 1e-9)), b = std::log10(std::max(hi, lo * 1.0001));
      f = (std::log10(std::clamp(v, lo, hi)) - a) / (b - a);
    } else {
      f = hi > lo ? (std::clamp(v, lo, hi) - lo) / (hi - lo) : 0;
    }
    return top + height * (1 - f);
  }
};

}  // namespace

std::string render_availability_svg(const StormSeries& s, const ChartOptions& o) {
  const StormResult& r = s.result;
  const int ph = o.panel_height;
  const int height = kTop + 3 * ph + 2 * kGap + kBottom;
  const double plot_w = o.width - kLeft - kRight;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"availability of {} under load\">\n",
      o.width, height, o.width, height, esc(r.storm));
  // one pattern id per storm: several charts share one page
  svg += "<defs><pattern id=\"hatch-" + esc(r.storm) + "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
         "patternTransform=\"rotate(45)\"><rect width=\"2\" height=\"6\" fill=\"#9ca3af\"/></pattern></defs>\n";
  svg += fmt::format("<text x=\"{}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{}: {}</text>\n", kLeft,
                     esc(r.storm), esc(to_string(r.verdict)));
  svg += fmt::format("<text x=\"{}\" y=\"16\" text-anchor=\"end\" fill=\"#4b5563\">sustained {} / degraded {} / failed {} "
                     "{}</text>\n",
                     o.width - kRight, r.max_sustained_rate ? num(*r.max_sustained_rate) : "-",
                     r.degraded_rate ? num(*r.degraded_rate) : "-", r.failed_rate ? num(*r.failed_rate) : "-", esc(r.unit));
  // the time range: the steps, the recovery, and the cycles in between
  int64_t t0 = 0, t1 = 0;
  bool any = false;
  auto span = [&](int64_t a, int64_t b) {
    if (!any) {
      t0 = a;
      t1 = b;
      any = true;
    }
    t0 = std::min(t0, a);
    t1 = std::max(t1, b);
  };
  for (const auto& st : r.steps) span(st.t_start_ms, st.t_end_ms);
  if (r.recovery.measured) span(r.recovery.t_start_ms, r.recovery.t_end_ms);
  if (!any || r.steps.empty()) {
    svg += fmt::format("<text x=\"{}\" y=\"{}\">no load was applied{}</text>\n</svg>\n", kLeft, kTop + ph,
                       r.skip_reason.empty() ? "" : ": " + esc(r.skip_reason));
    return svg;
  }
  if (t1 <= t0) t1 = t0 + 1;
  auto x = [&](int64_t t) { return kLeft + plot_w * static_cast<double>(std::clamp(t, t0, t1) - t0) / static_cast<double>(t1 - t0); };
  const double tops[3] = {static_cast<double>(kTop), static_cast<double>(kTop + ph + kGap),
                          static_cast<double>(kTop + 2 * (ph + kGap))};
  // verdict shading and recovery hatching, behind every panel
  for (const auto& st : r.steps) {
    const char* fill = st.verdict == Verdict::Degraded   ? "#fde68a"
                       : st.verdict == Verdict::Failed    ? "#fca5a5"
                       : st.verdict == Verdict::NotJudged ? "#e5e7eb"
                                                          : nullptr;
    if (!fill) continue;
    for (double top : tops) {
      svg += fmt::format("<rect class=\"verdict\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"/>\n",
                         x(st.t_start_ms), top, x(st.t_end_ms) - x(st.t_start_ms), ph, fill);
    }
  }
  if (r.recovery.measured) {
    const int64_t end = r.recovery.seconds ? r.recovery.t_start_ms + static_cast<int64_t>(*r.recovery.seconds * 1000)
                                           : r.recovery.t_end_ms;
    for (double top : tops) {
      svg += fmt::format("<rect class=\"recovery\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" "
                         "fill=\"url(#hatch-{})\" opacity=\"0.5\"/>\n",
                         x(r.recovery.t_start_ms), top, std::max(1.0, x(end) - x(r.recovery.t_start_ms)), ph,
                         esc(r.storm));
    }
  }
  auto frame = [&](double top, const std::string& title, const std::string& lo, const std::string& hi) {
    svg += fmt::format("<rect x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"none\" stroke=\"#374151\"/>\n",
                       kLeft, top, plot_w, ph);
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" font-weight=\"bold\">{}</text>\n", kLeft, top - 5, esc(title));
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 4, top + 10, esc(hi));
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", kLeft - 4, top + ph, esc(lo));
  };
  // 1. offered and achieved load
  {
    double lo = 1e300, hi = 0;
    for (const auto& st : r.steps) {
      lo = std::min({lo, st.offered, st.achieved > 0 ? st.achieved : st.offered});
      hi = std::max({hi, st.offered, st.achieved});
    }
    Axis a{0, std::max(hi, 1.0), false, tops[0], static_cast<double>(ph)};
    if (lo > 0 && hi / lo > 10) {
      a.log = true;
      a.lo = lo / 1.5;
      a.hi = hi * 1.5;
    }
    frame(tops[0], "offered load (" + r.unit + ")", num(a.log ? a.lo : 0), num(a.hi));
    // one horizontal segment per step (steps are apart: the load stops in between)
    std::string offered, achieved;
    for (const auto& st : r.steps) {
      offered += fmt::format("M{:.1f} {:.1f}H{:.1f}", x(st.t_start_ms), a.y(st.offered), x(st.t_end_ms));
      achieved += fmt::format("M{:.1f} {:.1f}H{:.1f}", x(st.t_start_ms), a.y(st.achieved), x(st.t_end_ms));
      if (st.kind != "step") {
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" fill=\"#4b5563\">{}</text>\n",
                           (x(st.t_start_ms) + x(st.t_end_ms)) / 2, a.y(st.offered) - 4, esc(st.kind));
      }
    }
    svg += fmt::format("<path class=\"offered\" d=\"{}\" fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"2\"/>\n", offered);
    svg += fmt::format("<path class=\"achieved\" d=\"{}\" fill=\"none\" stroke=\"#60a5fa\" stroke-width=\"1.5\" "
                       "stroke-dasharray=\"4 3\"/>\n",
                       achieved);
  }
  // 2. share of cycles on time, per window
  {
    Axis a{0, 1, false, tops[1], static_cast<double>(ph)};
    frame(tops[1], "essential function on time (% per window)", "0%", "100%");
    svg += fmt::format("<line class=\"threshold\" x1=\"{}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#b91c1c\" "
                       "stroke-dasharray=\"3 3\"/>\n",
                       kLeft, kLeft + plot_w, a.y(s.min_success_ratio), a.y(s.min_success_ratio));
    std::string pts;
    const size_t w = std::max<uint32_t>(1, s.window_cycles);
    std::vector<Cycle> in;
    for (const auto& c : s.cycles) {
      if (c.t_ms >= t0 && c.t_ms <= t1) in.push_back(c);
    }
    for (size_t at = 0; at < in.size(); at += w) {
      const size_t n = std::min(w, in.size() - at);
      size_t ok = 0;
      for (size_t i = at; i < at + n; ++i) ok += in[i].status == CycleStatus::OnTime;
      const int64_t mid = (in[at].t_ms + in[at + n - 1].t_ms) / 2;
      pts += fmt::format("{:.1f},{:.1f} ", x(mid), a.y(static_cast<double>(ok) / static_cast<double>(n)));
    }
    svg += fmt::format("<polyline class=\"on-time\" points=\"{}\" fill=\"none\" stroke=\"#047857\" stroke-width=\"2\"/>\n", pts);
  }
  // 3. latency of each answered cycle; missed and wrong cycles marked on the top edge
  {
    double hi = std::max<double>(static_cast<double>(s.late_after_us), 1000.0);
    for (const auto& c : s.cycles) {
      if (c.t_ms >= t0 && c.t_ms <= t1 && (c.status == CycleStatus::OnTime || c.status == CycleStatus::Late)) {
        hi = std::max(hi, static_cast<double>(c.latency_us));
      }
    }
    Axis a{10, hi * 1.5, true, tops[2], static_cast<double>(ph)};
    frame(tops[2], "latency (ms, log)", num(a.lo / 1000), num(a.hi / 1000));
    if (s.late_after_us > 0) {
      svg += fmt::format("<line class=\"late-bound\" x1=\"{}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#b45309\" "
                         "stroke-dasharray=\"3 3\"/>\n",
                         kLeft, kLeft + plot_w, a.y(static_cast<double>(s.late_after_us)),
                         a.y(static_cast<double>(s.late_after_us)));
    }
    for (const auto& c : s.cycles) {
      if (c.t_ms < t0 || c.t_ms > t1) continue;
      switch (c.status) {
        case CycleStatus::OnTime:
        case CycleStatus::Late:
          svg += fmt::format("<circle class=\"{}\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2\" fill=\"{}\"/>\n", to_string(c.status),
                             x(c.t_ms), a.y(std::max<double>(c.latency_us, a.lo)),
                             c.status == CycleStatus::OnTime ? "#047857" : "#d97706");
          break;
        case CycleStatus::Missed:
        case CycleStatus::Wrong:
          svg += fmt::format("<line class=\"{}\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" "
                             "stroke-width=\"1.5\"/>\n",
                             to_string(c.status), x(c.t_ms), x(c.t_ms), tops[2], tops[2] + 10,
                             c.status == CycleStatus::Missed ? "#dc2626" : "#ea580c");
          break;
      }
    }
  }
  // the time axis
  const double base = tops[2] + ph;
  for (int k = 0; k <= 4; ++k) {
    const double t = static_cast<double>(t1 - t0) * k / 4.0;
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:.1f} s</text>\n",
                       kLeft + plot_w * k / 4.0, base + 14, t / 1000.0);
  }
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#4b5563\">shaded: degraded (amber), failed "
                     "(red), not judged (grey); hatched: recovery</text>\n",
                     kLeft + plot_w, base + 27);
  svg += "</svg>\n";
  return svg;
}

}  // namespace pc::availability
