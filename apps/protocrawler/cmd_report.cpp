// `protocrawler report` and `protocrawler verify-package`.
#include <fmt/core.h>

#include <sstream>

#include "apps/protocrawler/command.hpp"
#include "apps/protocrawler/finding_replay.hpp"
#include "core/report/package.hpp"
#include "core/report/report.hpp"
#include "core/report/signing.hpp"

namespace pc::cli {

void add_report_command(CLI::App& app, Global&) {
  struct Flags {
    std::string project = "protocrawler.db", out, formats = "html,json,sarif,junit,csv", sign_key,
                signer;
    int64_t run = 0;
    bool package = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand(
      "report", "Write the assessor's reports of a run from the project store alone");
  cmd->add_option("--project", f->project, "Project store (default ./protocrawler.db)");
  cmd->add_option("--run", f->run, "The run to report (default: the latest campaign; the latest availability run joins it)");
  cmd->add_option("--out", f->out, "Folder for the reports")->required();
  cmd->add_option("--format", f->formats,
                  "Comma separated: html, json, sarif, junit, csv, pdf (default all but pdf)");
  cmd->add_flag("--package", f->package,
                "Also write the evidence package: a folder, a .tar.gz and a SHA-256 manifest");
  cmd->add_option("--sign-key", f->sign_key,
                  "PEM private key (RSA, EC, Ed25519) that signs the package's manifest")
      ->check(CLI::ExistingFile);
  cmd->add_option("--signer", f->signer, "The signer's name, written into the signed manifest");
  cmd->footer(
      "docs/report.md says what each format holds. The PDF needs chromium or wkhtmltopdf on the "
      "PATH.\n"
      "Check a package with `protocrawler verify-package PATH`.");
  cmd->callback([f] {
    if (!f->sign_key.empty() && !f->package)
      throw UserError{"--sign-key signs a package: add --package"};
    report::ReportOptions o;
    o.run = f->run;
    o.out_dir = f->out;
    o.package = f->package;
    o.sign_key = f->sign_key;
    o.signer = f->signer;
    o.tool_version = PC_VERSION;
    o.formats.clear();
    std::stringstream ss(f->formats);
    for (std::string x; std::getline(ss, x, ',');) {
      if (!x.empty()) o.formats.push_back(x);
    }
    if (!f->sign_key.empty()) {
      // a key that cannot sign is refused before any report or package file is written
      report::Signature probe;
      std::string why;
      if (!report::sign(f->sign_key, "protocrawler key check", probe, why)) {
        throw UserError{"--sign-key: " + why};
      }
    }
    auto s = open_store(f->project);
    report::ReportResult r;
    std::string err;
    if (!report::write_reports(*s, o, r, err)) throw UserError{err};
    for (const auto& w : r.warnings) fmt::print(stderr, "protocrawler: warning: {}\n", w);
    for (const auto& w : r.written) fmt::print("wrote {}\n", w);
    if (!r.html.empty())
      fmt::print("open the report: file://{}\n", std::filesystem::absolute(r.html).string());
  });
}

void add_verify_package_command(CLI::App& app, Global&) {
  struct Flags {
    std::string path, key;
    bool allow_unsigned = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand(
      "verify-package",
      "Check an evidence package: every file's SHA-256 and the manifest's signature");
  cmd->add_option("PATH", f->path, "The package folder or its .tar.gz")
      ->required()
      ->check(CLI::ExistingPath);
  cmd->add_option("--key", f->key,
                  "The signer's PEM public key to require (default: the key in the package)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--allow-unsigned", f->allow_unsigned,
                "Accept a package whose manifest is not signed");
  cmd->footer(
      "Exit status: 0 when every file matches the signed manifest, 1 when not, 2 on errors.");
  cmd->callback([f] {
    report::VerifyResult v = report::verify_package(f->path, f->key, f->allow_unsigned);
    for (const auto& p : v.problems) fmt::print("FAIL {}\n", p);
    if (!v.key_sha256.empty()) {
      fmt::print(
          "signed by: {} (key SHA-256 {}){}\n", v.signer.empty() ? "(no name)" : v.signer,
          v.key_sha256,
          f->key.empty()
              ? "; the key is the one in the package: compare its fingerprint with the signer's"
              : "");
    }
    if (!v.ok)
      throw UserError{fmt::format("{}: the package does not verify ({} problem(s))", f->path,
                                  v.problems.size()),
                      1};
    fmt::print("{}: {} files match the manifest ({} confidential)\n", f->path, v.files,
               v.confidential);
  });
}

}  // namespace pc::cli
