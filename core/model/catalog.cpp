#include "core/model/catalog.hpp"

#include <cstdlib>
#include <filesystem>
#include <set>

namespace pc::model {

namespace fs = std::filesystem;

Catalog::Catalog(std::vector<std::string> extra_dirs) : dirs_(std::move(extra_dirs)) {
  if (const char* env = std::getenv("PROTOCRAWLER_MODELS"); env && *env) dirs_.emplace_back(env);
#ifdef PC_MODELS_DIR
  dirs_.emplace_back(PC_MODELS_DIR);
#endif
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs_.push_back((exe.parent_path().parent_path() / "share" / "protocrawler" / "models").string());
}

std::vector<std::string> Catalog::names() const {
  std::set<std::string> out;
  for (const auto& d : dirs_) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(d, ec)) {
      if (e.path().extension() == ".yaml") out.insert(e.path().stem().string());
    }
  }
  return {out.begin(), out.end()};
}

std::string Catalog::path_of(const std::string& name) const {
  for (const auto& d : dirs_) {
    fs::path p = fs::path(d) / (name + ".yaml");
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return "";
}

LoadResult Catalog::load(const std::string& name_or_path) const {
  bool is_path = name_or_path.find('/') != std::string::npos ||
                 (name_or_path.size() > 5 && name_or_path.substr(name_or_path.size() - 5) == ".yaml");
  if (is_path) return load_model_file(name_or_path);
  std::string p = path_of(name_or_path);
  if (p.empty()) {
    std::string known;
    for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
    return LoadError{name_or_path, 0, 0, "no model of that name (known: " + known + ")"};
  }
  return load_model_file(p);
}

}  // namespace pc::model
