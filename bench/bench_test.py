"""Benchmark `mmlint test` against `promtool test rules` on every promtool unit-test file of the corpus,
in the same run, file by file.

    .venv/bin/python bench/bench_test.py [--compat 2] [--slowest 10] [--only SUBSTRING]

Each file runs in its own process from its own folder (rule_files are relative to it), first through
promtool, then through mmlint, so start-up costs count on both sides. mmlint is this checkout's (its
folder goes first on PYTHONPATH), with its bytecode compiled once into a cache folder beforehand, as an
installed package has it: an environment with PYTHONDONTWRITEBYTECODE would otherwise compile every
module again in every process, which is not what a user runs. CPU time (user + system) is printed next to
wall time: on a loaded machine it is the steadier figure. Prints the slowest files, each
tool's total wall time and the ratio mmlint / promtool (target <= 0.5), whether the two agree on the
verdict (exit status) file by file, and the peak resident memory of any one mmlint process.
Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from environment import mmlint_env

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Run:
    seconds: float
    status: int
    peak_kib: int
    cpu_seconds: float


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Wall time, exit status, peak resident memory and CPU time of one process (os.wait4 gives its own
    rusage)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, process.returncode, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


def test_files(only: str | None) -> list[Path]:
    manifest = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
    files = [CORPUS / line.split("\t")[0] for line in manifest if line.strip()]
    return [path for path in files if only is None or only in str(path)]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--compat", choices=["2", "3"], default="2")
    parser.add_argument("--slowest", type=int, default=10, help="how many of the slowest files to list")
    parser.add_argument("--only", help="only files whose path contains this")
    args = parser.parse_args()
    promtool = shutil.which("promtool")
    if promtool is None or not CORPUS.is_dir():
        print("promtool or the corpus is missing: nothing to compare")
        return 0
    env_python = [sys.executable, "-m", "mmlint", "test", f"--compat={args.compat}"]
    rows: list[tuple[str, Run, Run]] = []
    with tempfile.TemporaryDirectory(prefix="mmlint-bench-pycache-") as cache:
        env = mmlint_env(Path(cache))
        for path in test_files(args.only):
            theirs = run([promtool, "test", "rules", path.name], path.parent)
            ours = run([*env_python, path.name], path.parent, env)
            rows.append((str(path.relative_to(CORPUS)), theirs, ours))
            shown = path.relative_to(CORPUS)
            print(f"  {theirs.seconds:7.2f} s {ours.seconds:7.2f} s  {shown}", file=sys.stderr)

    header = f"{'promtool':>9} {'mmlint':>9}  {'ratio':>6}  verdicts  file"
    print(f"{header} (the {args.slowest} slowest for promtool)")
    for name, theirs, ours in sorted(rows, key=lambda r: -r[1].seconds)[: args.slowest]:
        same = "same" if (theirs.status == 0) == (ours.status == 0) else "DIFFER"
        ratio = ours.seconds / theirs.seconds if theirs.seconds else float("nan")
        print(f"{theirs.seconds:8.2f}s {ours.seconds:8.2f}s  {ratio:6.2f}  {same:8}  {name}")
    total_theirs = sum(r[1].seconds for r in rows)
    total_ours = sum(r[2].seconds for r in rows)
    agree = sum((r[1].status == 0) == (r[2].status == 0) for r in rows)
    print(f"files: {len(rows)}; same verdict as promtool: {agree}/{len(rows)}")
    for name, theirs, ours in rows:
        if (theirs.status == 0) != (ours.status == 0):
            print(f"  verdicts differ: {name} (promtool exit {theirs.status}, mmlint exit {ours.status})")
    ratio = total_ours / total_theirs
    print(f"total promtool {total_theirs:.1f} s, mmlint {total_ours:.1f} s, ratio {ratio:.2f} (target 0.5)")
    cpu_theirs = sum(r[1].cpu_seconds for r in rows)
    cpu_ours = sum(r[2].cpu_seconds for r in rows)
    print(f"CPU time promtool {cpu_theirs:.1f} s, mmlint {cpu_ours:.1f} s, ratio {cpu_ours / cpu_theirs:.2f}")
    print(f"peak memory of one mmlint process: {max(r[2].peak_kib for r in rows) / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
