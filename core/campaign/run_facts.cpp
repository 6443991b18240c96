// What a report needs of a run besides its cases (docs/report.md): the scope as declared,
// the protocol as the model describes it, the model file itself, the plan (every slot the
// profile asks for, so coverage can be judged complete or not) and the device's identity
// as it answered.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/campaign/campaign_impl.hpp"

namespace pc::campaign {

namespace fs = std::filesystem;

void Campaign::Impl::record_scope() {
  const Scope& sc = o_.scope;
  nlohmann::json na = nlohmann::json::object();
  for (const auto& [cr, why] : sc.not_applicable) na[cr] = why;
  const int sl = sc.target_sl ? sc.target_sl : profile_.security_level;
  store_->put_fact(run_id_, "scope",
                   nlohmann::json{{"component_type", sc.component_type},
                                  {"vendor", sc.vendor},
                                  {"product", sc.product},
                                  {"firmware", sc.firmware},
                                  {"tester", sc.tester},
                                  {"independence", sc.independence},
                                  {"target_sl", sl},
                                  {"profile", profile_.name},
                                  {"profile_security_level", profile_.security_level},
                                  {"not_applicable", na}}
                       .dump());
  const model::Security& sec = m_.security;
  store_->put_fact(run_id_, "protocol",
                   nlohmann::json{{"name", m_.name},
                                  {"title", m_.title},
                                  {"spec", m_.spec},
                                  {"transport", m_.transport},
                                  {"port", m_.port},
                                  {"digest", m_.digest},
                                  {"security",
                                   {{"authentication", sec.authentication},
                                    {"authorization", sec.authorization},
                                    {"integrity", sec.integrity},
                                    {"doc", sec.doc}}}}
                       .dump());
  // the model file itself, so a report and an evidence package hold what was run
  std::ifstream in(m_.file, std::ios::binary);
  if (in) {
    std::ostringstream text;
    text << in.rdbuf();
    store::Artefact a;
    a.run_id = run_id_;
    a.kind = "model";
    a.name = fs::path(m_.file).filename().string();
    const std::string t = text.str();
    a.data.assign(t.begin(), t.end());
    store_->add_artefact(a);
  }
}

void Campaign::Impl::record_plan() {
  nlohmann::json slots = nlohmann::json::array();
  for (const auto& slot : catalog_->slots()) {
    slots.push_back({{"message", m_.str(m_.messages[slot.message].name)},
                     {"field", slot.path},
                     {"class", std::string(generate::class_name(slot.mutation))},
                     {"cases", slot.variants.size()}});
  }
  nlohmann::json stateful = nlohmann::json::array();
  generate::TestCase c;
  for (uint64_t i = 0; i < stateful_->count(); ++i) {
    stateful_->generate(i, c);
    stateful.push_back({{"index", i},
                        {"message", c.message == model::kNone ? "" : m_.str(m_.messages[c.message].name)},
                        {"attack", c.recipe}});
  }
  nlohmann::json classes = nlohmann::json::array();
  for (auto cl : profile_.classes) classes.push_back(std::string(generate::class_name(cl)));
  nlohmann::json messages = nlohmann::json::array();
  for (auto id : catalog_->messages()) messages.push_back(m_.str(m_.messages[id].name));
  store_->put_fact(run_id_, "plan",
                   nlohmann::json{{"profile", profile_.name},
                                  {"classes", classes},
                                  {"per_slot", profile_.per_slot},
                                  {"state_attacks", profile_.state_attacks},
                                  {"random_cases", random_->count()},
                                  {"phases", o_.phases},
                                  {"messages", messages},
                                  {"systematic", slots},
                                  {"stateful", stateful}}
                       .dump());
}

void Campaign::Impl::check_identity(Summary& s) {
  const Scope& sc = o_.scope;
  const std::map<std::string, std::string> declared = {
      {"vendor", sc.vendor}, {"product", sc.product}, {"firmware", sc.firmware}};
  nlohmann::json mismatches = nlohmann::json::array();
  for (const auto& [part, value] : declared) {
    auto it = discovery_.said.find(part);
    if (value.empty() || it == discovery_.said.end() || it->second == value) continue;
    std::string w = fmt::format("the device says its {} is '{}', but '{}' was declared", part, it->second, value);
    mismatches.push_back({{"part", part}, {"declared", value}, {"said", it->second}});
    s.warnings.push_back(w);
    progress_->note("warning: " + w);
  }
  store_->put_fact(run_id_, "identity",
                   nlohmann::json{{"declared", declared}, {"said", discovery_.said}, {"mismatches", mismatches}}.dump());
}

}  // namespace pc::campaign
