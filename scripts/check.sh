#!/usr/bin/env bash
# Sets up, then checks an observability tree (default obs/): `mmlint check DIR`, then promtool on the
# same files (`promtool check rules` on DIR/prometheus/*.yml, `promtool test rules` on its tests/) until
# `mmlint test` runs the unit tests itself.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-obs}
dir=${dir%/}
bash scripts/setup.sh >&2
.venv/bin/mmlint check "$dir"/
promtool check rules "$dir"/prometheus/*.yml
promtool test rules "$dir"/prometheus/tests/*.yml
