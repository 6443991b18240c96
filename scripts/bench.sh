#!/usr/bin/env bash
# Benchmarks: rates and ratios, printed (never asserted in tests). Run by `make bench`.
#   1. model decode+encode vs a hand-written codec (ModbusTCP.pcap)
#   2. test cases generated per second with no network
#   3. for the reference device and the libmodbus server (1 us timeout), each pinned to
#      core 0: the target's raw capacity (valid round trips per second, 1 and 4
#      connections, client on core 1), then a campaign on core 1 (1 and 4 connections):
#      cases per second, the ratio to the raw capacity, and each process's CPU
#   4. a full SL 2 campaign against the reference device (set BENCH_SL2=0 to skip)
#   5. the tool's own offered-load ceiling per storm (pc-bench-dos): the highest rate this
#      machine can offer, against an in-process echo sink on core 0, the load on core 1;
#      a device that outlasts it is tool-limited, not available at any rate (docs/dos.md)
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-3}
pc=$build/apps/protocrawler/protocrawler
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

echo "== 1. Model decode + encode vs a hand-written codec"
"$build/bench/decode/bench_decode" "$secs"
echo
echo "== 2. Test cases generated, no network"
"$build/bench/generate/bench_generate" sl2 "$secs"

start_target() {  # $1 name, $2.. command: starts it on core 0, sets TPID and TADDR
  local name=$1; shift
  taskset -c 0 "$@" > "$tmp/$name.out" 2>&1 &
  TPID=$!
  pids+=("$TPID")
  for _ in $(seq 100); do
    grep -q "listening on" "$tmp/$name.out" 2>/dev/null && break
    sleep 0.1
  done
  TADDR=$(sed -n 's/.*listening on \([0-9.:]*\).*/\1/p' "$tmp/$name.out" | head -n 1)
}

campaign() {  # $1 target address, $2 connections: prints "cases_per_second campaign_cpu_percent target_cpu_percent"
  local t0 c0 real user sys out
  t0=$(ticks "$TPID")
  TIMEFORMAT='%R %U %S'
  { time taskset -c 1 "$pc" run --json --quiet --model modbus-tcp --target "tcp://$1" \
      --profile bench/profiles/throughput.yaml --phases systematic --connections "$2" \
      --no-capture --probe-every 1000000 --min-deadline-ms 20 --project "$tmp/p$RANDOM" > "$tmp/summary.json" 2>/dev/null; } 2> "$tmp/time"
  read -r real user sys < "$tmp/time"
  local cps target_cpu
  cps=$(tail -n 1 "$tmp/summary.json" | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["cases_per_second"]))')
  target_cpu=$(awk -v a="$t0" -v b="$(ticks "$TPID")" -v hz="$hz" -v r="$real" 'BEGIN {printf "%.0f", 100*(b-a)/hz/r}')
  echo "$cps $(awk -v u="$user" -v s="$sys" -v r="$real" 'BEGIN {printf "%.0f", 100*(u+s)/r}') $target_cpu"
}

bench_target() {  # $1 name, $2.. command
  local name=$1; shift
  start_target "$name" "$@"
  echo
  echo "== 3. $name (target on core 0, tool on core 1), $TADDR"
  local raw1 raw4 c1 c4
  raw1=$(taskset -c 1 "$build/bench/campaign/pc-bench-client" --target "tcp://$TADDR" --connections 1 --seconds "$secs")
  raw4=$(taskset -c 1 "$build/bench/campaign/pc-bench-client" --target "tcp://$TADDR" --connections 4 --seconds "$secs")
  read -r cps1 cpu1 tcpu1 <<< "$(campaign "$TADDR" 1)"
  read -r cps4 cpu4 tcpu4 <<< "$(campaign "$TADDR" 4)"
  printf "  raw capacity:     %8s round trips/s (1 connection)   %8s (4 connections)\n" "$raw1" "$raw4"
  printf "  campaign:         %8s cases/s (1 connection)        %8s (4 connections)\n" "$cps1" "$cps4"
  printf "  ratio:            %8s (goal >= 0.9)                   %8s\n" \
    "$(awk -v a="$cps1" -v b="$raw1" 'BEGIN {printf "%.2f", a/b}')" "$(awk -v a="$cps4" -v b="$raw4" 'BEGIN {printf "%.2f", a/b}')"
  printf "  CPU (tool/target): %7s%% / %s%% (1 connection)    %s%% / %s%% (4 connections)\n" "$cpu1" "$tcpu1" "$cpu4" "$tcpu4"
  kill "$TPID" 2>/dev/null || true
}

bench_target "reference device" "$build/targets/modbus-ref/pc-modbus-ref" --port 0
bench_target "libmodbus server (1 us)" "$build/targets/libmodbus-harness/pc-libmodbus-server" --port 0 --response-timeout-us 1

if [ "${BENCH_SL2:-1}" != 0 ]; then
  echo
  echo "== 4. A full SL 2 campaign against the reference device (every defect off)"
  TIMEFORMAT='%R'
  { time "$pc" run --quiet --model modbus-tcp --sl 2 --project "$tmp/sl2" \
      --target-cmd "$build/targets/modbus-ref/pc-modbus-ref --port 0" | tail -n 3; } 2> "$tmp/sl2.time"
  echo "  took $(cat "$tmp/sl2.time") s"
fi

echo
echo "== 5. The tool's own offered-load ceiling per storm (sink on core 0, load on core 1)"
"$build/bench/availability/pc-bench-dos" --cpu-sink 0 --cpu-tool 1 --seconds "${BENCH_DOS_SECONDS:-1}"
