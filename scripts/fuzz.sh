#!/usr/bin/env bash
# Runs every libFuzzer target for longer than CI does: scripts/fuzz.sh BUILD SECONDS
set -euo pipefail
build=${1:-build/asan}
seconds=${2:-60}
cd "$(dirname "$0")/.."
(cd "$build" && ctest -R '_seed$' > /dev/null)
for f in "$build"/fuzz/fuzz_*; do
  name=$(basename "$f")
  echo "== $name ($seconds s)"
  "$f" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560 \
       -artifact_prefix="$build/fuzz/artifacts/$name-" "$build/fuzz/corpus/$name" 2>&1 | tail -n 2
done
echo "crashes, if any, are in $build/fuzz/artifacts/: add each to fuzz/regressions/<target>/"
