#!/usr/bin/env bash
# Installs everything Escape Hatch needs on a fresh Debian/Ubuntu machine (CI uses this too):
# system packages for the Ledger USB transport (node-hid builds against libusb/libudev) and for the browser e2e
# tests (Debian's Chromium), then the exact npm dependencies from package-lock.json; npm ci runs the `prepare` script,
# which builds the CLI into out/cli (tools/buildCli.mjs) so `escape-hatch` starts fast.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in chromium libusb-1.0-0-dev libudev-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: please install with your package manager: ${need[*]} (Chromium is only needed for the UI tests)" >&2
  else
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing ${need[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

npm ci --no-audit --no-fund
