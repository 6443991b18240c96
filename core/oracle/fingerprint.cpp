#include "core/oracle/fingerprint.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

namespace pc::oracle {

std::string fingerprint_text(const FingerprintParts& p) {
  std::string s = fmt::format("{}|{}|{}|{}|{}|{}", p.kind, p.model, p.message_type, p.field, p.mutation_class, p.reaction);
  for (const auto& f : p.frames) s += "|" + f;
  return s;
}

std::string fingerprint(const FingerprintParts& p) {
  std::string text = fingerprint_text(p);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned i = 0; i < 8 && i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

}  // namespace pc::oracle
