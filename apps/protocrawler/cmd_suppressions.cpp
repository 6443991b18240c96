// `protocrawler suppressions list|export|import`: the fingerprints whose findings were
// judged accepted risks or false positives, as a file that travels between projects
// (a new firmware's store, a colleague's, CI's).
#include <fmt/core.h>

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "apps/protocrawler/command.hpp"
#include "apps/protocrawler/finding_replay.hpp"
#include "apps/protocrawler/status_change.hpp"
#include "core/store/utc.hpp"

namespace pc::cli {
namespace {

constexpr const char* kFormat = "protocrawler-suppressions";

// The suppressions in force today, one per fingerprint.
std::vector<store::Suppression> active(store::Store& s) {
  const std::string today = store::iso_utc_now().substr(0, 10);
  std::vector<store::Suppression> out;
  std::set<std::string> seen;
  auto all = s.suppressions();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (!seen.insert(it->fingerprint).second) continue;
    if (auto a = s.active_suppression(it->fingerprint, today)) out.push_back(*a);
  }
  return out;
}

nlohmann::json to_json(store::Store& s, const std::vector<store::Suppression>& list) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& x : list) {
    nlohmann::json j = {
        {"fingerprint", x.fingerprint}, {"status", x.status}, {"by", x.by},        {"why", x.why},
        {"expires", x.expires},         {"utc", x.utc},       {"source", x.source}};
    if (auto f = s.finding_by_fingerprint(x.fingerprint)) j["title"] = f->title;
    items.push_back(std::move(j));
  }
  return {{"format", kFormat}, {"version", 1}, {"suppressions", items}};
}

// Reads a suppressions file; throws UserError naming the entry and what is wrong.
std::vector<store::Suppression> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UserError{path + ": cannot open the file"};
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = nlohmann::json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded()) throw UserError{path + ": not JSON"};
  if (!doc.is_object() || doc.value("format", "") != kFormat || !doc.contains("suppressions") ||
      !doc["suppressions"].is_array()) {
    throw UserError{fmt::format(
        "{}: not a suppressions file (format \"{}\" with a \"suppressions\" list)", path, kFormat)};
  }
  std::vector<store::Suppression> out;
  size_t i = 0;
  for (const auto& e : doc["suppressions"]) {
    auto text = [&](const char* key, bool required) {
      if (!e.is_object() || !e.contains(key) || !e[key].is_string()) {
        if (required)
          throw UserError{
              fmt::format("{}: suppressions[{}]: \"{}\" is missing or not text", path, i, key)};
        return std::string();
      }
      return e[key].get<std::string>();
    };
    store::Suppression s;
    s.fingerprint = text("fingerprint", true);
    s.status = text("status", true);
    s.by = text("by", true);
    s.why = text("why", true);
    s.expires = text("expires", false);
    s.source = text("source", false);
    // a finding's fingerprint: 16 lowercase hex digits (docs/findings.md)
    if (s.fingerprint.size() != 16 ||
        s.fingerprint.find_first_not_of("0123456789abcdef") != std::string::npos) {
      throw UserError{fmt::format("{}: suppressions[{}]: fingerprint '{}' is not 16 hex digits", path, i,
                                  s.fingerprint)};
    }
    if (s.by.find_first_not_of(" \t") == std::string::npos || s.why.find_first_not_of(" \t") == std::string::npos) {
      throw UserError{fmt::format("{}: suppressions[{}]: \"by\" and \"why\" must say who and why", path, i)};
    }
    if (!suppressing(s.status)) {
      throw UserError{
          fmt::format("{}: suppressions[{}]: status '{}' is not accepted-risk or false-positive",
                      path, i, s.status)};
    }
    if (!s.expires.empty() && !valid_date(s.expires)) {
      throw UserError{
          fmt::format("{}: suppressions[{}]: expires '{}' is not YYYY-MM-DD", path, i, s.expires)};
    }
    out.push_back(std::move(s));
    ++i;
  }
  return out;
}

}  // namespace

void add_suppressions_command(CLI::App& app, Global&) {
  auto* cmd = app.add_subcommand("suppressions",
                                 "Accepted risks and false positives: list, export, import");
  cmd->require_subcommand(1);
  auto project = std::make_shared<std::string>("protocrawler.db");

  auto* list = cmd->add_subcommand("list", "The suppressions in force");
  list->add_option("--project", *project, "Project store (default ./protocrawler.db)");
  list->callback([project] {
    auto s = open_store(*project);
    auto all = active(*s);
    if (all.empty()) fmt::print("no suppressions in force in {}\n", s->path());
    for (const auto& x : all) {
      fmt::print("{}  {:<14} until {:<10}  by {}: {}\n", x.fingerprint, x.status,
                 x.expires.empty() ? "-" : x.expires, x.by, x.why);
    }
  });

  auto out = std::make_shared<std::string>();
  auto* exp = cmd->add_subcommand("export", "Write the suppressions in force to a file (JSON)");
  exp->add_option("--project", *project, "Project store (default ./protocrawler.db)");
  exp->add_option("--out", *out, "The file to write ('-' for standard output)")->required();
  exp->callback([project, out] {
    auto s = open_store(*project);
    auto all = active(*s);
    std::string text = to_json(*s, all).dump(2) + "\n";
    if (*out == "-") {
      std::cout << text;
      return;
    }
    std::ofstream f(*out);
    if (!(f << text)) throw UserError{*out + ": cannot write"};
    fmt::print("{} suppression(s) written to {}\n", all.size(), *out);
  });

  auto file = std::make_shared<std::string>();
  auto* imp = cmd->add_subcommand(
      "import",
      "Add the suppressions of a file; findings with those fingerprints take their status");
  imp->add_option("FILE", *file, "A file written by `suppressions export`")->required();
  imp->add_option("--project", *project, "Project store (default ./protocrawler.db)");
  imp->callback([project, file] {
    auto entries = read_file(*file);
    auto s = open_store(*project, /*create=*/true);
    size_t applied = 0;
    for (auto& e : entries) {
      e.source = "import " + *file + (e.source.empty() ? "" : " (" + e.source + ")");
      s->add_suppression(e);
      if (auto f = s->finding_by_fingerprint(e.fingerprint); f && f->status != e.status) {
        store::StatusChange c;
        c.finding_id = f->id;
        c.status = e.status;
        c.by = e.by;
        c.why = "suppressed (" + e.source + "): " + e.why;
        c.expires = e.expires;
        s->set_status(c);
        ++applied;
      }
    }
    if (s->error_count()) throw UserError{s->last_error()};
    fmt::print("{} suppression(s) imported into {}; {} finding(s) there took their status\n",
               entries.size(), s->path(), applied);
  });
}

}  // namespace pc::cli
