// Internal to the loader: the state shared by the files that compile each section.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "core/model/checksum.hpp"
#include "core/model/model.hpp"

namespace pc::model::load {

// Thrown inside the loader only; load_model_text turns it into a LoadError.
struct Failure {
  SourcePos pos;
  std::string message;
};

SourcePos pos_of(const YAML::Node& n);
[[noreturn]] void fail(const YAML::Node& n, std::string message);
[[noreturn]] void fail_at(SourcePos pos, std::string message);

// Keys a mapping may have; anything else is an error naming the key.
void allow_keys(const YAML::Node& map, std::initializer_list<const char*> keys, const char* what);

int64_t parse_int(const YAML::Node& n, const char* what);
int64_t parse_int_text(const std::string& text, const YAML::Node& at, const char* what);
std::string parse_str(const YAML::Node& n, const char* what);
bool parse_bool(const YAML::Node& n, const char* what);
std::string sha256_hex(std::string_view data);

class Loader {
 public:
  explicit Loader(Model& m) : m_(m) {}
  void run(const YAML::Node& doc);

  // load_types.cpp
  TypeId type_ref(const YAML::Node& n, const std::string& context);  // a name or inline
  TypeId named_type(const std::string& name, const YAML::Node& at);
  TypeId inline_type(const YAML::Node& n, const std::string& context);
  TypeId reserve_type();
  void compile_type(const YAML::Node& n, TypeId into, const std::string& context);
  void struct_type(const YAML::Node& n, TypeId into, const std::string& context);
  void switch_type(const YAML::Node& n, TypeId into, const std::string& context);
  void bits_type(const YAML::Node& n, TypeId into, const std::string& context);
  void layer_type(const YAML::Node& n, TypeId into, const std::string& context);
  void ber_type(const YAML::Node& n, TypeId into, const std::string& context);
  FieldId make_field(const YAML::Node& n, TypeId parent, uint16_t index, const std::string& context);
  void field_attributes(const YAML::Node& n, FieldId f, const std::string& context);
  FieldId synthetic_field(TypeId type, TypeId parent, SourcePos pos);

  // rules.cpp
  void field_rules(const YAML::Node& n, FieldId f, const std::string& context);
  std::vector<Reaction> reactions(const YAML::Node& n);
  RuleId add_rule(Rule r);
  ExprId expr(const YAML::Node& n, const char* what);
  ExprId expr_text(const std::string& text, const YAML::Node& at);

  // sections.cpp
  void reactions_section(const YAML::Node& n);
  void framing_section(const YAML::Node& n);
  void session_section(const YAML::Node& n);

  // link.cpp: after every type is compiled
  void link_relations();
  void link_messages();
  void check_expression_names();
  void check_defaults();

  Model& m_;
  bool default_little_ = false;
  YAML::Node types_node_;
  std::map<std::string, TypeId> named_;
  std::map<std::string, TypeId> builtin_cache_;
  std::map<TypeId, YAML::Node> message_pair_rules_;
  std::set<std::string> compiling_;
  // relation declarations waiting for their struct to be complete
  struct PendingRelation {
    FieldId field;
    YAML::Node node;  // the field's mapping
    std::string context;
  };
  std::vector<PendingRelation> pending_;
  // session and reaction references to messages, resolved after link_messages
  struct PendingMessageRef {
    std::string name;
    YAML::Node at;
    MessageId* slot;
    int direction;  // 0 request, 1 response
  };
  std::vector<PendingMessageRef> message_refs_;
  std::vector<std::pair<YAML::Node, RuleId>> pair_rules_;  // (message type node, rule)
  std::map<TypeId, std::vector<RuleId>> type_pair_rules_;
  std::set<NameId> field_names_;
  std::vector<std::pair<ExprId, YAML::Node>> expr_nodes_;
};

}  // namespace pc::model::load
