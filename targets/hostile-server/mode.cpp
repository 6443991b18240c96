#include "mode.hpp"

#include <array>
#include <utility>

namespace pc::hostile {

namespace {

constexpr std::array<std::pair<Mode, std::string_view>, 7> kNames = {{
    {Mode::RandomBytes, "random-bytes"},
    {Mode::AbsurdLength, "absurd-length"},
    {Mode::Slow, "slow"},
    {Mode::Reset, "reset"},
    {Mode::Silent, "silent"},
    {Mode::Flood, "flood"},
    {Mode::CloseImmediately, "close-immediately"},
}};

}  // namespace

std::optional<Mode> parse_mode(std::string_view name) {
  for (const auto& [mode, text] : kNames) {
    if (text == name) {
      return mode;
    }
  }
  return std::nullopt;
}

const char* mode_name(Mode mode) {
  for (const auto& [candidate, text] : kNames) {
    if (candidate == mode) {
      return text.data();
    }
  }
  return "unknown";
}

std::string mode_list() {
  std::string out;
  for (const auto& [mode, text] : kNames) {
    out += out.empty() ? "" : ", ";
    out += text;
  }
  return out;
}

}  // namespace pc::hostile
