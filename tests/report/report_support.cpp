#include "tests/report/report_support.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace pc::test {

namespace fs = std::filesystem;

RunResult cli(const std::vector<std::string>& args, int timeout_s) {
  std::vector<std::string> argv = {PC_CLI};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, timeout_s);
}

RunResult validate(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {PC_PYTHON, PC_VALIDATE};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, 300);
}

CampaignRun short_campaign(const std::string& project, const std::vector<std::string>& defects,
                           const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"--target-cmd", ref_device(defects), "--phases", "discovery,systematic",
                                   "--out", project + "/files"};
  args.insert(args.end(), fast_timing().begin(), fast_timing().end());
  args.insert(args.end(), extra.begin(), extra.end());
  return run_campaign(project, args, 300);
}

bool make_key(const std::string& dir, const std::string& name) {
  RunResult k = run({"openssl", "genpkey", "-algorithm", "ed25519", "-out", dir + "/" + name + ".pem"}, 60);
  RunResult p = run({"openssl", "pkey", "-in", dir + "/" + name + ".pem", "-pubout", "-out", dir + "/" + name + ".pub.pem"}, 60);
  return k.exit_code == 0 && p.exit_code == 0;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

nlohmann::json read_json(const std::string& path) { return nlohmann::json::parse(read_text(path), nullptr, false); }

std::vector<std::string> files_containing(const std::string& dir, const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && read_text(e.path().string()).find(needle) != std::string::npos) {
      out.push_back(e.path().string());
    }
  }
  return out;
}

std::string hex_of(const std::string& text) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

}  // namespace pc::test
