#!/usr/bin/env bash
# Benchmarks: print rates and ratios (never asserted in tests).
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."
echo "== Model decode + encode vs a hand-written codec (ModbusTCP.pcap)"
"$build/bench/decode/bench_decode" "${BENCH_SECONDS:-3}"
