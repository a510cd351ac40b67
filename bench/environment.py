"""The environment both benchmarks run mmlint in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def mmlint_env(cache: Path) -> dict[str, str]:
    """This checkout first on the path, its bytecode compiled once into `cache` as an installed package has
    it: with PYTHONDONTWRITEBYTECODE set, every process would otherwise compile every module again."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "mmlint")], env=env, check=True)
    return env
