// The evidence package: a folder (and a .tar.gz of it) with the reports, each finding's
// raw reproducer, replay command, wire capture and process report, the campaign file, the
// model files, the tool version and environment, and MANIFEST.json listing every file
// with its SHA-256, signed with an OpenSSL key (MANIFEST.sig, MANIFEST.pub.pem). Raw bytes
// that the reports redact live under confidential/, which the manifest marks.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/report/context.hpp"

namespace pc::report {

struct PackageInput {
  std::string dir;                       // the package folder to create (must not exist)
  std::vector<std::string> report_files; // rendered reports to include under reports/
  std::string sign_key, signer;
};

// Writes the folder and `dir`.tar.gz; false and `error` on failure.
bool write_package(const Context& c, const nlohmann::json& doc, const PackageInput& in, std::string& archive,
                   std::string& error);

struct VerifyResult {
  bool ok = false;
  std::vector<std::string> problems;    // changed, added, removed files; signature problems
  std::string signer, key_sha256;       // who signed (as the signed manifest says) and the key's fingerprint
  size_t files = 0, confidential = 0;
};

// `path`: a package folder or its .tar.gz. `trusted_key`: a PEM public key the signer must
// hold ("" accepts the key in the package, and says so). Unsigned packages fail unless
// `allow_unsigned`.
VerifyResult verify_package(const std::string& path, const std::string& trusted_key_file, bool allow_unsigned);

}  // namespace pc::report
