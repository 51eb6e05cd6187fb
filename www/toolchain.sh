#!/usr/bin/env bash
# Installs whatever the build (and, with --test, the tests) need and is missing; skips what is
# already there at the pinned version. Run by www/build.sh, www/serve.sh and tests/run-all.sh.
#
#   rustup target wasm32-unknown-unknown
#   wasm-bindgen-cli   at the wasm-bindgen version in Cargo.lock   (cargo install, 3-6 min)
#   trunk 0.21.14                                                  (cargo install, ~9 min)
#   wasm-opt           npm binaryen, pinned in www/package.json    (Debian's is too old)
#   esbuild            npm, pinned in www/package.json             (minifies the built site)
#   --test: Chromium and ChromeDriver from Debian; playwright-core, pinned in tests/package.json
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14

say() { printf '[toolchain] %s\n' "$*"; }

rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || {
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$root/Cargo.lock")
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (a few minutes)"
  # Not --locked: its lock file names a crate version the registry may lack.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 9 minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION" --force
fi

npm_install() {  # npm ci in $1 unless its node_modules already matches its lock file
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     ! cmp -s <(sed -n '/"packages"/,$p' "$dir/package-lock.json") \
               <(sed -n '/"packages"/,$p' "$dir/node_modules/.package-lock.json"); then
    say "npm ci in ${dir#"$root"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install "$root/www"

if [ "${1:-}" = "--test" ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Chromium and ChromeDriver from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  npm_install "$root/tests"
fi
say "ready: $(wasm-bindgen --version), $(trunk --version), wasm-opt $("$root/www/node_modules/.bin/wasm-opt" --version | awk '{print $3}')"
