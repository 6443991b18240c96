#include "core/report/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace pc::report::html {

std::string esc(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string text(const nlohmann::json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_float()) return fmt::format("{:.1f}", j.get<double>());
  return j.dump();
}

std::string dl(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string out = "<dl>";
  for (const auto& [k, v] : rows) out += "<dt>" + esc(k) + "</dt><dd>" + (v.empty() ? "&mdash;" : v) + "</dd>";
  return out + "</dl>";
}

std::string table(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                  const std::string& cls) {
  std::string out = cls.empty() ? "<table>" : "<table class=\"" + cls + "\">";
  out += "<thead><tr>";
  for (const auto& h : headers) out += "<th>" + esc(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& r : rows) {
    out += "<tr>";
    for (const auto& c : r) out += "<td>" + c + "</td>";
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

std::string hex_block(const std::string& hex) {
  std::string out = "<code class=\"hex\">";
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    if (i) out += (i % 32 == 0) ? "<br>" : " ";
    std::string b = hex.substr(i, 2);
    out += b == "**" ? "<span class=\"redacted\">**</span>" : b;
  }
  return out + "</code>";
}

std::string badge(const std::string& label, const std::string& cls) {
  return "<span class=\"badge " + cls + "\">" + esc(label) + "</span>";
}

std::string severity_class(const std::string& s) {
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return "sev-" + lower;
}

std::string verdict_class(const std::string& v) {
  std::string out = "v-";
  for (char c : v) out += c == ' ' ? '-' : c;
  return out;
}

namespace {

double nice_max(double m) {
  if (m <= 0) return 1;
  double p = std::pow(10.0, std::floor(std::log10(m)));
  for (double k : {1.0, 2.0, 5.0, 10.0}) {
    if (k * p >= m) return k * p;
  }
  return 10 * p;
}

}  // namespace

std::string bar_chart(const std::string& title, const std::vector<std::string>& categories,
                      const std::vector<Series>& stacked, int width) {
  const int label_w = 260, bar_h = 16, gap = 6, top = 28;
  const int height = top + static_cast<int>(categories.size()) * (bar_h + gap) + 40;
  double max = 0;
  for (size_t i = 0; i < categories.size(); ++i) {
    double sum = 0;
    for (const auto& s : stacked) sum += i < s.values.size() ? s.values[i] : 0;
    max = std::max(max, sum);
  }
  max = std::max(4.0, nice_max(max));  // counts: whole-number ticks
  const double scale = (width - label_w - 40) / max;
  std::string out = fmt::format(
      "<svg class=\"chart\" role=\"img\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
      width, height, width, height, esc(title));
  out += fmt::format("<text x=\"0\" y=\"16\" class=\"ct\">{}</text>", esc(title));
  for (size_t i = 0; i < categories.size(); ++i) {
    const int y = top + static_cast<int>(i) * (bar_h + gap);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"cl\">{}</text>", label_w - 6,
                       y + bar_h - 4, esc(categories[i]));
    double x = label_w;
    for (const auto& s : stacked) {
      double v = i < s.values.size() ? s.values[i] : 0;
      if (v <= 0) continue;
      out += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                         x, y, std::max(1.0, v * scale), bar_h, s.color, esc(s.name), v);
      x += v * scale;
    }
  }
  const int axis_y = top + static_cast<int>(categories.size()) * (bar_h + gap) + 4;
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"ax\"/>", label_w, axis_y,
                     width - 40, axis_y);
  for (int k = 0; k <= 4; ++k) {
    double v = max * k / 4;
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" class=\"cl\">{}</text>",
                       label_w + v * scale, axis_y + 14, v == std::floor(v) ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v));
  }
  // legend
  int lx = label_w;
  for (const auto& s : stacked) {
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" class=\"cl\">{}</text>",
                       lx, axis_y + 20, s.color, lx + 14, axis_y + 29, esc(s.name));
    lx += 24 + static_cast<int>(s.name.size()) * 7;
  }
  return out + "</svg>";
}

