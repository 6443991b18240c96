// Crashes and resumes: a writer process killed with SIGKILL while it commits leaves a
// consistent store holding whole batches only, and a run resumed from its resume point
// ends with the same cases and coverage as a run that was never interrupted.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "core/store/store.hpp"
#include "tests/store/store_test_util.hpp"
#include "tests/support/run.hpp"

namespace pc::store {
namespace {

using test::make_batch;
using test::open_store;

constexpr uint64_t kBatch = 500;
constexpr uint64_t kBatches = 40;

// A child process that opens the store and commits batches of `run` from case 0 on,
// writing one byte to a pipe after each commit, until `limit` batches or SIGKILL.
class Writer {
 public:
  Writer(const std::string& path, Id run, uint64_t limit) {
    int fds[2];
    if (pipe(fds) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      close(fds[0]);
      std::string error;
      auto s = Store::open(path, error);
      if (!s) _exit(2);
      for (uint64_t b = 0; b < limit; ++b) {
        if (!s->try_commit(make_batch(b * kBatch, kBatch), run, error)) _exit(3);
        char one = 1;
        if (write(fds[1], &one, 1) != 1) _exit(4);
      }
      _exit(0);
    }
    close(fds[1]);
    fd_ = fds[0];
  }
  ~Writer() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Waits until `n` commits were reported (false on timeout or early exit).
  bool wait_commits(uint64_t n) {
    uint64_t seen = 0;
    while (seen < n) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 60000) <= 0) return false;
      char buf[64];
      ssize_t got = read(fd_, buf, sizeof buf);
      if (got <= 0) return false;
      seen += static_cast<uint64_t>(got);
    }
    return true;
  }
  // SIGKILL now; true when it died of it (rather than having finished first).
  bool kill_now() {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }
  bool started() const { return pid_ > 0 && fd_ >= 0; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
};

Id new_run(const std::string& path, uint64_t seed) {
  auto s = open_store(path);
  return s ? s->begin_run(test::example_run(s->upsert_target(test::example_target()), seed)) : 0;
}

// Whole batches only: cases 0..P-1 each once, and every per-batch row of P / kBatch
// batches, where P is the resume point.
void expect_whole_batches(Store& s, Id run) {
  std::string detail;
  EXPECT_TRUE(s.check(detail)) << detail;
  test::RawDb raw(s.path());
  EXPECT_EQ(raw.scalar("PRAGMA integrity_check"), "ok");
  auto point = s.resume_point(run);
  ASSERT_TRUE(point);
  const uint64_t p = point->second;
  EXPECT_EQ(p % kBatch, 0u);
  auto cases = s.cases(run);
  ASSERT_EQ(cases.size(), p);
  for (uint64_t i = 0; i < p; ++i) ASSERT_EQ(cases[i].index, i);
  const uint64_t batches = p / kBatch;
  EXPECT_EQ(raw.scalar("SELECT batches FROM progress WHERE run_id = " + std::to_string(run)),
            std::to_string(batches));
  EXPECT_EQ(s.corpus(run).size(), batches);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM case_bytes WHERE run_id = " + std::to_string(run)),
            std::to_string(batches));
  std::string cursor = std::to_string(p);
  EXPECT_EQ(s.state(run, "cursor"), std::vector<uint8_t>(cursor.begin(), cursor.end()));
}

TEST(StoreResume, WriterKilledWhileCommittingLeavesWholeBatches) {
  // Killed at different points: after n commits and a few milliseconds more (a commit of
  // kBatch cases takes about that), so the kill lands anywhere in a commit: binding rows,
  // writing the WAL, committing.
  for (uint64_t kill_after : {1u, 2u, 3u, 5u, 8u, 13u, 21u, 34u}) {
    SCOPED_TRACE("killed after " + std::to_string(kill_after) + " commits");
    pc::test::TempDir dir;
    const std::string path = dir.file("s.db");
    Id run = new_run(path, 42);
    ASSERT_GT(run, 0);
    Writer writer(path, run, 100000);
    ASSERT_TRUE(writer.started());
    ASSERT_TRUE(writer.wait_commits(kill_after));
    usleep(static_cast<useconds_t>(kill_after * 2777 % 19000));
    ASSERT_TRUE(writer.kill_now());

    auto s = open_store(path);
    ASSERT_NE(s, nullptr);
    expect_whole_batches(*s, run);
    EXPECT_GE(s->resume_point(run)->second, kill_after * kBatch);
    EXPECT_EQ(s->run(run)->status, "running");  // nobody ended it
    EXPECT_EQ(s->resumable_run("sha256:1111", s->run(run)->target_id, 42)->id, run);
    EXPECT_EQ(s->error_count(), 0u) << s->last_error();
  }
}

