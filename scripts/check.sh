#!/usr/bin/env bash
# Sets up, then checks an observability tree (default obs/): `mmlint check DIR` reads its rule files,
# dashboards and unit tests, cross-checks them against the registry, and runs the unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-obs}
dir=${dir%/}
bash scripts/setup.sh >&2
.venv/bin/mmlint check "$dir"/
