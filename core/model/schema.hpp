// The compiled form of a protocol model: types, fields, relations, rules.
//
// A model file (YAML, see docs/model-language.md) compiles into these tables. Types and
// fields refer to each other by index, so a recursive type (a data value holding data values) is
// simply a type whose fields point back at it. Nothing here knows any protocol.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pc::model {

using TypeId = uint32_t;
using FieldId = uint32_t;
using NameId = uint32_t;
using RuleId = uint32_t;
using ExprId = uint32_t;
using MessageId = uint32_t;
inline constexpr uint32_t kNone = 0xFFFFFFFFu;

// Where a construct was declared, for errors and for reports.
struct SourcePos {
  uint32_t line = 0;  // 1-based; 0 = not from a file
  uint32_t column = 0;
};

enum class Kind : uint8_t {
  Uint,    // unsigned integer, 1..8 bytes, or "rest of scope" (size 0)
  Sint,    // two's complement integer, likewise
  Varint,  // variable-length integer encodings (see VarintStyle)
  Bits,    // a 1..8 byte container split into named bit fields
  Bytes,   // byte string
  Text,    // byte string shown and checked as text
  Struct,  // a sequence of fields
  Array,   // a repeated item
  Switch,  // one of several layouts, chosen by a discriminator
  Layer,   // bytes passed through a named codec; content decoded from the result
};

enum class Endian : uint8_t { Big, Little };

enum class VarintStyle : uint8_t {
  Base128,    // 7 bits a byte, least significant group first, 0x80 = more follows
  BerLength,  // BER definite length (short or long form); 0x80 = indefinite
  BerTag,     // BER identifier octets, value = the octets as a big-endian number
  Escaped,    // one byte 0..254, or 0xFF then two bytes big-endian (ISO 8327 SPDU)
};

enum class TextEncoding : uint8_t { Ascii, Utf8, Latin1 };
enum class Display : uint8_t { Auto, Hex, Text, Oid };

// A bit slice of a Bits container: the child field holds bits [shift, shift + width).
struct BitSlice {
  FieldId field = kNone;
  uint8_t shift = 0;
  uint8_t width = 0;
};

// One case of a switch: discriminator values lo..hi select `type`.
struct SwitchCase {
  uint64_t lo = 0;
  uint64_t hi = 0;
  FieldId field = kNone;  // the synthetic (unnamed) field that holds the case's layout
};

struct TypeDef {
  // What the decoder and encoder read for every value comes first (one cache line).
  Kind kind = Kind::Struct;
  uint8_t size = 0;  // bytes; 0 with Uint/Sint = the rest of the scope (BER INTEGER)
  Endian endian = Endian::Big;
  VarintStyle varint = VarintStyle::Base128;
  uint8_t max_bytes = 4;
  bool allow_indefinite = false;  // BerLength: accept 0x80
  bool lsb_first = false;         // Bits: first declared field is the least significant
  bool is_message = false;        // a message type: its name labels decoded messages
  TextEncoding encoding = TextEncoding::Ascii;
  Display display = Display::Auto;
  uint16_t max_depth = 0;          // recursion bound (0 = not recursive)
  uint32_t fixed_size = kNone;     // Bytes, Text: exact byte size, or kNone
  FieldId item = kNone;            // Array
  uint32_t default_count = 1;      // Array
  ExprId size_expr = kNone;        // Bytes, Text, Array: extent in bytes
  ExprId count_expr = kNone;       // Array: item count
  ExprId selector = kNone;         // Switch: discriminator from earlier fields...
  TypeId peek = kNone;             // ...or a scalar type read without consuming
  FieldId default_case = kNone;    // Switch
  bool has_prefer = false;         // Switch: the case a built message takes...
  uint64_t prefer = 0;             // ...is the one this key selects
  uint32_t codec = kNone;          // Layer: index into Model::codecs
  FieldId content = kNone;         // Layer
  NameId name = kNone;             // kNone for inline types
  SourcePos pos;

