#include "core/model/loader.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <fstream>
#include <sstream>

#include "core/model/loader_impl.hpp"

namespace pc::model {

std::string LoadError::text() const {
  if (line == 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}:{}: {}", file, line, column, message);
}

namespace load {

SourcePos pos_of(const YAML::Node& n) {
  if (!n.IsDefined() || n.Mark().is_null()) return {};
  return {static_cast<uint32_t>(n.Mark().line + 1), static_cast<uint32_t>(n.Mark().column + 1)};
}

void fail(const YAML::Node& n, std::string message) { throw Failure{pos_of(n), std::move(message)}; }
void fail_at(SourcePos pos, std::string message) { throw Failure{pos, std::move(message)}; }

void allow_keys(const YAML::Node& map, std::initializer_list<const char*> keys, const char* what) {
  if (!map.IsMap()) fail(map, fmt::format("{} must be a mapping", what));
  for (const auto& kv : map) {
    std::string k = kv.first.as<std::string>("");
    bool ok = false;
    for (const char* a : keys) ok = ok || k == a;
    if (!ok) {
      std::string list;
      for (const char* a : keys) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(kv.first, fmt::format("unknown key '{}' in {} (allowed: {})", k, what, list));
    }
  }
}

int64_t parse_int_text(const std::string& text, const YAML::Node& at, const char* what) {
  std::string s;
  for (char c : text) {
    if (c != '_') s += c;
  }
  bool neg = !s.empty() && s[0] == '-';
  std::string body = neg ? s.substr(1) : s;
  int base = 10;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    base = 16;
    body = body.substr(2);
  } else if (body.size() > 2 && body[0] == '0' && (body[1] == 'b' || body[1] == 'B')) {
    base = 2;
    body = body.substr(2);
  }
  if (body.empty()) fail(at, fmt::format("{}: '{}' is not a number", what, text));
  uint64_t v = 0;
  for (char c : body) {
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
    if (d >= base) fail(at, fmt::format("{}: '{}' is not a number", what, text));
    if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
      fail(at, fmt::format("{}: '{}' is too large", what, text));
    }
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  return neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
}

int64_t parse_int(const YAML::Node& n, const char* what) {
  if (!n.IsScalar()) fail(n, fmt::format("{} must be a number", what));
  return parse_int_text(n.Scalar(), n, what);
}

std::string parse_str(const YAML::Node& n, const char* what) {
  if (!n.IsScalar()) fail(n, fmt::format("{} must be a text value", what));
  return n.Scalar();
}

bool parse_bool(const YAML::Node& n, const char* what) {
  if (!n.IsScalar()) fail(n, fmt::format("{} must be true or false", what));
  const std::string& s = n.Scalar();
  if (s == "true" || s == "yes") return true;
  if (s == "false" || s == "no") return false;
  fail(n, fmt::format("{} must be true or false, not '{}'", what, s));
}

void Loader::run(const YAML::Node& doc) {
  if (!doc.IsMap()) fail(doc, "a model file is a mapping with protocol, types, request and response");
  allow_keys(doc, {"protocol", "title", "spec", "doc", "transport", "defaults", "max_depth", "reactions",
                   "framing", "request", "response", "types", "session", "structure", "security"},
             "the model");
  if (!doc["protocol"]) fail(doc, "missing 'protocol' (the model's name)");
  m_.name = parse_str(doc["protocol"], "protocol");
  for (char c : m_.name) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      fail(doc["protocol"], "protocol name may hold only a-z, 0-9 and '-'");
    }
  }
  if (doc["title"]) m_.title = parse_str(doc["title"], "title");
  if (const auto& sec = doc["security"]) {
    allow_keys(sec, {"authentication", "authorization", "integrity", "doc"}, "security");
    auto level = [&](const char* key, std::string& out) {
      if (!sec[key]) return;
      out = parse_str(sec[key], key);
      if (out != "none" && out != "optional" && out != "required") {
        fail(sec[key], fmt::format("security.{} is none, optional or required", key));
      }
    };
    level("authentication", m_.security.authentication);
    level("authorization", m_.security.authorization);
    level("integrity", m_.security.integrity);
    if (sec["doc"]) m_.security.doc = parse_str(sec["doc"], "security.doc");
  }
  if (doc["spec"]) m_.spec = parse_str(doc["spec"], "spec");
  if (doc["max_depth"]) {
    int64_t d = parse_int(doc["max_depth"], "max_depth");
    if (d < 1 || d > 1000) fail(doc["max_depth"], "max_depth must be 1..1000");
    m_.max_depth = static_cast<uint16_t>(d);
  }
  if (const auto& t = doc["transport"]) {
    allow_keys(t, {"kind", "port"}, "transport");
    if (t["kind"]) {
      m_.transport = parse_str(t["kind"], "transport.kind");
      if (m_.transport != "tcp" && m_.transport != "udp" && m_.transport != "link") {
        fail(t["kind"], "transport.kind must be tcp, udp or link");
      }
    }
    if (t["port"]) {
      int64_t p = parse_int(t["port"], "transport.port");
      if (p < 0 || p > 65535) fail(t["port"], "transport.port must be 0..65535");
      m_.port = static_cast<uint16_t>(p);
    }
  }
  if (const auto& d = doc["defaults"]) {
    allow_keys(d, {"endian"}, "defaults");
    if (d["endian"]) {
      std::string e = parse_str(d["endian"], "defaults.endian");
      if (e != "big" && e != "little") fail(d["endian"], "defaults.endian must be big or little");
      default_little_ = e == "little";
    }
  }
  // built-in structural rules come first so their ids are stable
  auto builtin = [&](const char* id, const char* doc_text) {
    Rule r;
    r.kind = Rule::Kind::Structure;
    r.id = std::string("structure.") + id;
    r.clause = "message structure";
    r.doc = doc_text;
    r.strength = Strength::Must;
    return add_rule(std::move(r));
  };
  m_.builtin.truncated = builtin("truncated", "the message ends before a field it must hold");
  m_.builtin.trailing = builtin("trailing", "bytes after the last field of a scope");
  m_.builtin.unknown_case = builtin("unknown_case", "a discriminator with no layout");
  m_.builtin.depth = builtin("depth", "nesting deeper than the model's bound");
  m_.builtin.malformed = builtin("malformed", "an encoding that is not well formed");
  m_.builtin.missing_eoc = builtin("missing_eoc", "an indefinite length without end-of-contents octets");
  m_.builtin.codec = builtin("codec_check", "a codec's check value (CRC) does not match");
  if (const YAML::Node& st = doc["structure"]) {
    // how strongly the specification forbids each structural fault
    allow_keys(st, {"truncated", "trailing", "unknown_case", "depth", "malformed", "missing_eoc", "codec_check"},
               "structure");
    for (const auto& kv : st) {
      std::string id = "structure." + kv.first.as<std::string>();
      std::string sv = parse_str(kv.second, "strength");
      Strength strength = sv == "MUST" ? Strength::Must : sv == "SHOULD" ? Strength::Should
                          : sv == "convention" ? Strength::Convention : Strength::Must;
      if (sv != "MUST" && sv != "SHOULD" && sv != "convention") fail(kv.second, "strength is MUST, SHOULD or convention");
      for (Rule& r : m_.rules) {
        if (r.id == id) r.strength = strength;
      }
    }
  }

  types_node_ = doc["types"];
  if (types_node_ && !types_node_.IsMap()) fail(types_node_, "'types' must be a mapping of name: type");
  if (doc["reactions"]) reactions_section(doc["reactions"]);
  // every named type, reachable or not, so that errors in any of them are reported
  if (types_node_) {
    for (const auto& kv : types_node_) named_type(kv.first.as<std::string>(""), kv.first);
  }
  for (int d = 0; d < 2; ++d) {
    const char* key = d == 0 ? "request" : "response";
    if (!doc[key]) fail(doc, fmt::format("missing '{}': the root type of a {}", key, key));
    TypeId t = type_ref(doc[key], key);
    m_.root[d] = synthetic_field(t, kNone, pos_of(doc[key]));
  }
  link_relations();
  link_messages();
  if (doc["framing"]) {
    framing_section(doc["framing"]);
  } else {
    fail(doc, "missing 'framing': how messages are cut out of a byte stream (or 'framing: datagram')");
  }
  if (doc["session"]) session_section(doc["session"]);
  for (auto& ref : message_refs_) {
    MessageId id = m_.find_message(ref.name, static_cast<Direction>(ref.direction));
    if (id == kNone) id = m_.find_message(ref.name);
    if (id == kNone) fail(ref.at, fmt::format("unknown message type '{}'", ref.name));
    *ref.slot = id;
  }
  check_expression_names();
  check_defaults();
}

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned i = 0; i < len; ++i) out += fmt::format("{:02x}", md[i]);
  return out;
}

}  // namespace load

LoadResult load_model_text(std::string_view text, const std::string& file_name) {
  auto model = std::make_shared<Model>();
  model->file = file_name;
  model->digest = load::sha256_hex(text);
  try {
    YAML::Node doc = YAML::Load(std::string(text));
    load::Loader(*model).run(doc);
  } catch (const load::Failure& f) {
    return LoadError{file_name, f.pos.line, f.pos.column, f.message};
  } catch (const YAML::Exception& e) {
    uint32_t line = e.mark.is_null() ? 0 : static_cast<uint32_t>(e.mark.line + 1);
    uint32_t col = e.mark.is_null() ? 0 : static_cast<uint32_t>(e.mark.column + 1);
    return LoadError{file_name, line, col, e.msg};
  } catch (const std::exception& e) {
    return LoadError{file_name, 0, 0, e.what()};
  }
  return std::shared_ptr<const Model>(std::move(model));
}

LoadResult load_model_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return LoadError{path, 0, 0, "cannot open the file"};
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > (16u << 20)) return LoadError{path, 0, 0, "model file larger than 16 MiB"};
  return load_model_text(text, path);
}

}  // namespace pc::model
