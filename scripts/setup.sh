#!/usr/bin/env bash
# Create .venv (if missing) and install communique into it from this checkout.
#   bash scripts/setup.sh          # the program
#   bash scripts/setup.sh test     # plus the test tools and Debian's chromium
set -euo pipefail
cd "$(dirname "$0")/.."

# Python 3.12 is recommended: spaCy's wheels for Python 3.11 are built with
# Cython's profiling hooks (spaCy turns them off from 3.12 on), and parse about
# 1.5-2.7x slower on the same machine (docs/benchmarks.md). PYTHON chooses
# another; otherwise the first 3.12 found (on PATH, or pyenv's), else python3.
pick_python() {
  local candidate
  for candidate in python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo python3
}
PYTHON=${PYTHON:-$(pick_python)}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "communique needs Python 3.11 or newer (3.12 recommended); set PYTHON=/path/to/python3.12" >&2
  exit 2
fi
echo "setting up with $("$PYTHON" --version) ($PYTHON)"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip

if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
  if [ ! -x /usr/bin/chromium ]; then
    # Browser tests drive Debian's chromium through Playwright (no browser download).
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
else
  .venv/bin/python -m pip install --quiet -e .
fi
