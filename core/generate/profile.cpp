#include "core/generate/profile.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fnmatch.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace pc::generate {

namespace fs = std::filesystem;

bool Profile::has(MutationClass c) const { return std::find(classes.begin(), classes.end(), c) != classes.end(); }

bool Profile::attacks(const std::string& a) const {
  return std::find(state_attacks.begin(), state_attacks.end(), a) != state_attacks.end();
}

bool Profile::focused_on(const std::string& path) const {
  if (focus.empty()) return true;
  for (const auto& g : focus) {
    if (fnmatch(g.c_str(), path.c_str(), 0) == 0) return true;
  }
  return false;
}

std::vector<std::string> profile_dirs(const std::vector<std::string>& extra) {
  std::vector<std::string> dirs = extra;
  if (const char* env = std::getenv("PROTOCRAWLER_PROFILES"); env && *env) dirs.emplace_back(env);
#ifdef PC_PROFILES_DIR
  dirs.emplace_back(PC_PROFILES_DIR);
#endif
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back((exe.parent_path().parent_path() / "share" / "protocrawler" / "profiles").string());
  return dirs;
}

std::string profile_for_level(int level) { return fmt::format("sl{}", level); }

namespace {

std::string where(const std::string& file, const YAML::Node& n) {
  if (!n.IsDefined() || n.Mark().is_null()) return file;
  return fmt::format("{}:{}:{}", file, n.Mark().line + 1, n.Mark().column + 1);
}

}  // namespace

bool load_profile(const std::string& name_or_path, Profile& out, std::string& error,
                  const std::vector<std::string>& extra_dirs) {
  std::string path = name_or_path;
  if (name_or_path.find('/') == std::string::npos && name_or_path.find(".yaml") == std::string::npos) {
    path.clear();
    for (const auto& d : profile_dirs(extra_dirs)) {
      fs::path p = fs::path(d) / (name_or_path + ".yaml");
      std::error_code ec;
      if (fs::is_regular_file(p, ec)) {
        path = p.string();
        break;
      }
    }
    if (path.empty()) {
      error = fmt::format("no profile named '{}' (profiles: sl1, sl2, sl3, sl4, ci)", name_or_path);
      return false;
    }
  }
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    error = fmt::format("{}: cannot open the file", path);
    return false;
  } catch (const YAML::Exception& e) {
    error = fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg);
    return false;
  }
  Profile p;
  p.file = path;
  try {
    if (!doc.IsMap()) {
      error = path + ": a profile is a mapping";
      return false;
    }
    for (const auto& kv : doc) {
      std::string k = kv.first.as<std::string>();
      static const std::vector<std::string> keys = {"name", "security_level", "doc", "systematic", "stateful",
                                                    "random", "dos", "auth"};
      if (std::find(keys.begin(), keys.end(), k) == keys.end()) {
        error = fmt::format("{}: unknown key '{}' in a profile", where(path, kv.first), k);
        return false;
      }
    }
    p.name = doc["name"] ? doc["name"].as<std::string>() : fs::path(path).stem().string();
    p.doc = doc["doc"] ? doc["doc"].as<std::string>() : "";
    p.security_level = doc["security_level"] ? doc["security_level"].as<int>() : 0;
    if (const auto& s = doc["systematic"]) {
      for (const auto& c : s["classes"]) {
        auto mc = class_from_name(c.as<std::string>());
        if (!mc) {
          error = fmt::format("{}: unknown mutation class '{}'", where(path, c), c.as<std::string>());
          return false;
        }
        p.classes.push_back(*mc);
      }
      if (s["per_slot"]) p.per_slot = s["per_slot"].as<uint32_t>();
      if (s["focus"]) p.focus = s["focus"].as<std::vector<std::string>>();
    }
    static const std::vector<std::string> attacks = {"skip_opener", "repeat_opener",   "forbidden_state", "stale_id",
                                                     "replay",      "interleave",      "write_then_read"};
    for (const auto& a : doc["stateful"]) {
      std::string name = a.as<std::string>();
      if (std::find(attacks.begin(), attacks.end(), name) == attacks.end()) {
        error = fmt::format("{}: unknown state attack '{}'", where(path, a), name);
        return false;
      }
      p.state_attacks.push_back(name);
    }
    if (const auto& r = doc["random"]) {
      if (r["cases"]) p.random_cases = r["cases"].as<uint64_t>();
      if (r["max_stack"]) p.max_stack = std::max<uint32_t>(1, r["max_stack"].as<uint32_t>());
    }
    if (doc["dos"]) p.dos_yaml = YAML::Dump(doc["dos"]);
    if (doc["auth"]) p.auth_yaml = YAML::Dump(doc["auth"]);
  } catch (const YAML::Exception& e) {
    error = fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg);
    return false;
  }
  out = std::move(p);
  return true;
}

}  // namespace pc::generate
