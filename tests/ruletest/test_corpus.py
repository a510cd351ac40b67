"""Every promtool unit-test file of ../shared/corpus/promtool-tests gets promtool 2.42's verdict (the exit
status in MANIFEST.tsv), run from its own folder as promtool was; the files meant to fail name the failing
alert or expression. Files written for Prometheus 3 pass under `--compat=3`.
All 183 files run every time (about a minute)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mmlint.ruletest.compare import AlertMismatch, ExprError, ExprMismatch, RuleFailure
from mmlint.ruletest.render import file_text
from mmlint.ruletest.runner import FileResult, RunOptions, run_file

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
MANIFEST = CORPUS / "MANIFEST.tsv"

# Where mmlint deliberately differs from promtool 2.42: a bug it does not copy.
DEVIATIONS = {
    "wikimedia-operations-alerts/team-search-platform/cirrus_streaming_updater_cloudelastic_test.yaml": (
        0,
        "promtool 2.42 keeps a label absent() should drop (corpus quirks/): mmlint computes absent() right",
    ),
}
# Noted as written for Prometheus 3 semantics: they fail under 2.42 and pass under --compat=3.
PROMETHEUS_3_NOTES = ("written for Prometheus 3", "test group without interval")


def rows() -> list[dict[str, str]]:
    if not MANIFEST.is_file():
        return []
    with MANIFEST.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def params(rows: list[dict[str, str]]) -> list[object]:
    return [pytest.param(row, id=row["file"].removeprefix("promtool-tests/")) for row in rows]


def run(row: dict[str, str], options: RunOptions, monkeypatch: pytest.MonkeyPatch) -> FileResult:
    path = CORPUS / row["file"]
    monkeypatch.chdir(path.parent)
    return run_file(Path(path.name), path.name, options)


@pytest.mark.skipif(not MANIFEST.is_file(), reason="the shared corpus is not beside this checkout")
@pytest.mark.parametrize("row", params(rows()))
def test_promtool_verdict(row: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(row, RunOptions(), monkeypatch)
    short = row["file"].removeprefix("promtool-tests/")
    expected = DEVIATIONS[short][0] if short in DEVIATIONS else int(row["promtool_2.42_exit"])
    got = 1 if result.failures else 0
    assert got == expected, file_text(result.shown, result.failures, result.warnings)
    if row["note"] == "meant to fail":
        named = [
            f
            for f in result.failures
            if isinstance(f, AlertMismatch | ExprMismatch | ExprError | RuleFailure)
        ]
        text = file_text(result.shown, result.failures)
        assert named or "input series" in text or "could not parse" in text or "unknown field" in text, text


@pytest.mark.skipif(not MANIFEST.is_file(), reason="the shared corpus is not beside this checkout")
@pytest.mark.parametrize(
    "row", params([r for r in rows() if any(note in r["note"] for note in PROMETHEUS_3_NOTES)])
)
def test_prometheus_3_files_pass_under_compat_3(row: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(row, RunOptions(compat=3), monkeypatch)
    assert not result.failures, file_text(result.shown, result.failures, result.warnings)


def test_manifest_covers_the_corpus() -> None:
    if not MANIFEST.is_file():
        pytest.skip("the shared corpus is not beside this checkout")
    assert len(rows()) == 183
