// The last N bytes of a stream: appending is amortised O(1) and memory stays under 2 N.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace pc::observe::detail {

class TailBuffer {
 public:
  explicit TailBuffer(size_t capacity) : capacity_(capacity) {}

  void append(std::string_view bytes) {
    if (bytes.size() >= capacity_) {
      text_.assign(bytes.substr(bytes.size() - capacity_));
      return;
    }
    text_.append(bytes);
    if (text_.size() > 2 * capacity_) {
      text_.erase(0, text_.size() - capacity_);
    }
  }
  // The last `max_bytes` (at most the capacity), starting at a line when one starts
  // inside them.
  std::string tail(size_t max_bytes) const {
    const size_t keep = std::min({max_bytes, capacity_, text_.size()});
    std::string_view view(text_);
    view = view.substr(view.size() - keep);
    if (keep < text_.size() && text_[text_.size() - keep - 1] != '\n') {
      const auto newline = view.find('\n');
      if (newline != std::string_view::npos && newline + 1 < view.size()) {
        view.remove_prefix(newline + 1);
      }
    }
    return std::string(view);
  }
  void clear() { text_.clear(); }

 private:
  size_t capacity_;
  std::string text_;
};

}  // namespace pc::observe::detail
