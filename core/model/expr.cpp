#include "core/model/expr.hpp"

#include <array>
#include <cctype>

#include "core/model/names.hpp"

namespace pc::model {
namespace {

// Recursive-descent compiler from text to postfix ops. Precedence, loosest first:
// ||, &&, | ^, &, == !=, < <= > >=, << >>, + -, * / %, unary.
class Compiler {
 public:
  Compiler(std::string_view text, NameTable& names, Expr& out)
      : text_(text), names_(names), out_(out) {}

  std::optional<ExprError> run() {
    skip_space();
    if (!parse_binary(0)) return error_;
    skip_space();
    if (pos_ != text_.size()) {
      fail("unexpected '" + std::string(1, text_[pos_]) + "'");
      return error_;
    }
    return std::nullopt;
  }

 private:
  struct Level {
    std::string_view token;
    Op op;
  };
  static constexpr int kLevels = 9;
  static const std::vector<Level>& level(int n) {
    static const std::array<std::vector<Level>, kLevels> levels = {{
        {{"||", Op::LOr}},
        {{"&&", Op::LAnd}},
        {{"|", Op::BitOr}, {"^", Op::BitXor}},
        {{"&", Op::BitAnd}},
        {{"==", Op::Eq}, {"!=", Op::Ne}},
        {{"<=", Op::Le}, {">=", Op::Ge}, {"<", Op::Lt}, {">", Op::Gt}},
        {{"<<", Op::Shl}, {">>", Op::Shr}},
        {{"+", Op::Add}, {"-", Op::Sub}},
        {{"*", Op::Mul}, {"/", Op::Div}, {"%", Op::Mod}},
    }};
    return levels[static_cast<size_t>(n)];
  }

  bool parse_binary(int n) {
    if (n == kLevels) return parse_unary();
    size_t left_start = out_.ops.size();
    if (!parse_binary(n + 1)) return false;
    for (;;) {
      skip_space();
      if (n == 4 && match_word("in")) {  // `x in [a, b]` / `x in lo..hi`: at equality level
        if (!parse_in(left_start)) return false;
        continue;
      }
      const Level* hit = nullptr;
      for (const auto& l : level(n)) {
        if (text_.substr(pos_, l.token.size()) == l.token) {
          // do not take "|" from "||", "&" from "&&", "<" from "<<" or "<="
          if (l.token.size() == 1 && pos_ + 1 < text_.size()) {
            char c = text_[pos_], d = text_[pos_ + 1];
            if ((c == '|' && d == '|') || (c == '&' && d == '&') || (c == '<' && (d == '<' || d == '=')) ||
                (c == '>' && (d == '>' || d == '='))) {
              continue;
            }
          }
          hit = &l;
          break;
        }
      }
      if (!hit) return true;
      pos_ += hit->token.size();
      skip_space();
      if (!parse_binary(n + 1)) return false;
      emit(hit->op);
    }
  }

  // The left operand is on the stack. `in [a, b, c]` becomes (x==a)||(x==b)||(x==c) by
  // re-evaluating the left operand's ops; `in lo..hi` becomes x>=lo && x<=hi.
  bool parse_in(size_t left_begin) {
    skip_space();
    std::vector<ExprOp> left(out_.ops.begin() + static_cast<long>(left_begin), out_.ops.end());
    out_.ops.resize(left_begin);
    if (peek_char() == '[') {
      ++pos_;
      bool first = true;
      for (;;) {
        skip_space();
        if (peek_char() == ']') break;
        out_.ops.insert(out_.ops.end(), left.begin(), left.end());
        if (!parse_binary(5)) return false;
        emit(Op::Eq);
        if (!first) emit(Op::LOr);
        first = false;
        skip_space();
        if (peek_char() == ',') {
          ++pos_;
          continue;
        }
        if (peek_char() != ']') return fail("expected ',' or ']' in list");
      }
      ++pos_;
      if (first) emit_const(0);  // `in []` is false
      return true;
    }
    out_.ops.insert(out_.ops.end(), left.begin(), left.end());
    if (!parse_binary(7)) return false;
    emit(Op::Ge);
    skip_space();
    if (text_.substr(pos_, 2) != "..") return fail("expected '[' or 'lo..hi' after 'in'");
    pos_ += 2;
    skip_space();
    out_.ops.insert(out_.ops.end(), left.begin(), left.end());
    if (!parse_binary(7)) return false;
    emit(Op::Le);
    emit(Op::LAnd);
    return true;
  }

