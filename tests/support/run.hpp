// Running a real program from a test (tshark, the protocrawler binary) and reading its
// output. Every run is bounded by a timeout.
#pragma once

#include <string>
#include <vector>

namespace pc::test {

struct RunResult {
  int exit_code = -1;  // -1: did not start or was killed by the timeout
  std::string out;
  std::string err;
};

// Runs argv[0] with arguments (no shell), at most `timeout_seconds`.
RunResult run(const std::vector<std::string>& argv, int timeout_seconds = 120);

// A child process running in the background (no shell), killed and reaped when the object
// goes. Its output goes to files.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::string& out_file, const std::string& err_file);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  int pid() const { return pid_; }
  void kill(int signal);
  // Waits for it to end (up to the timeout): its exit code, 128 + signal, or -1.
  int wait(int timeout_seconds);

 private:
  int pid_ = -1;
  bool reaped_ = false;
};

// A fresh temporary directory, removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace pc::test
