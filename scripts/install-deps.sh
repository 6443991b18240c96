#!/usr/bin/env bash
# Installs the Debian packages ProtoCrawler builds, tests and demos with.
# Idempotent: installs only what is missing; non-interactive; uses sudo only when not root.
set -euo pipefail

packages=(
  # toolchain: clang serves the sanitizer/libFuzzer build and the optimised build
  clang libclang-rt-14-dev lld cmake ninja-build make pkg-config git
  # llvm-symbolizer: sanitizer reports name functions (the crash oracle's stack frames)
  llvm
  # libraries the tool links
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev libsqlite3-dev
  libpcap-dev libssl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # third-party targets and oracles used by the tests
  libmodbus-dev mosquitto mosquitto-clients tshark
  python3 python3-jsonschema python3-junitparser
  # reports: HTML to PDF and the HTML test (headless Chromium), package signing in tests
  # (openssl)
  chromium openssl
  # network namespaces and process tools used by tests
  iproute2 procps
)
# npm runs the SARIF validator (below). A machine that has it from elsewhere (a Node.js
# distribution) keeps it: Debian's npm package would conflict with that nodejs.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# The SARIF validator the report tests run: Microsoft's SARIF Multitool from npm, pinned
# with the SHA-512 of every package in tools/sarif-multitool/package-lock.json, installed
# beside it (not committed). `npm ci` refuses a package whose digest differs, so where a
# TLS-intercepting proxy's certificate is not in this machine's store, the second try
# without certificate checks still installs exactly the pinned bytes or nothing.
install_sarif_multitool() {
  local dir tool
  dir="$(cd "$(dirname "$0")/.." && pwd)/tools/sarif-multitool"
  tool="$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
  if [ -x "$tool" ]; then
    return 0
  fi
  echo "install-deps: installing the SARIF Multitool (npm ci, pinned in tools/sarif-multitool/package-lock.json)"
  if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "install-deps: npm could not verify the registry's certificate chain; trying again with the lockfile's SHA-512 digests as the only check"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error --strict-ssl=false)
  fi
  chmod u+x "$tool"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  install_sarif_multitool
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
  sudo_cmd=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-superusers may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" | "${sudo_cmd[@]}" debconf-set-selections 2>/dev/null || true
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_sarif_multitool
echo "install-deps: done"
