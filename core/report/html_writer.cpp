// The HTML report: one file, no network fetch (a Content-Security-Policy forbids any),
// inline CSS and SVG, and a few lines of script that build the table of contents and mark
// the page ready (tests read that mark, and any script error, from headless Chromium).
#include <fmt/format.h>

#include "core/report/html.hpp"
#include "core/report/section.hpp"
#include "core/report/writers.hpp"

namespace pc::report {
namespace {

constexpr const char* kStyle = R"css(
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:13px;color:#222;margin:0 auto;max-width:1100px;padding:16px 24px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:18px;border-bottom:2px solid #1f77b4;padding-bottom:3px;margin-top:28px}
h3{font-size:15px;margin:16px 0 6px}h4{font-size:13px;margin:12px 0 4px}
table{border-collapse:collapse;margin:6px 0 12px;width:100%}th,td{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#eef3f8}table.small td,table.small th{font-size:11px}
dl{display:grid;grid-template-columns:200px 1fr;gap:2px 12px;margin:6px 0}dt{font-weight:bold;color:#444}dd{margin:0}
code.hex{font-family:"DejaVu Sans Mono",monospace;font-size:11px;word-break:break-all}.redacted{background:#e5e5e5;color:#888}
pre{background:#f6f6f6;padding:6px;overflow-x:auto;font-size:11px;white-space:pre-wrap}
.badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:11px;font-weight:bold;color:#fff;background:#7f8c8d}
.sev-critical{background:#7b241c}.sev-high{background:#c0392b}.sev-medium{background:#e67e22}.sev-low{background:#2e86c1}.sev-none{background:#7f8c8d}
.v-evidenced{background:#27ae60}.v-findings-open{background:#c0392b}.v-not-tested{background:#95a5a6}.v-not-applicable{background:#5d6d7e}
.v-not-supported-by-protocol{background:#8e44ad}.v-degraded{background:#e67e22}.st{background:#34495e}
.warn{background:#fdf2e9;border-left:4px solid #e67e22;padding:4px 8px}.lead{font-size:15px}
article.finding{border:1px solid #ddd;border-radius:4px;padding:4px 12px;margin:12px 0;page-break-inside:avoid}
svg.chart{display:block;margin:8px 0}svg .ct{font-size:13px;font-weight:bold}svg .cl{font-size:10px;fill:#333}
svg .ax{stroke:#888}svg .pt{fill:#1f77b4}
nav#toc{background:#f4f6f8;padding:6px 12px;border-radius:4px}nav#toc a{margin-right:14px}
@media print{nav#toc{display:none}details{display:block}}
)css";

// Builds the contents, marks the page ready with the sections it shows; an error anywhere
// is recorded on the page (data-errors) for the tests to see.
constexpr const char* kScript = R"js(
(function(){
  var errors=0;
  window.addEventListener('error',function(){errors++;document.body.setAttribute('data-errors',String(errors));});
  var toc=document.getElementById('toc');var shown=[];var charts=[];
  document.querySelectorAll('section[data-section]').forEach(function(s){
    var a=document.createElement('a');a.href='#'+s.id;a.textContent=s.querySelector('h2').textContent;toc.appendChild(a);
    if(s.getBoundingClientRect().height>0&&s.querySelector('h2'))shown.push(s.id);
    var svgs=0;s.querySelectorAll('svg').forEach(function(g){var b=g.getBoundingClientRect();if(b.width>0&&b.height>0)svgs++;});
    if(svgs)charts.push(s.id+':'+svgs);
  });
  document.body.setAttribute('data-sections-shown',shown.join(','));
  document.body.setAttribute('data-charts-shown',charts.join(','));
  document.body.setAttribute('data-errors',String(errors));
  document.body.setAttribute('data-ready','1');
})();
)js";

}  // namespace

std::string render_html(const nlohmann::json& doc) {
  using html::esc;
  const auto& dc = doc["document_control"];
  const auto& scope = doc["scope"];
  const auto& comp = scope["component"];
  std::string what = html::text(comp["vendor"]) + " " + html::text(comp["product"]) + " " +
                     html::text(comp["firmware"]);
  if (what.find_first_not_of(' ') == std::string::npos) what = html::text(comp["name"]);
  if (what.size() > 80) what = what.substr(0, 77) + "...";
  std::string title = fmt::format("ProtoCrawler report {}: {}", html::text(dc["report_id"]), what);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      esc(title) + "</title><style>" + kStyle + "</style></head><body>";
  out += "<header><h1>" + esc(title) + "</h1><p>" +
         esc(fmt::format("Revision {}, {}. Generated from the project store alone by {} {}.",
                         html::text(dc["revision"]), html::text(dc["date"]),
                         html::text(dc["tool"]["name"]), html::text(dc["tool"]["version"]))) +
         "</p><nav id=\"toc\"></nav></header>";
  for (const auto& s : sections()) {
    if (!doc.contains(s->id())) continue;
    out += "<section data-section id=\"" + esc(s->id()) + "\"><h2>" + esc(s->title()) + "</h2>" +
           s->html(doc[s->id()], doc) + "</section>";
  }
  out += "<script>" + std::string(kScript) + "</script></body></html>\n";
  return out;
}

}  // namespace pc::report
