#!/usr/bin/env bash
# Installs what mmlint and its tests need, and is safe to run again: a virtualenv in .venv holding mmlint
# with its test extra, and promtool (Debian's `prometheus` package, 2.42 on bookworm) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

if ! command -v promtool >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: promtool is missing; installing Debian's prometheus package" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
if command -v promtool >/dev/null 2>&1; then
  echo "setup: $(promtool --version 2>&1 | head -n 1)"
else
  echo "setup: WARNING: promtool could not be installed; the promtool oracle tests will be skipped" >&2
fi
