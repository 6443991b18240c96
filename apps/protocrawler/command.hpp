// The command-line front: each command registers itself on the application with its
// options (flags, defaults and help in one place) and a function that runs it.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "core/model/catalog.hpp"

namespace pc::cli {

// Options shared by every command.
struct Global {
  std::vector<std::string> model_dirs;
  model::Catalog catalog() const { return model::Catalog(model_dirs); }
};

// An error for the user: printed as "protocrawler: <message>", exit code `code`.
struct UserError {
  std::string message;
  int code = 2;
};

// Loads a model by name or path, or throws UserError with the loader's position.
std::shared_ptr<const model::Model> load_model(const Global& g, const std::string& name);

void add_models_command(CLI::App& app, Global& g);
void add_model_command(CLI::App& app, Global& g);
void add_validate_command(CLI::App& app, Global& g);
void add_decode_command(CLI::App& app, Global& g);
void add_emit_command(CLI::App& app, Global& g);
void add_run_command(CLI::App& app, Global& g);
void add_replay_command(CLI::App& app, Global& g);
void add_findings_command(CLI::App& app, Global& g);
void add_dos_command(CLI::App& app, Global& g);
void add_finding_command(CLI::App& app, Global& g);
void add_suppressions_command(CLI::App& app, Global& g);
void add_retest_command(CLI::App& app, Global& g);
void add_report_command(CLI::App& app, Global& g);
void add_verify_package_command(CLI::App& app, Global& g);

}  // namespace pc::cli
