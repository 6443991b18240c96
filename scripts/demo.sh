#!/usr/bin/env bash
# What `make demo` runs: a short campaign against the built-in reference device with one
# seeded defect switched on, the finding it gives, that finding replayed, a short
# availability run, and the signed report of it all.
set -euo pipefail
build=${1:-build/release}
cd "$(dirname "$0")/.."
pc="$build/apps/protocrawler/protocrawler"
device="$build/targets/modbus-ref/pc-modbus-ref"
out=${PC_DEMO_OUT:-out/demo}
rm -rf "$out"
mkdir -p "$out"
defect=${PC_DEMO_DEFECT:-holding-overread}

echo "== The protocol models this build knows"
"$pc" models
echo
echo "== A campaign against the reference Modbus/TCP device, with its '$defect' defect on"
echo "   $pc run --model modbus-tcp --profile ci --target-cmd \"$device --port 0 --defect $defect\" --project $out"
"$pc" run --model modbus-tcp --profile ci --phases discovery,systematic,stateful \
  --target-cmd "$device --port 0 --defect $defect" --project "$out" --out "$out/files" \
  --target-name "reference device" --component-type "embedded device" \
  --vendor ProtoCrawler --product PC-MBREF --firmware V0.1 \
  --tester "make demo" --independence "automated run, no independence claimed" --target-sl 1
echo
echo "== The findings in the project store"
"$pc" findings --project "$out"
first=$("$pc" findings --project "$out" --json | python3 -c 'import json,sys; f=json.load(sys.stdin); print(f[0]["id"] if f else "")')
if [ -n "$first" ]; then
  echo
  echo "== Finding $first replayed on a fresh device"
  "$pc" replay "$first" --project "$out" --target-cmd "$device --port 0 --defect $defect"
  echo
  echo "Its reproducer, a standalone script and the wire capture: $out/files/findings/$first/"
fi

echo
echo "== Availability under load (CR 7.1): a request flood stepped up while the scan counter is watched"
echo "   $pc dos --storm request_flood --target-cmd \"$device --port 0\" --project $out"
"$pc" dos --model modbus-tcp --storm request_flood --hold-seconds 2 \
  --target-cmd "$device --port 0" --project "$out" --out "$out/files" --target-name "reference device" \
  --ef-message read_input_registers_request --ef-set pdu.address=0 --ef-set pdu.quantity=1 \
  --ef-value "pdu.values[0]" --ef-moves 3

echo
echo "== The assessor's report and the signed evidence package, from the project store alone"
key="$out/demo-signing-key.pem"
openssl genpkey -algorithm ed25519 -out "$key" 2>/dev/null
formats=html,json,sarif,junit,csv
if command -v chromium >/dev/null 2>&1 || command -v wkhtmltopdf >/dev/null 2>&1; then formats="$formats,pdf"; fi
"$pc" report --project "$out" --out "$out/report" --format "$formats" --package --sign-key "$key" --signer "make demo"
"$pc" verify-package "$out/report/evidence-run-1.tar.gz"
echo
echo "Open the report: file://$(cd "$out/report" && pwd)/report.html"
