#!/usr/bin/env bash
# One command that installs everything: npm dependencies, the build, and the
# mosquitto broker + client tools the tests run against (when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npm run build

if command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ]; then
  if command -v mosquitto_pub >/dev/null 2>&1; then
    echo "setup: mosquitto and mosquitto-clients already installed"
    exit 0
  fi
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    echo "setup: mosquitto is missing and this user cannot install packages." >&2
    echo "setup: run 'sudo apt-get install mosquitto mosquitto-clients', then 'npm test'." >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no apt-get here; install the mosquitto broker and clients with your package manager." >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients
