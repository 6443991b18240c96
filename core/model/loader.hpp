// Loading a model file. A broken file gives `file:line:column: what is wrong`, never a
// crash; see docs/model-language.md for the language.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "core/model/model.hpp"

namespace pc::model {

struct LoadError {
  std::string file;
  uint32_t line = 0;    // 1-based; 0 when the error has no position
  uint32_t column = 0;  // 1-based
  std::string message;
  std::string text() const;  // "file:line:column: message"
};

using LoadResult = std::variant<std::shared_ptr<const Model>, LoadError>;

LoadResult load_model_file(const std::string& path);
LoadResult load_model_text(std::string_view text, const std::string& file_name);

}  // namespace pc::model
