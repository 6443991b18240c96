#include "core/observe/sanitizer_report.hpp"

#include <array>
#include <cctype>

namespace pc::observe {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool all_digits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      return false;
    }
  }
  return true;
}

// "/src/a/b.cpp:42:7" -> "b.cpp:42"; "(/lib/x.so+0x12)" -> "x.so+0x12", or "x.so" when
// `keep_offset` is false (the function is known); else nothing.
std::optional<std::string> location(std::string_view token, bool keep_offset = true) {
  if (token.size() > 2 && token.front() == '(' && token.back() == ')') {
    std::string_view module = basename(token.substr(1, token.size() - 2));
    if (!keep_offset) {
      module = module.substr(0, module.rfind("+0x"));
    }
    return std::string(module);
  }
  std::string_view file = token;
  std::string_view line;
  for (int part = 0; part < 2; ++part) {  // at most :line:column
    const auto colon = file.rfind(':');
    if (colon == std::string_view::npos || !all_digits(file.substr(colon + 1))) {
      break;
    }
    line = file.substr(colon + 1);
    file = file.substr(0, colon);
  }
  if (line.empty() || file.empty()) {
    return std::nullopt;
  }
  return std::string(basename(file)) + ":" + std::string(line);
}

// Index of the frame ("#12" -> 12), or -1.
int frame_index(std::string_view line) {
  line = trim(line);
  if (line.size() < 2 || line.front() != '#') {
    return -1;
  }
  const auto space = line.find(' ');
  const std::string_view digits =
      line.substr(1, space == std::string_view::npos ? line.npos : space - 1);
  return all_digits(digits) && digits.size() < 6 ? std::stoi(std::string(digits)) : -1;
}

}  // namespace

bool starts_sanitizer_report(std::string_view line) {
  constexpr std::array<std::string_view, 8> markers = {
      "ERROR: AddressSanitizer",  "ERROR: LeakSanitizer",
      "runtime error:",           "SUMMARY: UndefinedBehaviorSanitizer",
      "ERROR: MemorySanitizer",   "WARNING: MemorySanitizer",
      "WARNING: ThreadSanitizer", "ERROR: HWAddressSanitizer"};
  for (const std::string_view marker : markers) {
    if (line.find(marker) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> stack_frame(std::string_view line) {
  line = trim(line);
  if (frame_index(line) < 0) {
    return std::nullopt;
  }
  line.remove_prefix(line.find(' ') + 1);
  line = trim(line);
  if (line.substr(0, 2) != "0x") {
    return std::nullopt;
  }
  const auto after_address = line.find(' ');
  if (after_address == std::string_view::npos) {
    return std::nullopt;
  }
  line = trim(line.substr(after_address));
  if (const auto build_id = line.rfind(" (BuildId:"); build_id != std::string_view::npos) {
    line = trim(line.substr(0, build_id));
  }
  if (line.substr(0, 3) != "in ") {
    return location(line);  // unsymbolized: "(module+0xoffset)"
  }
  line = trim(line.substr(3));
  const auto last_space = line.rfind(' ');
  if (last_space != std::string_view::npos) {
    if (auto where = location(line.substr(last_space + 1), false)) {
      return std::string(trim(line.substr(0, last_space))) + " " + *where;
    }
  }
  return std::string(line);
}

std::vector<std::string> top_frames(std::string_view report, size_t max) {
  std::vector<std::string> frames;
  std::optional<std::string> runtime_error;
  bool in_stack = false;
  while (!report.empty() && frames.size() < max) {
    const auto end = report.find('\n');
    const std::string_view line = report.substr(0, end);
    report = end == std::string_view::npos ? std::string_view() : report.substr(end + 1);
    auto frame = stack_frame(line);
    if (frame && !(in_stack && frame_index(line) == 0)) {
      in_stack = true;
      frames.push_back(std::move(*frame));
      continue;
    }
    if (in_stack) {
      break;  // the first stack ended
    }
    if (const auto marker = line.find(": runtime error:");
        marker != std::string_view::npos && !runtime_error) {
      runtime_error = location(trim(line.substr(0, marker)));
    }
  }
  if (frames.empty() && runtime_error) {
    frames.push_back(*runtime_error);
  }
  return frames;
}

}  // namespace pc::observe
