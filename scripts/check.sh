#!/usr/bin/env bash
# Sets up, then validates an observability tree (default obs/) with promtool: every rule file under
# DIR/prometheus/ with `promtool check rules`, every unit-test file under DIR/prometheus/tests/ with
# `promtool test rules`. This is the main job until `mmlint check` lands.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-obs}
dir=${dir%/}
bash scripts/setup.sh >&2
promtool check rules "$dir"/prometheus/*.yml
promtool test rules "$dir"/prometheus/tests/*.yml
