#!/usr/bin/env bash
# Builds the site into dist/, installing whatever is missing first (www/toolchain.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/www/toolchain.sh" "$@"
export PATH="$root/www/node_modules/.bin:$PATH"   # npm's wasm-opt ahead of any other
cd "$root"
trunk build
echo "built: $root/dist ($(du -sh dist | cut -f1))"
