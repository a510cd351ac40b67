"""A Grafana dashboard into the model: its panels, and every Prometheus target and query variable as a
Query with Grafana's variables substituted once, here, mapped back to the raw JSON string's positions."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping as AbcMapping

from mmlint.problem import Finding, Location
from mmlint.project import Dashboard, Origin, Panel, PanelOrigin, Query, VariableIssue, VariableOrigin
from mmlint.promql.parsed import parse
from mmlint.sources.grafana import iter_panels, iter_targets, iter_variable_queries
from mmlint.sources.grafana_formats import DEFAULT_SCRAPE_INTERVAL_S
from mmlint.sources.grafana_variables import Issue, Variable, read_variables, substitute
from mmlint.sources.positions import Mapping, Node, Scalar, Sequence, node_at, repeated_keys, to_python


def dashboard_root(node: Node) -> Mapping | None:
    """The dashboard object of a file: the top level, or `dashboard` in an API export/provisioning wrapper."""
    if not isinstance(node, Mapping):
        return None
    inner = node.get("dashboard")
    if isinstance(inner, Mapping) and (inner.get("panels") is not None or inner.get("rows") is not None):
        return inner
    if node.get("panels") is not None or node.get("rows") is not None:
        return node
    return None


def panel_nodes(root: Mapping) -> Iterator[Mapping]:
    """Every panel object of a dashboard, rows and the panels inside them (collapsed rows, legacy `rows`)
    included, in document order."""
    tops: list[Node] = []
    panels = root.get("panels")
    tops.extend(panels.items if isinstance(panels, Sequence) else ())
    rows = root.get("rows")
    for row in rows.items if isinstance(rows, Sequence) else ():
        nested = row.get("panels") if isinstance(row, Mapping) else None
        tops.extend(nested.items if isinstance(nested, Sequence) else ())
    stack = list(reversed(tops))
    while stack:
        node = stack.pop()
        if not isinstance(node, Mapping):
            continue
        yield node
        nested = node.get("panels")
        stack.extend(reversed(nested.items) if isinstance(nested, Sequence) else ())


def make_query(
    raw: Scalar,
    offset: int,
    text_value: str,
    variables: AbcMapping[str, Variable],
    origin: Origin,
    scrape_interval_s: float = DEFAULT_SCRAPE_INTERVAL_S,
) -> Query:
    substituted, issues = substitute(text_value, variables, scrape_interval_s=scrape_interval_s)
    offsets = tuple(map(offset.__add__, substituted.source_offsets))
    try:
        expr, error = parse(substituted.text), None
    except ValueError as exc:
        expr, error = None, str(exc)
    found = tuple(
        VariableIssue(raw.source.location(offset + (issue.offset or 0)), issue.kind, issue.message)
        for issue in issues
    )
    return Query(substituted.text, raw.source, origin, offsets, expr, error, found)


def read_dashboard(
    path: str, root: Mapping, *, scrape_interval_s: float = DEFAULT_SCRAPE_INTERVAL_S
) -> Dashboard:
    """The dashboard at `root`; `scrape_interval_s` is its data source's, for `$__rate_interval`."""
    data = to_python(root)
    assert isinstance(data, dict)
    variables, _ = read_variables(data)
    title = str(data.get("title") or path)
    panels: list[Panel] = []
    targets_by_panel: dict[tuple[str | int, ...], list[Query]] = {}
    for target in iter_targets(data):
        node = node_at(root, (*target.path, target.expr_key))
        if not isinstance(node, Scalar) or not isinstance(node.value, str) or not node.value.strip():
            continue
        origin = PanelOrigin(title, target.panel.title, target.panel.id, target.ref_id)
        targets_by_panel.setdefault(target.panel.path, []).append(
            make_query(node, 0, node.value, variables, origin, scrape_interval_s)
        )
    for ref in iter_panels(data):
        node = node_at(root, ref.path)
        if not isinstance(node, Mapping):
            continue
        panels.append(
            Panel(
                ref.title,
                ref.id,
                str(ref.panel.get("type", "")),
                node,
                ref.panel,
                tuple(targets_by_panel.get(ref.path, ())),
            )
        )
    variable_queries = []
    for found in iter_variable_queries(data):
        node = node_at(root, (*found.path, found.key))
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            continue
        variable_queries.append(
            make_query(
                node,
                found.start,
                found.expr,
                variables,
                VariableOrigin(title, found.name),
                scrape_interval_s,
            )
        )
    uid = data.get("uid")
    dashboard = Dashboard(
        path, title, uid if isinstance(uid, str) else None, root, data, tuple(panels), tuple(variable_queries)
    )
    return dashboard


def structure_findings(path: str, root: Mapping, *, data: object = None) -> list[Finding]:
    """What a dashboard's panels, targets and variables have where Grafana expects something else (`panels`
    not a list, a target that is not an object, a variable without a name), at the culprit's position.
    `data` is `to_python(root)` when the caller has it already (`Dashboard.data`)."""
    data = to_python(root) if data is None else data
    assert isinstance(data, dict)
    issues: list[Issue] = []
    for _ in iter_targets(data, issues=issues):
        pass
    issues.extend(read_variables(data)[1])
    found = [Finding(issue_location(path, root, issue), issue.message) for issue in issues]
    return found + list(repeated_key_findings(root))


def repeated_key_findings(root: Mapping) -> Iterator[Finding]:
    """A key written twice in one object: JSON.parse keeps the last value, so the first is silently lost."""
    for key, first in repeated_keys(root):
        yield Finding(
            key.location,
            f"key `{key.value}` is written twice in one object (first at line {first.location.line}): "
            "Grafana keeps only this one",
        )


def issue_location(path: str, root: Mapping, issue: Issue) -> Location:
    """The culprit's position: the node at the issue's JSON path (or its nearest existing ancestor), and
    within a string the character at the issue's offset."""
    for length in range(len(issue.path), -1, -1):
        node = node_at(root, issue.path[:length])
        if node is None:
            continue
        if issue.offset is not None and length == len(issue.path) and isinstance(node, Scalar):
            return node.text.location(issue.offset)
        return node.location
    return Location(path, 1, 1)
