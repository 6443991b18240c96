#include "core/campaign/reproducer.hpp"

#include <fmt/format.h>

namespace pc::campaign {

namespace {

std::string hex(const std::vector<uint8_t>& b) {
  std::string s;
  for (uint8_t x : b) s += fmt::format("{:02x}", x);
  return s;
}

bool unhex(const std::string& s, std::vector<uint8_t>& out) {
  if (s.size() % 2) return false;
  out.clear();
  for (size_t i = 0; i < s.size(); i += 2) {
    unsigned v = 0;
    if (sscanf(s.c_str() + i, "%2x", &v) != 1) return false;
    out.push_back(static_cast<uint8_t>(v));
  }
  return true;
}

nlohmann::json step_json(const model::Model& m, const generate::Step& s) {
  return {{"hex", hex(s.bytes)},
          {"message", s.message == model::kNone ? "" : m.str(m.messages[s.message].name)},
          {"expect", s.expect == generate::Expect::Answer ? "answer" : s.expect == generate::Expect::Silence ? "silence" : "either"}};
}

bool step_from(const nlohmann::json& j, const model::Model& m, generate::Step& s, std::string& error) {
  if (!j.is_object() || !j.contains("hex") || !unhex(j["hex"].get<std::string>(), s.bytes)) {
    error = "a step needs 'hex' bytes";
    return false;
  }
  std::string e = j.value("expect", "answer");
  s.expect = e == "silence" ? generate::Expect::Silence : e == "either" ? generate::Expect::Either : generate::Expect::Answer;
  std::string msg = j.value("message", "");
  s.message = msg.empty() ? model::kNone : m.find_message(msg, model::Direction::Request);
  return true;
}

}  // namespace

size_t Reproducer::messages() const {
  size_t n = 0;
  for (const auto& c : cases) n += c.steps.size() + c.undo.size();
  return n * repeat;
}

nlohmann::json Reproducer::to_json(const model::Model& m) const {
  nlohmann::json cs = nlohmann::json::array();
  for (const auto& c : cases) {
    nlohmann::json steps = nlohmann::json::array(), undo = nlohmann::json::array();
    for (const auto& s : c.steps) steps.push_back(step_json(m, s));
    for (const auto& s : c.undo) undo.push_back(step_json(m, s));
    cs.push_back({{"id", c.id.text()},
                  {"message", c.message == model::kNone ? "" : m.str(m.messages[c.message].name)},
                  {"field", c.field},
                  {"mutation", std::string(generate::class_name(c.mutation))},
                  {"recipe", c.recipe},
                  {"steps", steps},
                  {"undo", undo}});
  }
  return {{"model", m.name}, {"kind", kind}, {"repeat", repeat}, {"fresh_connection_each", fresh_connection_each},
          {"cases", cs}};
}

bool Reproducer::from_json(const nlohmann::json& j, const model::Model& m, Reproducer& out, std::string& error) {
  if (!j.is_object() || !j.contains("cases") || !j["cases"].is_array()) {
    error = "not a reproducer: it has no 'cases' list";
    return false;
  }
  out = Reproducer{};
  out.kind = j.value("kind", "");
  out.repeat = std::max<uint32_t>(1, j.value("repeat", 1u));
  out.fresh_connection_each = j.value("fresh_connection_each", false);
  for (const auto& c : j["cases"]) {
    generate::TestCase t;
    generate::parse_case_id(c.value("id", "S:0"), t.id);
    t.message = m.find_message(c.value("message", ""), model::Direction::Request);
    t.field = c.value("field", "");
    t.mutation = generate::class_from_name(c.value("mutation", "boundary")).value_or(generate::MutationClass::Boundary);
    t.recipe = c.value("recipe", "");
    for (const auto& s : c.value("steps", nlohmann::json::array())) {
      generate::Step st;
      if (!step_from(s, m, st, error)) return false;
      t.steps.push_back(std::move(st));
    }
    for (const auto& s : c.value("undo", nlohmann::json::array())) {
      generate::Step st;
      if (!step_from(s, m, st, error)) return false;
      t.undo.push_back(std::move(st));
    }
    out.cases.push_back(std::move(t));
  }
  return true;
}

std::string reproducer_script(const model::Model& m, const Reproducer& r, const std::string& title) {
  std::string steps;
  for (const auto& c : r.cases) {
    for (const auto& s : c.steps) steps += fmt::format("    (\"{}\", {}),\n", hex(s.bytes), s.expect_answer() ? "True" : "False");
    for (const auto& s : c.undo) steps += fmt::format("    (\"{}\", {}),\n", hex(s.bytes), s.expect_answer() ? "True" : "False");
  }
  return fmt::format(R"py(#!/usr/bin/env python3
# ProtoCrawler reproducer: {title}
# Model {model}. Sends the messages below to HOST PORT over {transport} and prints the
# answers. Usage: python3 reproduce.py HOST PORT
import socket, sys, time

STEPS = [  # (message bytes in hex, a correct device answers it)
{steps}]
REPEAT = {repeat}
FRESH_CONNECTION_EACH = {fresh}

def connect(host, port):
    s = socket.create_connection((host, port), timeout=5)
    s.settimeout(2)
    return s

def main():
    host, port = sys.argv[1], int(sys.argv[2])
    s = connect(host, port)
    for r in range(REPEAT):
        if FRESH_CONNECTION_EACH and r:
            s.close()
            s = connect(host, port)
        for hexbytes, expect in STEPS:
            s.sendall(bytes.fromhex(hexbytes))
            t = time.time()
            try:
                answer = s.recv(65536)
                print(f"sent {{hexbytes}} -> {{answer.hex() or 'closed'}} ({{(time.time() - t) * 1000:.1f}} ms)")
            except socket.timeout:
                print(f"sent {{hexbytes}} -> no answer{{'' if not expect else ' (one was expected)'}}")
            except ConnectionError as e:
                print(f"sent {{hexbytes}} -> {{e}}")
                s = connect(host, port)
    s.close()

if __name__ == "__main__":
    main()
)py",
                     fmt::arg("title", title), fmt::arg("model", m.name), fmt::arg("transport", m.transport),
                     fmt::arg("steps", steps), fmt::arg("repeat", r.repeat),
                     fmt::arg("fresh", r.fresh_connection_each ? "True" : "False"));
}

}  // namespace pc::campaign
