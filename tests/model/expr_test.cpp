#include <gtest/gtest.h>

#include "core/model/expr.hpp"
#include "core/model/names.hpp"

namespace pc::model {
namespace {

// Field values by name, no input: what a struct's earlier fields would give.
class MapEnv : public ExprEnv {
 public:
  MapEnv(const NameTable& names, std::map<std::string, int64_t> values) : names_(names), values_(std::move(values)) {}
  std::optional<int64_t> ref(const RefPath& p, Query q) const override {
    std::string name;
    for (NameId s : p.segments) name += (name.empty() ? "" : ".") + names_.str(s);
    if (p.request) name = "request." + name;
    auto it = values_.find(name);
    if (q == Query::Present) return it != values_.end();
    if (it == values_.end()) return std::nullopt;
    return q == Query::Len ? 2 : it->second;
  }
  std::optional<int64_t> peek(Op what) const override {
    if (what == Op::Remaining) return 3;
    if (what == Op::PeekU8) return 0xA0;
    return std::nullopt;
  }

 private:
  const NameTable& names_;
  std::map<std::string, int64_t> values_;
};

std::optional<int64_t> run(const std::string& text, std::map<std::string, int64_t> values = {}) {
  NameTable names;
  Expr e;
  auto err = compile_expr(text, names, e);
  EXPECT_FALSE(err.has_value()) << text << ": " << (err ? err->message : "");
  return eval(e, MapEnv(names, std::move(values)));
}

TEST(Expr, ArithmeticFollowsPrecedence) {
  EXPECT_EQ(run("1 + 2 * 3"), 7);
  EXPECT_EQ(run("(1 + 2) * 3"), 9);
  EXPECT_EQ(run("10 - 4 - 3"), 3);
  EXPECT_EQ(run("0x10 | 0b11 & 1"), 17);
  EXPECT_EQ(run("1 << 4 >> 2"), 4);
  EXPECT_EQ(run("-3 + 5"), 2);
  EXPECT_EQ(run("!0 && 3 > 2 || 0"), 1);
  EXPECT_EQ(run("7 % 4 == 3"), 1);
  EXPECT_EQ(run("1_000 + 1"), 1001);
}

TEST(Expr, FieldReferencesAndFunctions) {
  EXPECT_EQ(run("(quantity + 7) / 8", {{"quantity", 9}}), 2);
  EXPECT_EQ(run("header.qos > 0", {{"header.qos", 1}}), 1);
  EXPECT_EQ(run("byte_count == 2 * request.quantity", {{"byte_count", 4}, {"request.quantity", 2}}), 1);
  EXPECT_EQ(run("len(values) + count(values)", {{"values", 5}}), 7);
  EXPECT_EQ(run("present(a) + present(b)", {{"a", 0}}), 1);
  EXPECT_EQ(run("min(3, 9) + max(3, 9)"), 12);
  EXPECT_EQ(run("remaining() > 0 && peek_u8() == 0xA0"), 1);
}

TEST(Expr, InListsAndRanges) {
  EXPECT_EQ(run("x in [1, 2, 5]", {{"x", 5}}), 1);
  EXPECT_EQ(run("x in [1, 2, 5]", {{"x", 3}}), 0);
  EXPECT_EQ(run("x + 1 in 2..4", {{"x", 3}}), 1);
  EXPECT_EQ(run("x in 2..4", {{"x", 5}}), 0);
  EXPECT_EQ(run("x in []", {{"x", 5}}), 0);
}

TEST(Expr, UnresolvedNamesAndDivisionByZeroGiveNoValue) {
  EXPECT_EQ(run("missing + 1"), std::nullopt);
  EXPECT_EQ(run("4 / (2 - 2)"), std::nullopt);
  EXPECT_EQ(run("4 % 0"), std::nullopt);
}

TEST(Expr, CompileErrorsSayWhereAndWhat) {
  NameTable names;
  Expr e;
  auto err = compile_expr("length >= ", names, e);
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(err->column, 10u);
  EXPECT_NE(err->message.find("end of expression"), std::string::npos);
  err = compile_expr("a + frob(b)", names, e);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->message.find("unknown function 'frob'"), std::string::npos);
  err = compile_expr("(1 + 2", names, e);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->message.find("expected ')'"), std::string::npos);
  err = compile_expr("0x", names, e);
  ASSERT_TRUE(err.has_value());
  err = compile_expr("99999999999999999999999", names, e);
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->message.find("too large"), std::string::npos);
}

TEST(Expr, PlainReferenceIsRecognised) {
  NameTable names;
  Expr e;
  ASSERT_FALSE(compile_expr("quantity", names, e));
  EXPECT_TRUE(e.is_plain_ref());
  ASSERT_FALSE(compile_expr("quantity * 2", names, e));
  EXPECT_FALSE(e.is_plain_ref());
}

}  // namespace
}  // namespace pc::model
