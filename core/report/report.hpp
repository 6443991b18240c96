// `protocrawler report`: the reports of one run from the project store alone, in the
// formats asked for, and optionally the evidence package (docs/report.md).
#pragma once

#include <string>
#include <vector>

#include "core/store/store.hpp"

namespace pc::report {

struct ReportOptions {
  store::Id run = 0;                    // 0: the latest run
  std::vector<std::string> formats = {"html", "json", "sarif", "junit", "csv"};  // and pdf
  std::string out_dir;
  bool package = false;
  std::string sign_key;                 // PEM private key for the manifest's signature
  std::string signer;                   // a name for the signer, in the signed manifest
  std::string tool_version;
};

struct ReportResult {
  std::vector<std::string> written;     // every file written (reports, package folder, archive)
  std::string html, package_dir, archive;
  std::vector<std::string> warnings;    // a format that could not be written (e.g. no PDF converter)
};

inline constexpr const char* kFormats = "html, json, sarif, junit, csv, pdf";

// false and `error` when nothing useful could be written (no such run, unwritable folder,
// bad signing key). A missing PDF converter is a warning, not a failure, unless pdf is the
// only format asked for.
bool write_reports(store::Store& s, const ReportOptions& o, ReportResult& result, std::string& error);

}  // namespace pc::report