std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<std::pair<double, double>>& points, int width) {
  const int height = 240, left = 60, right = 20, top = 28, bottom = 40;
  double xmax = 0, ymax = 0;
  for (const auto& [x, y] : points) {
    xmax = std::max(xmax, x);
    ymax = std::max(ymax, y);
  }
  xmax = nice_max(xmax);
  ymax = nice_max(ymax);
  const double sx = (width - left - right) / xmax, sy = (height - top - bottom) / ymax;
  std::string out = fmt::format(
      "<svg class=\"chart\" role=\"img\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
      width, height, width, height, esc(title));
  out += fmt::format("<text x=\"0\" y=\"16\" class=\"ct\">{}</text>", esc(title));
  const int y0 = height - bottom;
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"ax\"/>", left, y0, width - right, y0);
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"ax\"/>", left, top, left, y0);
  for (int k = 0; k <= 4; ++k) {
    out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\" class=\"cl\">{:.0f}</text>", left - 4,
                       y0 - ymax * k / 4 * sy + 4, ymax * k / 4);
    out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\" class=\"cl\">{:.0f}</text>",
                       left + xmax * k / 4 * sx, y0 + 14, xmax * k / 4);
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"cl\">{}</text>", (left + width) / 2,
                     height - 6, esc(x_label));
  out += fmt::format("<text x=\"12\" y=\"{}\" class=\"cl\" transform=\"rotate(-90 12 {})\" text-anchor=\"middle\">{}</text>",
                     (top + y0) / 2, (top + y0) / 2, esc(y_label));
  // one dot per sample: samples are not a continuous signal
  for (const auto& [x, y] : points) {
    out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"1.6\" class=\"pt\"/>", left + x * sx, y0 - y * sy);
  }
  return out + "</svg>";
}

std::string heat_map(const std::string& title, const std::vector<std::string>& rows,
                     const std::vector<std::string>& columns, const std::vector<std::vector<double>>& counts,
                     const std::vector<std::vector<bool>>& marked) {
  const int label_w = 290, cell = 26, top = 110;
  const int width = label_w + static_cast<int>(columns.size()) * cell + 20;
  const int height = top + static_cast<int>(rows.size()) * cell + 10;
  double max = 0;
  for (const auto& r : counts) {
    for (double v : r) max = std::max(max, v);
  }
  std::string out = fmt::format(
      "<svg class=\"chart\" role=\"img\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>",
      width, height, width, height, esc(title));
  out += fmt::format("<text x=\"0\" y=\"16\" class=\"ct\">{}</text>", esc(title));
  for (size_t c = 0; c < columns.size(); ++c) {
    const int x = label_w + static_cast<int>(c) * cell + cell / 2;
    out += fmt::format("<text x=\"{}\" y=\"{}\" class=\"cl\" transform=\"rotate(-60 {} {})\">{}</text>", x, top - 6,
                       x, top - 6, esc(columns[c]));
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const int y = top + static_cast<int>(r) * cell;
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"cl\">{}</text>", label_w - 6,
                       y + cell / 2 + 4, esc(rows[r]));
    for (size_t c = 0; c < columns.size(); ++c) {
      const double v = r < counts.size() && c < counts[r].size() ? counts[r][c] : 0;
      const bool mark = r < marked.size() && c < marked[r].size() && marked[r][c];
      // log scale, so one case shows next to thousands
      const double t = v <= 0 || max <= 0 ? 0 : 0.15 + 0.85 * std::log1p(v) / std::log1p(max);
      const std::string fill = v <= 0 ? "#f2f2f2" : fmt::format("rgba(31,119,180,{:.2f})", t);
      out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}><title>{} / {}: {} cases{}</title></rect>",
                         label_w + static_cast<int>(c) * cell, y, cell - 2, cell - 2, fill,
                         mark ? " stroke=\"#c0392b\" stroke-width=\"3\"" : "", esc(rows[r]), esc(columns[c]), v,
                         mark ? ", finding" : "");
    }
  }
  return out + "</svg>";
}

}  // namespace pc::report::html
