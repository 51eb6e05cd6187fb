#!/usr/bin/env bash
# The project's test command: installs whatever is missing, then runs every check.
#   formatting (cargo fmt --check), lints (cargo clippy -D warnings), and all tests:
#   unit tests, gradient checks, the JAX reference comparison, golden values, the allocation
#   budget, the vae-train command, and the doc examples.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
command -v cargo >/dev/null || { echo "cargo not found: install rustup from the Rust project first" >&2; exit 1; }
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component"
  fi
done
cargo --version

step "format"
cargo fmt --all -- --check

step "lints"
cargo clippy --workspace --all-targets -- -D warnings

step "tests"
cargo test --workspace