std::vector<CoverageDelta> without_run(std::vector<CoverageDelta> v) {
  for (auto& d : v) d.run_id = 0;
  return v;
}

std::vector<CaseRecord> without_run(std::vector<CaseRecord> v) {
  for (auto& c : v) c.run_id = 0;
  return v;
}

TEST(StoreResume, KilledAndResumedRunEndsLikeAnUninterruptedOne) {
  pc::test::TempDir dir;
  const std::string path = dir.file("s.db");
  Id straight = new_run(path, 1);
  Id crashed = new_run(path, 2);
  ASSERT_GT(crashed, straight);
  {
    auto s = open_store(path);
    ASSERT_NE(s, nullptr);
    for (uint64_t b = 0; b < kBatches; ++b) s->commit(make_batch(b * kBatch, kBatch), straight);
    s->end_run(straight, "completed");
  }
  {
    Writer writer(path, crashed, kBatches);
    ASSERT_TRUE(writer.started());
    ASSERT_TRUE(writer.wait_commits(3));
    EXPECT_TRUE(writer.kill_now());
  }
  auto s = open_store(path);
  ASSERT_NE(s, nullptr);
  expect_whole_batches(*s, crashed);
  const uint64_t p = s->resume_point(crashed)->second;
  EXPECT_LT(p, kBatches * kBatch);
  // Resume the way a cautious engine might: a little before the resume point, with
  // another batch size, so some cases are committed a second time.
  s->resume_run(crashed);
  const uint64_t total = kBatches * kBatch;
  for (uint64_t first = p > 137 ? p - 137 : 0; first < total;) {
    uint64_t count = std::min<uint64_t>(300, total - first);
    ASSERT_TRUE([&] {
      std::string error;
      return s->try_commit(make_batch(first, count), crashed, error);
    }());
    first += count;
  }
  s->end_run(crashed, "completed");

  EXPECT_EQ(s->resume_point(crashed), s->resume_point(straight));
  auto expected = without_run(s->coverage(straight));
  auto got = without_run(s->coverage(crashed));
  ASSERT_EQ(got.size(), expected.size());
  EXPECT_EQ(got, expected);
  uint64_t sum = 0;
  for (const auto& d : got) sum += d.count;
  EXPECT_EQ(sum, total);
  EXPECT_EQ(without_run(s->cases(crashed)), without_run(s->cases(straight)));
  EXPECT_EQ(s->run(crashed)->resumes, 1u);
  std::string detail;
  EXPECT_TRUE(s->check(detail)) << detail;
  EXPECT_EQ(s->error_count(), 0u) << s->last_error();
}

TEST(StoreResume, StoreDroppedWithoutEndRunKeepsWhatWasCommitted) {
  pc::test::TempDir dir;
  const std::string path = dir.file("s.db");
  Id run = new_run(path, 7);
  {
    auto s = open_store(path);
    ASSERT_NE(s, nullptr);
    for (uint64_t b = 0; b < 3; ++b) s->commit(make_batch(b * kBatch, kBatch), run);
  }
  auto s = open_store(path);
  ASSERT_NE(s, nullptr);
  expect_whole_batches(*s, run);
  EXPECT_EQ(s->resume_point(run), (std::pair<uint8_t, uint64_t>{1, 3 * kBatch}));
  EXPECT_EQ(s->run(run)->status, "running");
}

}  // namespace
}  // namespace pc::store
