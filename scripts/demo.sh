#!/usr/bin/env bash
# Set up, load the bundled example articles into an embedded store and serve
# them at http://127.0.0.1:8000 (Ctrl-C stops the server).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export COMMUNIQUE_STORE=${COMMUNIQUE_STORE:-$PWD/var/demo-store}
.venv/bin/communique load examples/articles
exec .venv/bin/communique serve --host 127.0.0.1 --port "${COMMUNIQUE_PORT:-8000}"