  std::vector<FieldId> fields;     // Struct
  std::vector<BitSlice> bits;      // Bits
  std::vector<SwitchCase> cases;   // Switch, sorted by lo
  // Struct, compiled: relations whose covered range lives in this struct, and the
  // expression rules checked once the struct is complete.
  std::vector<uint32_t> struct_relations;
  std::vector<RuleId> struct_rules;
  std::string message_doc;
  std::string message_clause;
  // a message type that writes to the device: which fields give the address and count
  bool message_writes = false;
  std::string write_address, write_count, write_table, write_value;
  std::string read_address, read_count, read_table;  // `reads:` of a table
};

// How a relation-bound field gets its value.
struct Relation {
  enum class Kind : uint8_t {
    LengthOf,  // bytes of the covered fields / unit + offset
    CountOf,   // items of the covered array
    Checksum,  // checksum algorithm over the covered fields' bytes
    Derive,    // any expression (one way: never used to scope a decode)
    Selector,  // the case key of a switch that switches on this field
  };
  Kind kind = Kind::LengthOf;
  FieldId field = kNone;  // the bound field
  uint16_t first = 0;     // covered sibling range [first, last] in the parent struct
  uint16_t last = 0;
  int64_t offset = 0;
  uint32_t unit = 1;
  uint32_t algorithm = 0;  // Checksum: index into the checksum table
  ExprId expr = kNone;     // Derive
  RuleId rule = kNone;     // reported when a decoded value disagrees
  uint16_t holder = 0;     // index in the struct of the field holding the bound value
                           // (the field itself, or the bit container it lives in)
  bool scopes_decode = false;  // LengthOf: bounds the decode of fields [scope_from, last]
  uint16_t scope_from = 0;
};

enum class Strength : uint8_t { Must, Should, Convention };

// A reaction a correct device may show to a broken rule.
struct Reaction {
  enum class Kind : uint8_t { Silence, Close, Reset, Named };
  Kind kind = Kind::Silence;
  uint32_t named = kNone;  // Named: index into Model::reactions
  bool any_code = true;
  int64_t code = 0;
};

struct Rule {
  enum class Kind : uint8_t {
    Range,      // lo <= value <= hi
    OneOf,      // value in a set
    EnumOnly,   // value is a named enum value
    Expr,       // an expression that must hold (evaluated in the field's struct)
    Relation,   // the field's relation must hold
    Pair,       // request -> response expression (checked by check_pair)
    Structure,  // built-in: truncation, trailing bytes, unknown case, ...
    Codec,      // built-in per codec: the codec's own check failed
  };
  Kind kind = Kind::Range;
  std::string id;      // stable: "<type>.<field>.<what>"
  std::string clause;  // specification clause
  std::string doc;
  Strength strength = Strength::Must;
  std::vector<Reaction> reactions;
  FieldId field = kNone;
  int64_t lo = 0, hi = 0;
  std::vector<int64_t> set;
  ExprId expr = kNone;
  ExprId expected = kNone;  // Pair rules from echo/expect: the value the field must have
  SourcePos pos;
};

struct EnumName {
  int64_t value = 0;
  NameId name = kNone;
};

struct FieldDef {
  // hot: read for every decoded value
  TypeId type = kNone;
  NameId name = kNone;    // kNone for synthetic fields (switch cases, layer contents, roots)
  TypeId parent = kNone;  // the struct (or array, switch, bits, layer) that holds it
  uint16_t index = 0;     // position among the parent struct's fields
  bool default_present = true;
  bool has_default = false;
  ExprId when = kNone;        // presence condition
  uint32_t relation = kNone;  // index into Model::relations
  std::vector<RuleId> rules;
  int64_t default_num = 0;
  bool is_volatile = false;
  bool secret = false;
  bool opaque = false;  // a declared raw payload (allowed to hold unparsed bytes)
  SourcePos pos;
  std::vector<RuleId> pair_rules;  // request -> response rules checked on this field
  std::vector<EnumName> enums;
  std::string default_bytes;
  std::string doc;
  std::string clause;
};

}  // namespace pc::model
