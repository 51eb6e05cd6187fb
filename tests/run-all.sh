#!/usr/bin/env bash
# The project's test command: installs whatever is missing (www/toolchain.sh --test), then runs
# every check:
#   formatting, lints (host and wasm32), the host tests (unit tests, gradient checks, the JAX
#   reference comparison, golden values, the allocation budget, vae-train, doc examples), the
#   web module's tests in headless Chromium (wasm-bindgen-test), the site build, and the
#   browser tests of the built page (Playwright + Chromium; screenshots in tests/out/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
command -v cargo >/dev/null || { echo "cargo not found: install rustup from the Rust project first" >&2; exit 1; }
command -v node >/dev/null || { echo "node not found: install Node.js 20 or later first" >&2; exit 1; }
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component"
  fi
done
bash www/toolchain.sh --test
export PATH="$root/www/node_modules/.bin:$PATH"

step "format"
cargo fmt --all -- --check

step "lints"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings

step "host tests"
cargo test --workspace

step "web module tests (wasm-bindgen-test, headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test web --test simd

step "build: site, single file, package"
bash www/build.sh

step "browser tests (Playwright, headless Chromium)"
node --test tests/browser/
