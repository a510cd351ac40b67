"""Build a one-dashboard Project from a dict, for the dashboard checks' edge-case tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mmlint.config import Config
from mmlint.project import Project
from mmlint.sources.dashboard import dashboard_root, read_dashboard
from mmlint.sources.positions import load_json


def project(data: dict[str, Any]) -> Project:
    node = load_json(json.dumps(data, indent=2).encode(), "d.json")
    root = dashboard_root(node)
    assert root is not None
    return Project(root=Path("."), config=Config(), dashboards=(read_dashboard("d.json", root),))


def with_expr(expr: str, **panel: Any) -> dict[str, Any]:
    """A dashboard with a `$datasource` variable and one timeseries panel querying `expr`: its first
    character is at line 20, column 20."""
    return {
        "templating": {"list": [{"name": "datasource", "type": "datasource", "query": "prometheus"}]},
        "panels": [
            {
                "id": 1,
                "type": "timeseries",
                "title": "P",
                "datasource": "$datasource",
                "targets": [{"refId": "A", "expr": expr}],
                **panel,
            }
        ],
    }
