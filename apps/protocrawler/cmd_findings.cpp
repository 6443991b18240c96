// `protocrawler findings`: the findings of a project store.
#include <fmt/core.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/protocrawler/command.hpp"
#include "apps/protocrawler/finding_replay.hpp"
#include "core/score/cvss31.hpp"
#include "core/store/store.hpp"

namespace pc::cli {

std::unique_ptr<store::Store> open_store(const std::string& project, bool create) {
  if (!create) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path file = project;
    if (fs::is_directory(file, ec)) file /= "protocrawler.db";
    if (!fs::exists(file, ec)) {
      throw UserError{"no project store at " + file.string() +
                      " (a campaign, `protocrawler dos` or `suppressions import` makes one)"};
    }
    if (fs::is_regular_file(file, ec) && fs::file_size(file, ec) == 0) {
      throw UserError{file.string() + " is empty: not a project store"};
    }
  }
  std::string err;
  auto s = store::Store::open(project, err);
  if (!s) throw UserError{"cannot open the project store " + project + ": " + err};
  return s;
}

void add_findings_command(CLI::App& app, Global&) {
  struct Flags {
    std::string project = "protocrawler.db";
    int64_t run = 0;
    bool json = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("findings", "List the findings of a project store");
  cmd->add_option("--project", f->project, "Project store (file or folder; default ./protocrawler.db)");
  cmd->add_option("--run", f->run, "Only findings seen in this run");
  cmd->add_flag("--json", f->json, "One JSON document");
  cmd->callback([f] {
    auto s = open_store(f->project);
    auto list = f->run ? s->findings(f->run) : s->findings();
    if (f->json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& x : list) {
        nlohmann::json details = nlohmann::json::parse(x.details_json, nullptr, false);
        out.push_back({{"id", x.id}, {"fingerprint", x.fingerprint}, {"kind", x.kind}, {"title", x.title},
                       {"model", x.model}, {"message_type", x.message_type}, {"field", x.field_path},
                       {"mutation_class", x.mutation_class}, {"reaction", x.reaction}, {"status", x.status},
                       {"first_run", x.first_run}, {"last_run", x.last_run},
                       {"occurrences", s->occurrences(x.id).size()},
                       {"cvss_version", x.cvss_version}, {"cvss_vector", x.cvss_vector},
                       {"cvss_score", x.cvss_score ? nlohmann::json(*x.cvss_score) : nlohmann::json()},
                       {"severity", x.cvss_score ? std::string(score::severity(*x.cvss_score)) : ""},
                       {"cwe", x.cwe}, {"requirements", x.requirements},
                       {"score_override", x.score_override_json.empty()
                                              ? nlohmann::json()
                                              : nlohmann::json::parse(x.score_override_json, nullptr, false)},
                       {"details", details.is_discarded() ? nlohmann::json() : details}});
      }
      std::cout << out.dump(1) << "\n";
      return;
    }
    if (list.empty()) {
      fmt::print("no findings in {}\n", s->path());
      return;
    }
    fmt::print("{:>4}  {:<20} {:<14} {:<13} {:<16} {}\n", "id", "kind", "status", "score", "fingerprint", "title");
    for (const auto& x : list) {
      std::string sc = x.cvss_score ? fmt::format("{:.1f} {}", *x.cvss_score, score::severity(*x.cvss_score)) : "-";
      fmt::print("{:>4}  {:<20} {:<14} {:<13} {:<16} {}\n", x.id, x.kind, x.status, sc, x.fingerprint, x.title);
    }
  });
}

}  // namespace pc::cli
