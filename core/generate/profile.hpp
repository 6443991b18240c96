// Depth profiles: how deep a campaign goes, as data (profiles/*.yaml). SL 1 to SL 4 follow
// the security level a vendor targets; `ci` is small, for tests.
#pragma once

#include <string>
#include <vector>

#include "core/generate/mutation_class.hpp"

namespace pc::generate {

struct Profile {
  std::string name;
  std::string doc;
  int security_level = 0;
  std::vector<MutationClass> classes;  // systematic classes
  uint32_t per_slot = 8;               // variants at most per (field, class)
  std::vector<std::string> focus;      // only fields whose path matches one of these globs ("pdu.*")
  std::vector<std::string> state_attacks;
  uint64_t random_cases = 0;
  uint32_t max_stack = 3;              // mutations stacked in one random case
  std::string dos_yaml;                // the availability tests' slot, as written
  std::string auth_yaml;               // the authentication tests' slot, as written
  std::string file;                    // where it was loaded from
  bool has(MutationClass c) const;
  bool attacks(const std::string& state_attack) const;
  bool focused_on(const std::string& path) const;  // true when there is no focus
};

// Folders searched for profiles: the given ones, $PROTOCRAWLER_PROFILES, the source tree's
// profiles/ and share/protocrawler/profiles beside the executable.
std::vector<std::string> profile_dirs(const std::vector<std::string>& extra = {});
// Loads "sl2" (by name) or a path; false and a "file:line:column: cause" error on failure.
bool load_profile(const std::string& name_or_path, Profile& out, std::string& error,
                  const std::vector<std::string>& extra_dirs = {});
// "sl1".."sl4" for --sl N
std::string profile_for_level(int level);

}  // namespace pc::generate