  bool parse_unary() {
    skip_space();
    char c = peek_char();
    if (c == '!' || c == '-' || c == '~') {
      ++pos_;
      if (!parse_unary()) return false;
      emit(c == '!' ? Op::Not : c == '-' ? Op::Neg : Op::BitNot);
      return true;
    }
    return parse_primary();
  }

  bool parse_primary() {
    skip_space();
    char c = peek_char();
    if (c == '(') {
      ++pos_;
      if (!parse_binary(0)) return false;
      skip_space();
      if (peek_char() != ')') return fail("expected ')'");
      ++pos_;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      if (!parse_number()) return false;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      if (!parse_name()) return false;
    } else {
      return fail(c ? "expected a value" : "unexpected end of expression");
    }
    return true;
  }

  bool parse_number() {
    size_t start = pos_;
    int base = 10;
    if (text_.substr(pos_, 2) == "0x" || text_.substr(pos_, 2) == "0X") {
      base = 16;
      pos_ += 2;
    } else if (text_.substr(pos_, 2) == "0b") {
      base = 2;
      pos_ += 2;
    }
    uint64_t v = 0;
    size_t digits = 0;
    while (pos_ < text_.size()) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text_[pos_])));
      int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : 99;
      if (c == '_') {
        ++pos_;
        continue;
      }
      if (d >= base) break;
      if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
        pos_ = start;
        return fail("number too large");
      }
      v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
      ++pos_;
      ++digits;
    }
    if (digits == 0) {
      pos_ = start;
      return fail("malformed number");
    }
    emit_const(static_cast<int64_t>(v));
    return true;
  }

  bool parse_name() {
    size_t start = pos_;
    std::string_view word = read_word();
    skip_space();
    if (peek_char() == '(') return parse_call(word, start);
    RefPath path;
    if (word == "request") {
      path.request = true;
      if (peek_char() != '.') return fail("'request' must be followed by '.field'");
    } else {
      path.segments.push_back(names_.intern(word));
    }
    while (peek_char() == '.' && text_.substr(pos_, 2) != "..") {
      ++pos_;
      std::string_view seg = read_word();
      if (seg.empty()) return fail("expected a field name after '.'");
      path.segments.push_back(names_.intern(seg));
    }
    out_.refs.push_back(std::move(path));
    out_.ops.push_back({Op::Ref, static_cast<uint32_t>(out_.refs.size() - 1), 0});
    return true;
  }

  bool parse_call(std::string_view fn, size_t start) {
    ++pos_;  // '('
    skip_space();
    struct Fn {
      std::string_view name;
      Op op;
      int args;  // -1: one field reference
    };
    static const std::array<Fn, 10> fns = {{
        {"len", Op::Len, -1}, {"count", Op::Count, -1}, {"present", Op::Present, -1},
        {"peek_u8", Op::PeekU8, 0}, {"peek_u16", Op::PeekU16, 0},
        {"peek_ber_tag", Op::PeekBerTag, 0}, {"remaining", Op::Remaining, 0},
        {"header_size", Op::HeaderSize, 0}, {"min", Op::Min, 2}, {"max", Op::Max, 2},
    }};
    const Fn* f = nullptr;
    for (const auto& cand : fns) {
      if (cand.name == fn) f = &cand;
    }
    if (!f) {
      pos_ = start;
      return fail("unknown function '" + std::string(fn) + "'");
    }
    if (f->args == -1) {
      size_t at = out_.ops.size();
      if (!parse_name() || out_.ops.size() != at + 1 || out_.ops.back().op != Op::Ref) {
        return fail(std::string(fn) + "() takes one field name");
      }
      out_.ops.back().op = f->op;
    } else {
      for (int i = 0; i < f->args; ++i) {
        if (i > 0) {
          skip_space();
          if (peek_char() != ',') return fail("expected ','");
          ++pos_;
        }
        if (!parse_binary(0)) return false;
      }
      if (f->args == 0) {
        out_.ops.push_back({f->op, 0, 0});
        out_.uses_peek = true;
      } else {
        emit(f->op);
      }
    }
    skip_space();
    if (peek_char() != ')') return fail("expected ')'");
    ++pos_;
    return true;
  }

  std::string_view read_word() {
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }
  bool match_word(std::string_view w) {
    if (text_.substr(pos_, w.size()) != w) return false;
    size_t after = pos_ + w.size();
    if (after < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[after])) || text_[after] == '_')) {
      return false;
    }
    pos_ = after;
    return true;
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  char peek_char() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void emit(Op op) { out_.ops.push_back({op, 0, 0}); }
  void emit_const(int64_t v) { out_.ops.push_back({Op::Const, 0, v}); }
  bool fail(std::string message) {
    if (!error_) error_ = ExprError{static_cast<uint32_t>(pos_), std::move(message)};
    return false;
  }

  std::string_view text_;
  NameTable& names_;
  Expr& out_;
  size_t pos_ = 0;
  std::optional<ExprError> error_;
};

}  // namespace

