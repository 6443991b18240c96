#!/usr/bin/env bash
# The main job against the built-in material: what `make demo` runs.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."
pc="$build/apps/protocrawler/protocrawler"
captures=../shared/captures
out=${PC_DEMO_OUT:-out/demo}
mkdir -p "$out"

echo "== Models"
"$pc" models
echo
echo "== A real capture, decoded and re-encoded byte for byte"
if [ -d "$captures/modbus" ]; then
  "$pc" decode --model modbus-tcp --roundtrip "$captures/modbus/modbus_test_data_part1.pcap" | tail -n 12 || true
else
  echo "(no ../shared/captures beside the clone: skipped)"
fi
echo
echo "== Every Modbus/TCP message type with its defaults, written and read back"
"$pc" emit --model modbus-tcp --pcap "$out/modbus-all-messages.pcap"
"$pc" decode --model modbus-tcp --roundtrip "$out/modbus-all-messages.pcap" | tail -n 1
