// Finding model files by name: models/<name>.yaml in the first folder that has it.
// Folders searched, in order: the ones given (--models), $PROTOCRAWLER_MODELS, the
// source tree's models/ and share/protocrawler/models beside the executable.
#pragma once

#include <string>
#include <vector>

#include "core/model/loader.hpp"

namespace pc::model {

class Catalog {
 public:
  explicit Catalog(std::vector<std::string> extra_dirs = {});
  const std::vector<std::string>& dirs() const { return dirs_; }
  // Every model name found, sorted, each once.
  std::vector<std::string> names() const;
  // The file of a model name, or "" when there is none.
  std::string path_of(const std::string& name) const;
  // Loads a model by name or by path (anything with a '/' or ending in .yaml).
  LoadResult load(const std::string& name_or_path) const;

 private:
  std::vector<std::string> dirs_;
};

}  // namespace pc::model
