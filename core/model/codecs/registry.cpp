// The table of named codecs: name, parameter list, and how to make one.
#include <fmt/format.h>

#include "core/model/checksum.hpp"
#include "core/model/codec.hpp"
#include "core/model/codecs/crc_blocks.hpp"

namespace pc::model {
namespace {

struct Param {
  enum class Kind { Count, Checksum, Order } kind;
  const char* name;
  bool optional;
};

struct Entry {
  const char* name;
  std::vector<Param> params;
  const char* doc;
};

const std::vector<Entry>& table() {
  static const std::vector<Entry> entries = {
      {"crc_blocks",
       {{Param::Kind::Count, "first", false}, {Param::Kind::Count, "block", false},
        {Param::Kind::Checksum, "algorithm", false}, {Param::Kind::Order, "order", true}},
       "a first block, then fixed-size blocks, each followed by its checksum"},
      {"crc_trailer",
       {{Param::Kind::Checksum, "algorithm", false}, {Param::Kind::Order, "order", true}},
       "the data followed by one checksum over it"},
  };
  return entries;
}

}  // namespace

std::unique_ptr<Codec> make_codec(std::string_view name, const std::vector<CodecArg>& args,
                                  CodecError& error) {
  const Entry* entry = nullptr;
  for (const auto& e : table()) {
    if (name == e.name) entry = &e;
  }
  if (!entry) {
    error.message = fmt::format("unknown codec '{}'", name);
    return nullptr;
  }
  size_t required = 0;
  for (const auto& p : entry->params) required += p.optional ? 0 : 1;
  if (args.size() < required || args.size() > entry->params.size()) {
    error.message = fmt::format("codec {} takes {} to {} arguments, got {}", name, required,
                                entry->params.size(), args.size());
    return nullptr;
  }
  std::vector<uint32_t> counts;
  const ChecksumAlgo* algo = nullptr;
  bool big_endian = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const Param& p = entry->params[i];
    const CodecArg& a = args[i];
    switch (p.kind) {
      case Param::Kind::Count:
        if (!a.number || *a.number < 1 || *a.number > 65535) {
          error.message = fmt::format("codec {}: argument {} ({}) must be a number 1..65535", name, i + 1, p.name);
          return nullptr;
        }
        counts.push_back(static_cast<uint32_t>(*a.number));
        break;
      case Param::Kind::Checksum:
        algo = find_checksum(a.name);
        if (!algo) {
          error.message = fmt::format("codec {}: argument {} ({}): unknown checksum '{}'", name, i + 1, p.name, a.name);
          return nullptr;
        }
        break;
      case Param::Kind::Order:
        if (a.name != "be" && a.name != "le") {
          error.message = fmt::format("codec {}: argument {} ({}) must be 'le' or 'be'", name, i + 1, p.name);
          return nullptr;
        }
        big_endian = a.name == "be";
        break;
    }
  }
  if (std::string_view(entry->name) == "crc_blocks") {
    return std::make_unique<CrcBlocks>(counts[0], counts[1], *algo, big_endian);
  }
  return std::make_unique<CrcTrailer>(*algo, big_endian);
}

std::vector<std::string> codec_signatures() {
  std::vector<std::string> out;
  for (const auto& e : table()) {
    std::string s = std::string(e.name) + "(";
    for (size_t i = 0; i < e.params.size(); ++i) {
      s += (i ? ", " : "") + std::string(e.params[i].optional ? "[" : "") + e.params[i].name +
           (e.params[i].optional ? "]" : "");
    }
    out.push_back(s + "): " + e.doc);
  }
  return out;
}

}  // namespace pc::model
