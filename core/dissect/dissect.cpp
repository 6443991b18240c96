#include "core/dissect/dissect.hpp"

#include <algorithm>

#include "core/model/decoder.hpp"
#include "core/model/framer.hpp"

namespace pc::dissect {

size_t Dissection::invalid() const {
  return static_cast<size_t>(std::count_if(messages.begin(), messages.end(), [](const DissectedMessage& m) {
    return m.message.broken(model::Strength::Must) > 0;
  }));
}

size_t Dissection::unresolved() const {
  return static_cast<size_t>(
      std::count_if(messages.begin(), messages.end(), [](const DissectedMessage& m) { return !m.message.resolved(); }));
}

namespace {

class StreamCutter {
 public:
  StreamCutter(const model::Model& model, const capture::Stream& stream, uint32_t index, model::Direction dir,
               Dissection& out)
      : model_(model), s_(stream), index_(index), dir_(dir), out_(out), framer_(model) {}

  void run() {
    if (s_.transport != capture::Transport::tcp || model_.framing.datagram) {
      // message boundaries are the datagrams (or link frames)
      for (const capture::Chunk& c : s_.chunks) cut_range(c.offset, c.offset + c.size, true);
      return;
    }
    // a TCP stream: frame across segments, but never across a lost segment
    uint64_t start = 0;
    for (const capture::Gap& g : s_.gaps) {
      cut_range(start, g.offset, false);
      start = g.offset;
    }
    cut_range(start, s_.bytes.size(), false);
  }

 private:
  void cut_range(uint64_t pos, uint64_t end, bool one_datagram) {
    while (pos < end) {
      std::span<const uint8_t> data(s_.bytes.data() + pos, end - pos);
      model::Framer::Cut cut = framer_.next(data);
      switch (cut.kind) {
        case model::Framer::Cut::Kind::Message:
          emit(pos, cut.size);
          pos += cut.size;
          break;
        case model::Framer::Cut::Kind::NeedMore:
          unframed(pos, end - pos, one_datagram ? "shorter than its header says" :
                   end == s_.bytes.size() ? "cut short at the end of the capture" : "cut short by a lost segment");
          return;
        case model::Framer::Cut::Kind::Junk: {
          uint64_t skip = cut.size;
          if (skip == 0) {  // no sync bytes: skip to the end of this segment
            const capture::Chunk* c = capture::chunk_at(s_, pos);
            skip = c ? c->offset + c->size - pos : end - pos;
          }
          skip = std::min<uint64_t>(std::max<uint64_t>(skip, 1), end - pos);
          unframed(pos, skip, "does not frame");
          pos += skip;
          break;
        }
      }
    }
  }

  void emit(uint64_t pos, uint32_t size) {
    DissectedMessage m{dir_, index_, pos, 0, 0, {}, {}, model::Message(model_, dir_)};
    const capture::Chunk* first = capture::chunk_at(s_, pos);
    const capture::Chunk* last = capture::chunk_at(s_, pos + size - 1);
    if (first) {
      m.frame = first->frame;
      m.time = first->time;
    }
    m.last_frame = last ? last->frame : m.frame;
    m.bytes.assign(s_.bytes.begin() + static_cast<long>(pos), s_.bytes.begin() + static_cast<long>(pos + size));
    model::decode_into(model_, dir_, m.bytes, m.message);
    out_.messages.push_back(std::move(m));
  }

  void unframed(uint64_t pos, uint64_t size, const char* reason) {
    const capture::Chunk* c = capture::chunk_at(s_, pos);
    // adjacent junk in the same direction is one run
    if (!out_.unframed.empty()) {
      UnframedRun& prev = out_.unframed.back();
      if (prev.stream == index_ && prev.offset + prev.size == pos && prev.reason == reason &&
          prev.frame == (c ? c->frame : 0)) {
        prev.size += size;
        return;
      }
    }
    out_.unframed.push_back({dir_, index_, pos, size, c ? c->frame : 0, reason});
  }

  const model::Model& model_;
  const capture::Stream& s_;
  uint32_t index_;
  model::Direction dir_;
  Dissection& out_;
  model::Framer framer_;
};

}  // namespace

Dissection dissect(const model::Model& model, const capture::Capture& capture, const DissectOptions& options) {
  Dissection out;
  const uint16_t port = options.server_port ? options.server_port : model.port;
  for (uint32_t i = 0; i < capture.streams.size(); ++i) {
    const capture::Stream& s = capture.streams[i];
    model::Direction dir;
    if (s.transport == capture::Transport::link) {
      dir = options.link_direction;
    } else if (s.destination.port == port) {
      dir = model::Direction::Request;
    } else if (s.source.port == port) {
      dir = model::Direction::Response;
    } else {
      continue;
    }
    ++out.streams_used;
    StreamCutter(model, s, i, dir, out).run();
  }
  // in capture order: by first frame, then by stream offset
  std::stable_sort(out.messages.begin(), out.messages.end(), [](const DissectedMessage& a, const DissectedMessage& b) {
    return a.frame != b.frame ? a.frame < b.frame : (a.stream != b.stream ? a.stream < b.stream : a.offset < b.offset);
  });
  std::stable_sort(out.unframed.begin(), out.unframed.end(),
                   [](const UnframedRun& a, const UnframedRun& b) { return a.frame < b.frame; });
  return out;
}

}  // namespace pc::dissect
