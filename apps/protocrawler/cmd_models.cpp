// `protocrawler models` and `protocrawler model show NAME`.
#include <fmt/core.h>

#include "apps/protocrawler/command.hpp"
#include "core/model/printer.hpp"

namespace pc::cli {

void add_models_command(CLI::App& app, Global& g) {
  auto* cmd = app.add_subcommand("models", "List the protocol models this installation knows");
  cmd->callback([&g] {
    auto cat = g.catalog();
    for (const auto& name : cat.names()) {
      auto r = cat.load(name);
      if (auto* m = std::get_if<std::shared_ptr<const model::Model>>(&r)) {
        fmt::print("{:<14} {:<28} {:>3} message types  {}\n", name, (*m)->title, (*m)->messages.size(),
                   cat.path_of(name));
      } else {
        fmt::print("{:<14} BROKEN: {}\n", name, std::get<model::LoadError>(r).text());
      }
    }
  });
}

void add_model_command(CLI::App& app, Global& g) {
  auto* cmd = app.add_subcommand("model", "Look inside a model");
  cmd->require_subcommand(1);
  auto* show = cmd->add_subcommand("show", "Print a model's messages and fields as a tree");
  auto name = std::make_shared<std::string>();
  auto rules = std::make_shared<bool>(false);
  show->add_option("NAME", *name, "Model name (see `protocrawler models`) or path to a model file")->required();
  show->add_flag("--rules", *rules, "Also list each field's validity rules with clause, strength and reactions");
  show->callback([&g, name, rules] { fmt::print("{}", model::format_model(*load_model(g, *name), *rules)); });
}

void add_validate_command(CLI::App& app, Global&) {
  auto* cmd = app.add_subcommand("validate", "Check a model file; errors are printed as file:line:column: cause");
  auto path = std::make_shared<std::string>();
  cmd->add_option("MODEL", *path, "Path to a model file (.yaml)")->required();
  cmd->callback([path] {
    auto r = model::load_model_file(*path);
    if (auto* e = std::get_if<model::LoadError>(&r)) throw UserError{e->text(), 1};
    const auto& m = *std::get<std::shared_ptr<const model::Model>>(r);
    size_t rules = 0;
    for (const auto& rule : m.rules) rules += rule.kind != model::Rule::Kind::Structure;
    fmt::print("{}: ok: model '{}', {} message types, {} fields, {} rules, {} relations\n", *path, m.name,
               m.messages.size(), m.fields.size(), rules, m.relations.size());
  });
}

}  // namespace pc::cli
