"""A dashboard without a usable, unique `uid`, or with two panels sharing an `id`.

The uid is the dashboard's stable identity: URLs, links between dashboards, alert annotations and
provisioning all address it. Without one, Grafana makes up a random uid on every import, so every link
breaks. Grafana accepts at most 40 characters of letters, digits, `-` and `_` (its short-uid rules);
two dashboards provisioned with the same uid overwrite each other. Panel ids are the panel's identity
inside the dashboard (`viewPanel=` links, library and repeated panels, `-- Dashboard --` queries): two
panels with one id make those point at the wrong panel. Rows count, nested panels too.

Why: a dashboard link or provisioning collision that works until the second import.

Bad:

    {"title": "MM-Bot", "panels": [{"id": 1, ...}, {"id": 1, ...}]}

Good:

    {"title": "MM-Bot", "uid": "mm-bot-overview", "panels": [{"id": 1, ...}, {"id": 2, ...}]}
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mmlint.problem import Finding, Location, Severity
from mmlint.project import Dashboard, Project
from mmlint.sources.dashboard import panel_nodes
from mmlint.sources.positions import Scalar

ID = "dashboard/uid"
SEVERITY = Severity.WARNING

MAX_UID_LENGTH = 40
UID_RE = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)


def uid_problem(dashboard: Dashboard) -> tuple[Location, str] | None:
    node = dashboard.node.get("uid")
    if not isinstance(node, Scalar) or not isinstance(node.value, str) or not node.value.strip():
        return (node or dashboard.node).location, f"dashboard `{dashboard.title}` has no `uid`"
    uid = node.value
    if len(uid) > MAX_UID_LENGTH:
        return node.location, f"dashboard uid `{uid}` has {len(uid)} characters, over {MAX_UID_LENGTH}"
    if not UID_RE.fullmatch(uid):
        return node.location, f"dashboard uid `{uid}` has characters other than letters, digits, `-`, `_`"
    return None


def check(project: Project) -> Iterator[Finding]:
    first_by_uid: dict[str, Dashboard] = {}
    for dashboard in project.dashboards:
        problem = uid_problem(dashboard)
        if problem is not None:
            yield Finding(*problem, "give it a fixed uid so links and provisioning keep pointing at it")
        elif dashboard.uid in first_by_uid:
            other = first_by_uid[dashboard.uid]
            where = dashboard.node.get("uid") or dashboard.node
            yield Finding(where.location, f"dashboard uid `{dashboard.uid}` is also `{other.path}`'s uid")
        elif dashboard.uid is not None:
            first_by_uid[dashboard.uid] = dashboard
        seen: dict[object, Location] = {}
        for panel in panel_nodes(dashboard.node):
            id_node = panel.get("id")
            if not isinstance(id_node, Scalar) or id_node.value is None or isinstance(id_node.value, bool):
                continue
            if id_node.value in seen:
                first = seen[id_node.value]
                yield Finding(
                    id_node.location,
                    f"panel id `{id_node.value}` is also the id of the panel at line {first.line}",
                )
            else:
                seen[id_node.value] = id_node.location
