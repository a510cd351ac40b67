"""GitHub's heading anchors (mmlint.sources.markdown) as rule/runbook-url matches them."""

from __future__ import annotations

from pathlib import Path

import pytest

from mmlint.sources.markdown import anchors, slug


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        pytest.param("MMNetPnLNegative", "mmnetpnlnegative", id="lowercase"),
        pytest.param("Roll back to shadow", "roll-back-to-shadow", id="spaces"),
        pytest.param("P0.10 — Observability: alerts", "p010--observability-alerts", id="dash"),
        pytest.param("`mm_fills_total` rate", "mm_fills_total-rate", id="code-and-underscore"),
        pytest.param("What's new?", "whats-new", id="apostrophe"),
        pytest.param("[Link](https://example.com) text", "link-text", id="link-text"),
        pytest.param("Café déjà vu", "café-déjà-vu", id="accents-kept"),
        pytest.param("C++ & Go", "c--go", id="symbols"),
    ],
)
def test_slug(heading: str, expected: str) -> None:
    assert slug(heading) == expected


def test_anchors_number_repeats_and_skip_code() -> None:
    markdown = "# Alerts\n\n## Alerts\n\nSetext\n===\n\n```\n# not a heading\n```\n\n### Alerts ###\n"
    markdown += "<a id='x'>"
    assert anchors(markdown) == {"alerts", "alerts-1", "alerts-2", "setext", "x"}


def test_repository_runbooks_have_every_alert_anchor() -> None:
    # The anchors obs/prometheus/alerts_mm_bot.yml links to (the real runbooks, not fixtures).
    root = Path(__file__).resolve().parents[2]
    shadow = anchors((root / "RUNBOOK_SHADOW.md").read_text(encoding="utf-8"))
    recon = anchors((root / "RECON_OPERATIONS.md").read_text(encoding="utf-8"))
    assert {"mmnetpnlnegative", "mmlivemodebotdown", "mmsymbolfilterscachehitratelow"} <= shadow
    assert "mmrecondivergence" in recon
