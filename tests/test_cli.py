from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from mmlint import __version__
from mmlint.cli import main


def test_version_flag_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"mmlint {__version__}"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert capsys.readouterr().err.startswith("usage: mmlint")


def test_module_entry_point_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mmlint", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and __version__ in result.stdout


class ClosedPipe(io.StringIO):
    """A stdout whose reader has gone away, as `mmlint explain ID | head` leaves it."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self.fd = fd

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self.fd


def test_a_closed_pipe_ends_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with (tmp_path / "out").open("w") as sink:
        monkeypatch.setattr(sys, "stdout", ClosedPipe(sink.fileno()))
        assert main(["explain", "metric/unknown"]) == 1
    assert capsys.readouterr().err == ""


def test_readme_lists_every_check(capsys: pytest.CaptureFixture[str]) -> None:
    """The README shows `mmlint checks` verbatim; refresh it by pasting the command's output."""
    assert main(["checks"]) == 0
    listing = capsys.readouterr().out
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"```text\n{listing}```" in readme
