// Test helper: a libmodbus TCP client (a third-party implementation, so the targets are
// checked against someone else's reading of the spec, not only against our own).
#pragma once

#include <modbus.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace pc::targets_test {

class LibmodbusClient {
 public:
  explicit LibmodbusClient(std::uint16_t port) : ctx_(modbus_new_tcp("127.0.0.1", port)) {
    if (!ctx_ || modbus_connect(ctx_.get()) != 0) {
      throw std::runtime_error("libmodbus cannot connect to port " + std::to_string(port));
    }
    modbus_set_response_timeout(ctx_.get(), 10, 0);
  }
  modbus_t* get() const { return ctx_.get(); }

 private:
  struct Closer {
    void operator()(modbus_t* ctx) const {
      modbus_close(ctx);
      modbus_free(ctx);
    }
  };
  std::unique_ptr<modbus_t, Closer> ctx_;
};

}  // namespace pc::targets_test
