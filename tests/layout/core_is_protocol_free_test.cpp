// Protocol knowledge lives in models/, never in core/: no protocol name in core's code.
// The names of CRC algorithms in the standard CRC catalogue (CRC-16/MODBUS, CRC-16/DNP)
// name algorithms, not protocols, and are allowed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

namespace {

TEST(Layout, NoProtocolNameAppearsInCore) {
  const std::regex protocol(
      R"(\b(modbus|mbap|dnp3?|iec[ _-]?104|60870|61850|62056|mms|mqtt|dlms|cosem|tpkt|cotp|hdlc|bacnet|profinet|goose|acse)\b)",
      std::regex::icase);
  const std::regex allowed(R"(crc16_(modbus|dnp)|CRC-16/(MODBUS|DNP))", std::regex::icase);
  size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(PC_SOURCE_DIR) + "/core")) {
    auto ext = e.path().extension();
    if (ext != ".cpp" && ext != ".hpp" && ext != ".h" && ext != ".txt") continue;
    ++files;
    std::ifstream in(e.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      std::string cleaned = std::regex_replace(line, allowed, "");
      std::smatch m;
      if (std::regex_search(cleaned, m, protocol)) {
        ADD_FAILURE() << e.path().string() << ":" << n << ": protocol name '" << m.str() << "' in core: " << line;
      }
    }
  }
  EXPECT_GT(files, 20u);
}

}  // namespace
