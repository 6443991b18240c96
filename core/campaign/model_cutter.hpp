// The transport's frame cutter, backed by the model's framer.
#pragma once

#include "core/model/framer.hpp"
#include "core/transport/transport.hpp"

namespace pc::campaign {

class ModelCutter final : public transport::FrameCutter {
 public:
  explicit ModelCutter(const model::Model& model) : framer_(model) {}
  Cut next(std::span<const uint8_t> data) override {
    auto c = framer_.next(data);
    Cut out;
    out.size = c.size;
    out.kind = c.kind == model::Framer::Cut::Kind::Message  ? Cut::Kind::Message
               : c.kind == model::Framer::Cut::Kind::NeedMore ? Cut::Kind::NeedMore
                                                              : Cut::Kind::Junk;
    return out;
  }

 private:
  model::Framer framer_;
};

}  // namespace pc::campaign
