// placeholder replaced below
#include "apps/protocrawler/command.hpp"
namespace pc::cli {
void add_report_command(CLI::App&, Global&) {}
void add_verify_package_command(CLI::App&, Global&) {}
}  // namespace pc::cli
