#!/usr/bin/env bash
# The published package works: `npm pack`, then a global install of that
# tarball into a throw-away prefix gives four commands and their man pages,
# with the licence, and without the vendored Mosquitto source or test data.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
npm install -g --silent --no-audit --no-fund --prefix "$work/prefix" "$work/$tarball" >/dev/null
for tool in mqtt-pub mqtt-sub mqtt-rr mqtt-passwd; do
  bin="$work/prefix/bin/$tool"
  [ -x "$bin" ] || { echo "check-pack: $tool was not installed" >&2; exit 1; }
  man="$work/prefix/share/man/man1/$tool.1"
  [ -f "$man" ] || { echo "check-pack: man page $tool.1 was not installed" >&2; exit 1; }
done
pkg="$work/prefix/lib/node_modules/mqtt-cli-suite"
for f in LICENSE README.md ARCHITECTURE.md; do
  [ -f "$pkg/$f" ] || { echo "check-pack: $f is not in the package" >&2; exit 1; }
done
# The Mosquitto source and test data are for our tests only; they must not ship.
for d in vendor test .cache; do
  [ ! -e "$pkg/$d" ] || { echo "check-pack: $d/ was packed" >&2; exit 1; }
done
# --version prints to stdout and exits 1, as mosquitto's tools do.
set +e
for tool in mqtt-pub mqtt-sub mqtt-passwd mqtt-rr; do
  out=$("$work/prefix/bin/$tool" --version)
  case "$out" in "$tool version"*) ;; *) echo "check-pack: $tool --version printed '$out'" >&2; exit 1 ;; esac
done
XDG_CACHE_HOME="$work/cache" "$work/prefix/bin/mqtt-passwd" -c -b "$work/pw" alice secret 2>/dev/null
[ "$(cut -d: -f1 "$work/pw")" = alice ] || { echo "check-pack: mqtt-passwd did not write the file" >&2; exit 1; }
# A successful run leaves its code cache, through dist/launch-save.js (which a missing file would fail silently).
compgen -G "$work/cache/mqtt-cli/mqtt-passwd-*.v8" >/dev/null || { echo "check-pack: the installed launcher wrote no code cache" >&2; exit 1; }
# argon2id loads hash-wasm from the installed package's dependencies, only when used.
"$work/prefix/bin/mqtt-passwd" -H argon2id -b "$work/pw" bob secret 2>/dev/null
grep -q '^bob:\$argon2id\$v=19\$m=47104,t=1,p=1\$' "$work/pw" || { echo "check-pack: mqtt-passwd -H argon2id failed when installed" >&2; exit 1; }
echo "check-pack: $tarball installs mqtt-pub, mqtt-sub, mqtt-rr, mqtt-passwd and their man pages"
