// Expressions of the model language: integer arithmetic over field values.
//
//   quantity * 2 + 1        byte_count == (quantity + 7) / 8      kind in [1, 2, 5]
//   len(values)             count(items)          present(packet_id)
//   peek_u8() == 0x30       peek_ber_tag() == 0xA0                remaining() > 0
//   request.quantity        (in response rules: a field of the paired request)
//
// A name resolves to the nearest field of that name: first among the earlier fields of
// the enclosing struct, then outward. `a.b` descends into `a`. Evaluation never throws;
// a name that does not resolve makes the result empty (the rule does not apply).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/schema.hpp"

namespace pc::model {

enum class Op : uint8_t {
  Const, Ref, Len, Count, Present, PeekU8, PeekU16, PeekBerTag, Remaining, HeaderSize,
  Min, Max, Neg, Not, BitNot, Add, Sub, Mul, Div, Mod, BitAnd, BitOr, BitXor, Shl, Shr,
  Eq, Ne, Lt, Le, Gt, Ge, LAnd, LOr,
};

struct RefPath {
  std::vector<NameId> segments;
  bool request = false;  // starts with `request.`: resolved in the paired request
};

struct ExprOp {
  Op op = Op::Const;
  uint32_t ref = 0;  // Ref/Len/Count/Present: index into Expr::refs
  int64_t value = 0;
};

struct Expr {
  std::vector<ExprOp> ops;  // postfix
  std::vector<RefPath> refs;
  std::string text;
  SourcePos pos;
  bool uses_peek = false;
  // A plain field reference (`quantity`): relations can be inverted through it.
  bool is_plain_ref() const { return ops.size() == 1 && ops[0].op == Op::Ref; }
};

// Interns names for the expression compiler.
class NameTable;

struct ExprError {
  uint32_t column = 0;  // 0-based offset within the text
  std::string message;
};

// Compiles `text`; on failure returns the error (position within text and cause).
std::optional<ExprError> compile_expr(std::string_view text, NameTable& names, Expr& out);

// What evaluation needs from its surroundings: field values by reference, and the input
// when the expression peeks ahead during a decode.
class ExprEnv {
 public:
  virtual ~ExprEnv() = default;
  enum class Query : uint8_t { Value, Len, Count, Present };
  virtual std::optional<int64_t> ref(const RefPath& path, Query query) const = 0;
  virtual std::optional<int64_t> peek(Op what) const = 0;  // PeekU8, PeekU16, PeekBerTag,
                                                           // Remaining, HeaderSize
};

std::optional<int64_t> eval(const Expr& expr, const ExprEnv& env);

}  // namespace pc::model
