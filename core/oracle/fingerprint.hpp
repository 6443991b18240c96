// A finding's fingerprint: what makes two observations the same defect. Kind, model,
// message type, field, mutation class and reaction class, plus the top sanitizer frames
// when there are any; never the seed, the case index, the bytes, the model digest or the
// tool version, so it stays the same across campaigns and firmware versions.
#pragma once

#include <string>
#include <vector>

namespace pc::oracle {

struct FingerprintParts {
  std::string kind, model, message_type, field, mutation_class, reaction;
  std::vector<std::string> frames;  // function and file:line, no addresses
};

std::string fingerprint(const FingerprintParts& p);  // 16 hex digits of SHA-256
std::string fingerprint_text(const FingerprintParts& p);  // the input, for people

}  // namespace pc::oracle
