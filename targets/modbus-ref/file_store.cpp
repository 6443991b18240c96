#include "file_store.hpp"

namespace pc::modbus_ref {

FileStore::FileStore() {
  for (auto& file : files_) {
    file.assign(kRecordsPerFile, 0);
  }
}

bool FileStore::contains(std::uint16_t file, std::uint32_t record, std::uint32_t length) const {
  return file >= 1 && file <= kFileCount && length >= 1 && record + length <= kRecordsPerFile;
}

std::uint16_t FileStore::get(std::uint16_t file, std::uint32_t record) const {
  return files_[file - 1U][record];
}

void FileStore::set(std::uint16_t file, std::uint32_t record, std::uint16_t value) {
  files_[file - 1U][record] = value;
}

}  // namespace pc::modbus_ref
