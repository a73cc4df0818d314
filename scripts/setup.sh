#!/usr/bin/env bash
# One command that installs everything: npm dependencies, the build, the mosquitto
# broker + client tools the tests run against and Debian's argon2 command (libargon2,
# the tests' independent argon2 reference) when missing, and the Mosquitto 2.1
# reference build from vendor/ (scripts/build-mosquitto-2.1.sh, once, into .cache/).
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npm run build

have_debian_mosquitto() {
  { command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ]; } && command -v mosquitto_pub >/dev/null 2>&1 &&
    command -v argon2 >/dev/null 2>&1
}

install_debian_mosquitto() {
  local SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      SUDO="sudo"
    else
      echo "setup: mosquitto or argon2 is missing and this user cannot install packages." >&2
      echo "setup: run 'sudo apt-get install mosquitto mosquitto-clients argon2', then 'npm run setup' again." >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: no apt-get here; install the mosquitto broker and clients and argon2 with your package manager." >&2
    exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends mosquitto mosquitto-clients argon2
}

if have_debian_mosquitto; then
  echo "setup: mosquitto, mosquitto-clients and argon2 already installed"
else
  install_debian_mosquitto
fi

dir=$(bash scripts/build-mosquitto-2.1.sh)
echo "setup: Mosquitto 2.1 reference build in $dir"
