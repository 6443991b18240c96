#include "core/report/package.hpp"

#include <fmt/format.h>
#include <sys/utsname.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/report/program.hpp"
#include "core/report/signing.hpp"
#include "core/store/sha256.hpp"

namespace pc::report {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifest = "MANIFEST.json";
constexpr const char* kSignature = "MANIFEST.sig";
constexpr const char* kPublicKey = "MANIFEST.pub.pem";

bool write_file(const fs::path& p, const std::string& data, std::string& error) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::binary);
  if (!(out << data) || !out.flush()) {
    error = p.string() + ": cannot write";
    return false;
  }
  return true;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string sha256_of(const std::string& data) {
  return store::sha256_hex(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

// Every regular file under `root`, as relative paths with '/'.
std::set<std::string> files_under(const fs::path& root) {
  std::set<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file() || it->is_symlink()) out.insert(fs::relative(it->path(), root).generic_string());
  }
  return out;
}

}  // namespace

bool write_package(const Context& c, const nlohmann::json& doc, const PackageInput& in, std::string& archive,
                   std::string& error) {
  const fs::path root(in.dir);
  std::error_code ec;
  if (fs::exists(root)) fs::remove_all(root, ec);
  fs::create_directories(root, ec);
  if (ec) {
    error = in.dir + ": cannot create the package folder: " + ec.message();
    return false;
  }
  std::map<std::string, bool> confidential_findings;
  for (const auto& f : doc["findings"]["items"]) confidential_findings[std::to_string(f["id"].get<int64_t>())] = f["redacted"].get<bool>();
  // reports
  for (const auto& r : in.report_files) {
    fs::copy_file(r, root / "reports" / fs::path(r).filename(), fs::copy_options::overwrite_existing, ec);
    if (ec) {
      fs::create_directories(root / "reports", ec);
      fs::copy_file(r, root / "reports" / fs::path(r).filename(), fs::copy_options::overwrite_existing, ec);
    }
    if (ec) {
      error = r + ": cannot copy into the package: " + ec.message();
      return false;
    }
  }
  // each finding's artefacts, and how to replay it
  for (const auto& f : c.findings) {
    const std::string id = std::to_string(f.id);
    const fs::path dir = (confidential_findings[id] ? root / "confidential" / "findings" : root / "findings") / id;
    for (const auto& a : c.store->artefacts(f.id)) {
      if (!write_file(dir / a.name, std::string(a.data.begin(), a.data.end()), error)) return false;
    }
    // what the device answered, raw (the reports show it redacted)
    auto details = nlohmann::json::parse(f.details_json, nullptr, false);
    if (details.is_object()) {
      nlohmann::json observed = {{"finding", f.id},
                                 {"detail", details.value("detail", "")},
                                 {"observed", details.contains("observed") ? details["observed"] : nlohmann::json()},
                                 {"process_report", details.value("process_report", "")}};
      if (!write_file(dir / "observed.json", observed.dump(2) + "\n", error)) return false;
    }
    std::string cmd = fmt::format(
        "# Replays finding {} ({}) from the project store:\n"
        "protocrawler replay {} --project PROJECT --target tcp://HOST:PORT --count 3\n"
        "# Without ProtoCrawler (python3, standard library only):\n"
        "python3 reproduce.py HOST PORT\n",
        f.id, f.title, f.id);
    if (!write_file(dir / "replay-command.txt", cmd, error)) return false;
  }
  // the campaign, the models, the environment
  if (!write_file(root / "campaign" / "campaign.yaml", c.run.campaign_yaml, error)) return false;
  for (const auto& a : c.run_artefacts) {
    if (a.kind == "model" && !write_file(root / "models" / a.name, std::string(a.data.begin(), a.data.end()), error)) return false;
  }
  struct utsname u {};
  ::uname(&u);
  nlohmann::json env = {{"tool", {{"name", "ProtoCrawler"}, {"version", c.tool_version}}},
                        {"run_by_version", c.run.tool_version},
                        {"generated_utc", c.generated_utc},
                        {"system", {{"sysname", u.sysname}, {"release", u.release}, {"machine", u.machine}}},
                        {"run", c.run.id},
                        {"store", c.store->path()}};
  if (!write_file(root / "environment.json", env.dump(2) + "\n", error)) return false;
  // the manifest: every file with its SHA-256; confidential ones marked
  nlohmann::json files = nlohmann::json::array();
  for (const auto& rel : files_under(root)) {
    const std::string data = read_file(root / rel);
    files.push_back({{"path", rel}, {"sha256", sha256_of(data)}, {"size", data.size()},
                     {"confidential", rel.rfind("confidential/", 0) == 0}});
  }
  nlohmann::json manifest = {{"format", "protocrawler-manifest"},
                             {"version", 1},
                             {"report_id", doc["document_control"]["report_id"]},
                             {"created_utc", c.generated_utc},
                             {"tool", {{"name", "ProtoCrawler"}, {"version", c.tool_version}}},
                             {"files", files}};
  Signature sig;
  if (!in.sign_key.empty()) {
    // the signer's key fingerprint is part of what is signed
    if (!sign(in.sign_key, "", sig, error)) return false;
    manifest["signer"] = {{"name", in.signer.empty() ? std::string("(no name given)") : in.signer},
                          {"key_sha256", sig.key_sha256}};
  }
  const std::string text = manifest.dump(2) + "\n";
  if (!write_file(root / kManifest, text, error)) return false;
  if (!in.sign_key.empty()) {
    if (!sign(in.sign_key, text, sig, error)) return false;
    if (!write_file(root / kSignature, std::string(sig.bytes.begin(), sig.bytes.end()), error)) return false;
    if (!write_file(root / kPublicKey, sig.public_key_pem, error)) return false;
  }
  // and the archive of it all
  archive = root.string() + ".tar.gz";
  ProgramResult r = run_program({"tar", "-C", root.parent_path().empty() ? "." : root.parent_path().string(), "-czf",
                                 archive, root.filename().string()},
                                std::chrono::seconds(300));
  if (r.exit_code != 0) {
    error = "tar could not write " + archive + ": " + r.output;
    return false;
  }
  return true;
}

VerifyResult verify_package(const std::string& path, const std::string& trusted_key_file, bool allow_unsigned) {
  VerifyResult v;
  fs::path root(path);
  fs::path temp;
  if (fs::is_regular_file(root)) {
    // an archive: unpacked into a fresh temporary folder
    char tmpl[] = "/tmp/pc-verify-XXXXXX";
    if (!::mkdtemp(tmpl)) {
      v.problems.push_back("cannot make a temporary folder");
      return v;
    }
    temp = tmpl;
    ProgramResult r = run_program({"tar", "-C", temp.string(), "-xzf", path}, std::chrono::seconds(300));
    if (r.exit_code != 0) {
      v.problems.push_back(path + ": not a readable .tar.gz: " + r.output);
    } else {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(temp, ec)) {
        if (e.is_directory()) root = e.path();
      }
    }
  }
  auto cleanup = [&] {
    std::error_code ec;
    if (!temp.empty()) fs::remove_all(temp, ec);
  };
  if (!v.problems.empty()) {
    cleanup();
    return v;
  }
  if (!fs::exists(root / kManifest)) {
    v.problems.push_back(fmt::format("{}: no {} (not an evidence package)", path, kManifest));
    cleanup();
    return v;
  }
  const std::string text = read_file(root / kManifest);
  auto manifest = nlohmann::json::parse(text, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object() || !manifest.contains("files") || !manifest["files"].is_array()) {
    v.problems.push_back(std::string(kManifest) + " is not a manifest");
    cleanup();
    return v;
  }
  std::map<std::string, std::string> listed;
  for (const auto& f : manifest["files"]) {
    const std::string p = f.value("path", "");
    listed[p] = f.value("sha256", "");
    v.confidential += f.value("confidential", false);
  }
  v.files = listed.size();
  std::set<std::string> present = files_under(root);
  for (const char* own : {kManifest, kSignature, kPublicKey}) present.erase(own);
  for (const auto& p : present) {
    auto it = listed.find(p);
    if (it == listed.end()) {
      v.problems.push_back("added: " + p + " (not in the manifest)");
    } else if (sha256_of(read_file(root / p)) != it->second) {
      v.problems.push_back("changed: " + p + " (its SHA-256 differs from the manifest's)");
    }
  }
  for (const auto& [p, _] : listed) {
    if (!present.count(p)) v.problems.push_back("removed: " + p + " (in the manifest, not in the package)");
  }
  // the signature over the manifest
  if (!fs::exists(root / kSignature)) {
    if (!allow_unsigned) v.problems.push_back("the manifest is not signed (package it with --sign-key)");
  } else {
    const std::string sig = read_file(root / kSignature);
    std::string pem = read_file(root / kPublicKey), err;
    if (!trusted_key_file.empty()) {
      const std::string trusted = read_file(trusted_key_file);
      std::string e1, e2;
      const std::string a = public_key_sha256(trusted, e1), b = public_key_sha256(pem, e2);
      if (a.empty()) v.problems.push_back(trusted_key_file + ": " + e1);
      else if (a != b) v.problems.push_back("the package was signed with another key than " + trusted_key_file);
      pem = trusted;
    }
    if (!verify_signature(pem, text, std::vector<uint8_t>(sig.begin(), sig.end()), err)) {
      v.problems.push_back("signature: " + err + " (the manifest was changed after signing, or the signature was)");
    }
    v.key_sha256 = public_key_sha256(pem, err);
    if (manifest.contains("signer") && manifest["signer"].is_object()) {
      v.signer = manifest["signer"].value("name", "");
      if (manifest["signer"].value("key_sha256", "") != v.key_sha256) {
        v.problems.push_back("the manifest names another signing key than the one that signed it");
      }
    }
  }
  v.ok = v.problems.empty();
  cleanup();
  return v;
}

}  // namespace pc::report
