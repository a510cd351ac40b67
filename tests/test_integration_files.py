"""The pre-commit hook definition and the example GitHub workflow point at commands that exist."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from mmlint.cli import build_parser

REPO = Path(__file__).resolve().parents[1]


def test_pre_commit_hook_runs_mmlint_check() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "mmlint" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    # The entry is the console script this package installs, with a command the CLI accepts.
    scripts = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    program, *arguments = shlex.split(hook["entry"])
    assert f'{program} = "mmlint.cli:main"' in scripts
    build_parser().parse_args([*arguments, "obs/"])


def test_hook_entry_passes_on_this_repository() -> None:
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    _, *arguments = shlex.split(hook["entry"])
    done = subprocess.run(
        [sys.executable, "-m", "mmlint", *arguments, "obs/"], cwd=REPO, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (0, "")


def test_workflow_uploads_the_sarif_it_writes() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/mmlint.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["mmlint"]["steps"]
    runs = [step.get("run", "") for step in steps]
    sarif_runs = [run for run in runs if "--format sarif" in run]
    assert sarif_runs and any("--format github" in run for run in runs)
    written = sarif_runs[0].split(">")[1].split()[0]
    upload = next(
        step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload")
    )
    assert upload["with"]["sarif_file"] == written
    for run in runs:
        if run.startswith("mmlint "):
            build_parser().parse_args(shlex.split(run.split(">")[0])[1:])
