#!/usr/bin/env bash
# The test command: sets everything up, then lints, type-checks, validates obs/ with promtool and runs pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy";   mypy
echo "== promtool"
if command -v promtool >/dev/null 2>&1; then
  promtool check rules obs/prometheus/*.yml
  promtool test rules obs/prometheus/tests/*.yml
elif [ -n "${CI:-}" ]; then
  echo "promtool is missing in CI: failing" >&2; exit 1
else
  echo "!!! promtool is missing: obs/ was NOT validated by promtool !!!" >&2
fi
echo "== mmlint check obs/"; mmlint check obs/
echo "== mmlint test"; mmlint test obs/prometheus/tests/*.yml
echo "== pytest"; python -m pytest "$@"