std::optional<ExprError> compile_expr(std::string_view text, NameTable& names, Expr& out) {
  out.text = std::string(text);
  out.ops.clear();
  out.refs.clear();
  if (text.size() > 4096) return ExprError{0, "expression longer than 4096 characters"};
  return Compiler(text, names, out).run();
}

std::optional<int64_t> eval(const Expr& expr, const ExprEnv& env) {
  // Each stack slot is a value or unknown (a name that does not resolve, a peek past the
  // input, a division by zero). && and || decide when one side settles it; any other
  // operation on an unknown is unknown.
  constexpr size_t kStack = 64;
  std::array<int64_t, kStack> st{};
  std::array<bool, kStack> known{};
  size_t sp = 0;
  auto u = [](int64_t v) { return static_cast<uint64_t>(v); };
  auto push = [&](std::optional<int64_t> v) {
    if (sp == kStack) return false;
    known[sp] = v.has_value();
    st[sp++] = v.value_or(0);
    return true;
  };
  for (const ExprOp& o : expr.ops) {
    switch (o.op) {
      case Op::Const:
        if (!push(o.value)) return std::nullopt;
        continue;
      case Op::Ref:
      case Op::Len:
      case Op::Count:
      case Op::Present: {
        auto q = o.op == Op::Ref     ? ExprEnv::Query::Value
                 : o.op == Op::Len   ? ExprEnv::Query::Len
                 : o.op == Op::Count ? ExprEnv::Query::Count
                                     : ExprEnv::Query::Present;
        if (!push(env.ref(expr.refs[o.ref], q))) return std::nullopt;
        continue;
      }
      case Op::PeekU8:
      case Op::PeekU16:
      case Op::PeekBerTag:
      case Op::Remaining:
      case Op::HeaderSize:
        if (!push(env.peek(o.op))) return std::nullopt;
        continue;
      case Op::Neg:
      case Op::Not:
      case Op::BitNot: {
        if (sp < 1) return std::nullopt;
        int64_t& a = st[sp - 1];
        a = o.op == Op::Neg ? static_cast<int64_t>(0 - u(a)) : o.op == Op::Not ? !a : static_cast<int64_t>(~u(a));
        continue;
      }
      default:
        break;
    }
    if (sp < 2) return std::nullopt;
    --sp;
    int64_t b = st[sp];
    bool kb = known[sp];
    int64_t& a = st[sp - 1];
    bool& ka = known[sp - 1];
    if (o.op == Op::LAnd) {
      if ((ka && !a) || (kb && !b)) {
        a = 0;
        ka = true;
      } else {
        a = 1;
        ka = ka && kb;
      }
      continue;
    }
    if (o.op == Op::LOr) {
      if ((ka && a) || (kb && b)) {
        a = 1;
        ka = true;
      } else {
        a = 0;
        ka = ka && kb;
      }
      continue;
    }
    if (!ka || !kb) {
      ka = false;
      continue;
    }
    switch (o.op) {
      case Op::Add: a = static_cast<int64_t>(u(a) + u(b)); break;
      case Op::Sub: a = static_cast<int64_t>(u(a) - u(b)); break;
      case Op::Mul: a = static_cast<int64_t>(u(a) * u(b)); break;
      case Op::Div:
      case Op::Mod:
        if (b == 0 || (a == INT64_MIN && b == -1)) {
          ka = false;
        } else {
          a = o.op == Op::Div ? a / b : a % b;
        }
        break;
      case Op::BitAnd: a &= b; break;
      case Op::BitOr: a |= b; break;
      case Op::BitXor: a ^= b; break;
      case Op::Shl: a = (b < 0 || b > 63) ? 0 : static_cast<int64_t>(u(a) << b); break;
      case Op::Shr: a = (b < 0 || b > 63) ? 0 : static_cast<int64_t>(u(a) >> b); break;
      case Op::Eq: a = a == b; break;
      case Op::Ne: a = a != b; break;
      case Op::Lt: a = a < b; break;
      case Op::Le: a = a <= b; break;
      case Op::Gt: a = a > b; break;
      case Op::Ge: a = a >= b; break;
      case Op::Min: a = a < b ? a : b; break;
      case Op::Max: a = a > b ? a : b; break;
      default: return std::nullopt;
    }
  }
  if (sp != 1 || !known[0]) return std::nullopt;
  return st[0];
}

}  // namespace pc::model
