#!/usr/bin/env bash
# The quick-start command: installs whatever is missing, builds the site, and serves it on
# 127.0.0.1 (port 8080, or $PORT). The address is printed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/www/build.sh"
exec node "$root/www/serve.mjs" "$root/dist" "${PORT:-8080}"
