"""Benchmark `mmlint check` against `promtool check rules`, in the same run, on the same rule files.

    .venv/bin/python bench/bench_check.py [--repeat N]

Prints wall times (best of N) and peak memory of:
- `mmlint check obs/` on this repository (target: <= 0.5 s);
- `mmlint check` on the whole corpus: its 50 dashboards and every rule file (target: <= 3 s);
- `promtool check rules` on the same rule files (plain rule files only: promtool does not read
  PrometheusRule manifests), and the ratio mmlint / promtool.
Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from environment import mmlint_env

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def rule_files() -> list[Path]:
    """Every rule file of the corpus: rules-lint-only, and the rule files the promtool tests load."""
    found = sorted((CORPUS / "rules-lint-only").rglob("*.y*ml"))
    for path in sorted((CORPUS / "promtool-tests").rglob("*.y*ml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "groups:" in text and "rule_files:" not in text:
            found.append(path)
    return found


def plain_rule_files(paths: list[Path]) -> list[Path]:
    return [p for p in paths if "kind: PrometheusRule" not in p.read_text(encoding="utf-8", errors="replace")]


def timed(
    command: list[str], repeat: int, cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, int, int]:
    """Best wall time in seconds, the exit status, and the peak resident memory (KiB) of the command."""
    best = float("inf")
    status = 0
    for _ in range(repeat):
        start = time.perf_counter()
        status = subprocess.run(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ).returncode
        best = min(best, time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return best, status, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mmlint-bench-pycache-") as cache:
        return measure(args.repeat, mmlint_env(Path(cache)))


def measure(repeat: int, env: dict[str, str]) -> int:
    mmlint = [sys.executable, "-m", "mmlint", "check"]
    promtool = shutil.which("promtool")

    seconds, status, peak = timed([*mmlint, "obs/"], repeat, REPO, env)
    print(f"mmlint check obs/                    {seconds:7.3f} s  exit {status}  (target <= 0.5 s)")

    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}: corpus figures skipped")
        return 0
    rules = rule_files()
    plain = plain_rule_files(rules)
    dashboards = sorted((CORPUS / "dashboards").rglob("*.json"))
    targets = [str(p) for p in (*dashboards, *rules)]
    seconds, status, peak = timed([*mmlint, *targets], repeat, REPO, env)
    print(
        f"mmlint check corpus                  {seconds:7.3f} s  exit {status}  peak {peak / 1024:.0f} MiB"
        f"  ({len(dashboards)} dashboards, {len(rules)} rule files; target <= 3 s)"
    )
    mm_rules, _, _ = timed([*mmlint, *map(str, plain)], repeat, REPO, env)
    print(f"mmlint check, plain rule files       {mm_rules:7.3f} s  ({len(plain)} files)")
    if promtool is None:
        print("promtool not found: no ratio")
        return 0
    pt_rules, status, _ = timed([promtool, "check", "rules", *map(str, plain)], repeat, REPO)
    print(f"promtool check rules, same files     {pt_rules:7.3f} s  exit {status}")
    print(f"ratio mmlint / promtool              {mm_rules / pt_rules:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
