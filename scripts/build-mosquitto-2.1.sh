#!/usr/bin/env bash
# Builds the Mosquitto 2.1 reference (broker, mosquitto_pub/sub/rr, mosquitto_passwd) from the tarball in
# vendor/, once, into .cache/<name>/{bin,lib} inside the repository, and prints that directory. Tests of
# argon2id password files, mqtt-rr and 2.1-only options run against it (test/helpers/mosquitto21.ts).
# Nothing is installed system-wide except the Debian build packages, and only when missing and we are root
# (or have password-less sudo). Takes 2-4 minutes on 2 cores the first time; later runs print the cache.
#
#   dir=$(bash scripts/build-mosquitto-2.1.sh)
#   LD_LIBRARY_PATH=$dir/lib $dir/bin/mosquitto_pub ...
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tarball=$root/vendor/mosquitto-2.1-dd2c25c1.tar.gz
name=$(basename "$tarball" .tar.gz)
out=${MOSQUITTO21_DIR:-$root/.cache/$name}
bins=(mosquitto mosquitto_pub mosquitto_sub mosquitto_rr mosquitto_passwd)

built() {
  local b
  for b in "${bins[@]}"; do [ -x "$out/bin/$b" ] || return 1; done
}
if built; then echo "$out"; exit 0; fi
[ -f "$tarball" ] || { echo "build-mosquitto-2.1: $tarball is missing" >&2; exit 1; }

packages="cmake build-essential libssl-dev libcjson-dev libargon2-dev libsqlite3-dev"
need=()
for p in cmake gcc make; do command -v "$p" >/dev/null 2>&1 || need+=("$p"); done
for h in openssl/ssl.h cjson/cJSON.h argon2.h sqlite3.h; do [ -f "/usr/include/$h" ] || need+=("$h"); done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="none"; fi
  fi
  if [ "$SUDO" = none ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "build-mosquitto-2.1: missing ${need[*]}; run: sudo apt-get install $packages" >&2
    exit 1
  fi
  echo "build-mosquitto-2.1: installing $packages" >&2
  { $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $packages; } >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mosq21-build.XXXXXX")
trap 'rm -rf "$work" "$out.tmp"' EXIT
echo "build-mosquitto-2.1: building $name (2-4 minutes)" >&2
tar -xzf "$tarball" -C "$work"
src=$work/$name
mkdir -p "$src/build"
( cd "$src/build"
  cmake .. -DDOCUMENTATION=OFF -DWITH_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >&2
  make -j"$(nproc)" >&2 )
# Assemble beside the target and rename, so an interrupted build never looks finished.
rm -rf "$out.tmp"
mkdir -p "$out.tmp/bin" "$out.tmp/lib"
cp "$src/build/src/mosquitto" "$src/build/client/mosquitto_pub" "$src/build/client/mosquitto_sub" \
   "$src/build/client/mosquitto_rr" "$src/build/apps/mosquitto_passwd/mosquitto_passwd" "$out.tmp/bin/"
cp -P "$src"/build/lib/libmosquitto.so* "$out.tmp/lib/"
find "$src/build" -name 'libmosquitto_common.so*' -exec cp -P {} "$out.tmp/lib/" \;
rm -rf "$out"
mv "$out.tmp" "$out"
built || { echo "build-mosquitto-2.1: build finished but $out is incomplete" >&2; exit 1; }
echo "$out"
