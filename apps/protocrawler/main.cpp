// protocrawler: protocol-aware fuzz testing for industrial devices.
#include <fmt/core.h>

#include "apps/protocrawler/command.hpp"

namespace pc::cli {

std::shared_ptr<const model::Model> load_model(const Global& g, const std::string& name) {
  auto r = g.catalog().load(name);
  if (auto* e = std::get_if<model::LoadError>(&r)) throw UserError{e->text(), 2};
  return std::get<std::shared_ptr<const model::Model>>(r);
}

}  // namespace pc::cli

int main(int argc, char** argv) {
  using namespace pc::cli;
  CLI::App app{"ProtoCrawler " PC_VERSION ": protocol-aware fuzz testing for industrial devices.\n"
               "Models describe each protocol (see docs/model-language.md); commands decode captures,\n"
               "emit messages and run campaigns against a device."};
  app.set_version_flag("--version", PC_VERSION);
  app.require_subcommand(1);
  Global g;
  app.add_option("--models", g.model_dirs, "Extra folder(s) to find model files in")->type_name("DIR");
  add_models_command(app, g);
  add_model_command(app, g);
  add_validate_command(app, g);
  add_decode_command(app, g);
  add_emit_command(app, g);
  add_run_command(app, g);
  add_replay_command(app, g);
  add_findings_command(app, g);
  add_dos_command(app, g);
  add_finding_command(app, g);
  add_suppressions_command(app, g);
  add_retest_command(app, g);
  add_report_command(app, g);
  add_verify_package_command(app, g);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version exit 0; every bad command line exits 2, as every other error
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const UserError& e) {
    fmt::print(stderr, "protocrawler: {}\n", e.message);
    return e.code;
  }
  return 0;
}
