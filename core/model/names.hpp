// Interned names: fields, types and messages are compared as small integers.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model/schema.hpp"

namespace pc::model {

class NameTable {
 public:
  NameId intern(std::string_view name) {
    auto it = index_.find(std::string(name));
    if (it != index_.end()) return it->second;
    NameId id = static_cast<NameId>(names_.size());
    names_.emplace_back(name);
    index_.emplace(names_.back(), id);
    return id;
  }
  NameId find(std::string_view name) const {
    auto it = index_.find(std::string(name));
    return it == index_.end() ? kNone : it->second;
  }
  const std::string& str(NameId id) const {
    static const std::string empty;
    return id < names_.size() ? names_[id] : empty;
  }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, NameId> index_;
};

}  // namespace pc::model
