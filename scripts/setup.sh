#!/usr/bin/env bash
# Installs what mmlint and its tests need, and is safe to run again: a virtualenv in .venv holding mmlint
# with its test extra, and promtool (Debian's `prometheus` package, 2.42 on bookworm) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Debian's python3 has no `venv` until python3-venv is installed; failing that, virtualenv from PyPI.
make_venv() {
  "$python" -m venv .venv >/dev/null 2>&1 && return 0
  rm -rf .venv
  version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  if apt_install "python$version-venv" 2>/dev/null && "$python" -m venv .venv; then
    return 0
  fi
  rm -rf .venv
  echo "setup: no working venv module; using virtualenv from PyPI" >&2
  PIP_BREAK_SYSTEM_PACKAGES=1 "$python" -m pip install --quiet --user virtualenv
  "$python" -m virtualenv --quiet .venv
}

[ -x .venv/bin/python ] || make_venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

if ! command -v promtool >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  echo "setup: promtool is missing; installing Debian's prometheus package" >&2
  apt_install prometheus
fi
if command -v promtool >/dev/null 2>&1; then
  echo "setup: $(promtool --version 2>&1 | head -n 1)"
else
  echo "setup: WARNING: promtool could not be installed; the promtool oracle tests will be skipped" >&2
fi
