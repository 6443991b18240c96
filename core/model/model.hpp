// A compiled protocol model: what the loader makes of a model file, and what every later
// stage (decoder, encoder, generator, oracle, report) reads. Immutable once loaded.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/codec.hpp"
#include "core/model/expr.hpp"
#include "core/model/names.hpp"
#include "core/model/schema.hpp"

namespace pc::model {

enum class Direction : uint8_t { Request = 0, Response = 1 };
inline const char* to_string(Direction d) { return d == Direction::Request ? "request" : "response"; }

// A message type: a labelled type reachable from a direction's root.
struct MessageDef {
  NameId name = kNone;
  Direction direction = Direction::Request;
  TypeId type = kNone;
  std::string doc;
  std::string clause;
  // The switch cases that lead from the root to this message: (switch type, case index).
  std::vector<std::pair<TypeId, uint32_t>> route;
  std::vector<RuleId> pair_rules;  // request -> response relations checked on answers
  bool writes = false;             // changes data in the device (read-only campaigns skip it)
  std::string write_address;       // the field with the first address it writes ("" if none)
  std::string write_count;         // the field with how many it writes ("" = one)
  std::string write_value;         // the field with (the first) value it writes
  // the data table it reads or writes (discovery finds each table's mapped range)
  std::string table;
  std::string access_address, access_count;  // the address and count fields for that table
};

// How messages are cut out of a byte stream.
struct Framing {
  bool datagram = false;       // each datagram / link frame is one message
  FieldId header = kNone;      // synthetic field whose struct type holds the header fields
  ExprId total = kNone;        // total message size in bytes, over header fields
  ExprId valid = kNone;        // header sanity; false means "does not frame here"
  std::vector<uint8_t> sync;   // start bytes; resynchronise by scanning for them
  uint32_t min_size = 1;
  uint32_t max_size = 65536;
};

// A named reaction class, e.g. exception(code) = a response of type X with field Y = code.
struct ReactionClass {
  NameId name = kNone;
  MessageId message = kNone;
  NameId code_field = kNone;
};

// The session section: what the engine needs to hold a conversation with a device.
struct Session {
  struct Counter {
    NameId field = kNone;  // filled from a per-connection counter in every request
    int64_t start = 1, step = 1, modulo = 0;
  };
  struct Extract {
    NameId from = kNone;          // a response field
    NameId to = kNone;            // the request field it feeds
    MessageId message = kNone;    // only from this response type (kNone: any)
  };
  struct SideEffect {
    MessageId message = kNone;
    MessageId undo = kNone;
    bool silent = false;  // while it is in effect (and to the message and its undo) the device answers nothing
    std::string doc;
  };
  struct Setting {
    std::string path;
    int64_t value = 0;
  };
  struct Probe {
    MessageId message = kNone;
    std::vector<Setting> set;
    MessageId expect = kNone;  // the response type a healthy device gives
  };
  // What a short discovery phase asks the device before the systematic phase.
  struct Range {
    MessageId message = kNone;  // a read of one table
    std::string address, count; // the fields with its first address and how many
    std::string table;
    int64_t max = 65535;        // highest address to look at
    RuleId rule = kNone;        // what a device must do with addresses outside what it maps
  };
  struct Discovery {
    std::vector<Range> ranges;
    std::vector<MessageId> identify;  // messages whose answers say what the device is
    // Which answered item holds which part of the device's identity: "vendor",
    // "product", "firmware" or "model" -> the enum name that labels the item.
    std::map<std::string, std::string> identity;
  };
  Discovery discovery;
  std::vector<MessageId> open;
  NameId unit = kNone;  // the field that addresses a unit behind a gateway (campaign scope)
  std::vector<Counter> counters;
  std::vector<Extract> extract;
  std::vector<SideEffect> side_effects;
  // While a side effect is active the device must only answer `allowed` (its undo).
  Probe probe;
};

// What the protocol itself offers for security, as the model declares it: each of
// authentication, authorization and integrity is "none" (the protocol has no means for
// it), "optional" or "required"; "" when the model does not say. The requirement matrix
// reads it (docs/requirements-matrix.md).
struct Security {
  std::string authentication, authorization, integrity;
  std::string doc;
};

class Model {
 public:
  // identity
  std::string name;   // e.g. the file's `protocol:` value
  std::string title;
  std::string spec;
  std::string file;     // path it was loaded from
  std::string digest;   // SHA-256 of the file bytes, hex
  std::string transport = "tcp";
  uint16_t port = 0;    // the server's standard port: direction is taken from it

  // tables
  NameTable names;
  std::vector<TypeDef> types;
  std::vector<FieldDef> fields;
  std::vector<Relation> relations;
  std::vector<Rule> rules;
  std::vector<Expr> exprs;
  std::vector<MessageDef> messages;
  std::vector<ReactionClass> reactions;
  std::vector<std::unique_ptr<Codec>> codecs;
  Framing framing;
  Session session;
  Security security;
  FieldId root[2] = {kNone, kNone};  // synthetic root field per direction
  std::vector<MessageId> message_of[2];  // per direction: type -> message (or kNone)
  uint16_t max_depth = 64;           // nesting bound for any decode

  // built-in structural rules
  struct Builtins {
    RuleId truncated = kNone, trailing = kNone, unknown_case = kNone, depth = kNone,
           malformed = kNone, missing_eoc = kNone, codec = kNone;
  } builtin;

  const std::string& str(NameId id) const { return names.str(id); }
  const TypeDef& type_of(FieldId f) const { return types[fields[f].type]; }
  MessageId find_message(std::string_view name) const;
  MessageId find_message(std::string_view name, Direction d) const;
  // Stable name of a message type: "<protocol>.<message>".
  std::string qualified(MessageId m) const;
};

}  // namespace pc::model
