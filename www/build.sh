#!/usr/bin/env bash
# Builds everything the site and its embedders use, installing whatever is missing first
# (www/toolchain.sh):
#   dist/                                  the site (Trunk), with article/, examples/ and data/
#   dist/vae-playground-standalone.html    the playground as one self-contained file
#   pkg/                                   the <vae-playground> package (npm pack makes it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/www/toolchain.sh" "$@"
export PATH="$root/www/node_modules/.bin:$PATH"   # npm's wasm-opt ahead of any other
cd "$root"
trunk build
# MNIST and Fashion-MNIST, converted from their pinned npm packages (not kept in git): the
# page fetches one only when a visitor picks it; vae-train --dataset mnist|fashion reads them.
node www/convert-data.mjs dist/data
node www/standalone.mjs dist
node www/preload.mjs dist
node www/bundle-worker.mjs dist
# Last: scripts and styles minified in place (the steps above read them as written).
node www/minify.mjs dist
# The package: the same files the site serves (no code kept twice): the component's files,
# listed once, as index.html's copy-file links, and the wasm with its glue.
# (The worker's own modules are built into dist/worker.js: not copied.)
for f in $(sed -n 's/.*rel="copy-file" href="\([^"]*\.\(js\|css\)\)".*/\1/p' www/index.html | grep -v '^worker-') vae-playground.js vae-playground_bg.wasm; do
  cp "dist/$f" "pkg/$f"
done
echo "built: dist/ ($(du -sh dist | cut -f1)), dist/vae-playground-standalone.html, pkg/"
