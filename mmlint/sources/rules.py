"""Prometheus rule files into the model, validated as promtool 2.42 validates them (rulefmt): plain rule
files (`groups:`) and Kubernetes `PrometheusRule` manifests (`spec.groups`), one or many YAML documents.

Schema problems are `syntax/rule-file` findings; a rule whose `expr` does not parse still becomes a Rule,
its Query carrying the parser's error for `syntax/promql`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mmlint.duration import DurationError, parse_duration
from mmlint.problem import Finding
from mmlint.project import Query, Rule, RuleFile, RuleGroup, RuleOrigin
from mmlint.promql.parsed import parse
from mmlint.sources.positions import Mapping, Node, Scalar, Sequence, repeated_keys

METRIC_NAME_RE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
GROUP_KEYS = frozenset({"name", "interval", "limit", "rules"})
RULE_KEYS = frozenset({"record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"})

Findings = list[tuple[str, Finding]]
SYNTAX = "syntax/rule-file"


def is_rule_document(node: Node) -> bool:
    return groups_node(node) is not None


def groups_node(node: Node) -> Node | None:
    """The `groups` of a rule file, or the `spec.groups` of a PrometheusRule manifest."""
    if not isinstance(node, Mapping):
        return None
    kind = node.get("kind")
    if isinstance(kind, Scalar) and kind.value == "PrometheusRule":
        spec = node.get("spec")
        return spec.get("groups") if isinstance(spec, Mapping) else None
    if node.get("groups") is not None and node.get("tests") is None:
        return node.get("groups")
    return None


def read_rule_file(path: str, documents: list[Node]) -> tuple[RuleFile, Findings]:
    findings: Findings = []
    groups: list[RuleGroup] = []
    seen: dict[str, Mapping] = {}
    for document in documents:
        # Prometheus decodes rule files with yaml.v3, which refuses a key defined twice in one mapping.
        for key, first in sorted(repeated_keys(document), key=lambda pair: pair[0].location):
            findings.append(
                problem(
                    key,
                    f"key `{key.value}` is defined twice in one mapping (line {first.location.line} too)",
                )
            )
        if isinstance(document, Mapping) and groups_node(document) is document.get("groups"):
            for key, _ in document.items:
                if key.value != "groups":
                    findings.append(problem(key, f"unknown key `{key.value}` at the top of a rule file"))
        node = groups_node(document)
        if node is None:
            continue
        if not isinstance(node, Sequence):
            findings.append(problem(node, "`groups` must be a list of rule groups"))
            continue
        for group_node in node.items:
            group = read_group(group_node, findings)
            if group is None:
                continue
            if group.name in seen:
                findings.append(problem(group.node, f"group `{group.name}` is repeated in the same file"))
            seen[group.name] = group.node
            groups.append(group)
    return RuleFile(path, tuple(groups)), findings


def read_group(node: Node, findings: Findings) -> RuleGroup | None:
    if not isinstance(node, Mapping):
        findings.append(problem(node, "a rule group must be a mapping with `name` and `rules`"))
        return None
    unknown_keys(node, GROUP_KEYS, "rule group", findings)
    name = string_field(node, "name", findings)
    if not name:
        findings.append(problem(node, "a rule group needs a non-empty `name`"))
    interval = duration_field(node, "interval", findings)
    limit = node.get("limit")
    if limit is not None and not (isinstance(limit, Scalar) and isinstance(limit.value, int)):
        findings.append(problem(limit, "`limit` must be an integer"))
    rules: list[Rule] = []
    rules_node = node.get("rules")
    if rules_node is not None and not isinstance(rules_node, Sequence):
        findings.append(problem(rules_node, "`rules` must be a list"))
    elif isinstance(rules_node, Sequence):
        for rule_node in rules_node.items:
            rule = read_rule(rule_node, name or "", findings)
            if rule is not None:
                rules.append(rule)
    return RuleGroup(name or "", node, interval, tuple(rules))


def read_rule(node: Node, group: str, findings: Findings) -> Rule | None:
    if not isinstance(node, Mapping):
        findings.append(problem(node, "a rule must be a mapping with `alert` or `record`, and `expr`"))
        return None
    unknown_keys(node, RULE_KEYS, "rule", findings)
    record, alert = string_field(node, "record", findings), string_field(node, "alert", findings)
    if record is None and alert is None:
        findings.append(problem(node, "one of `record` or `alert` must be set"))
        return None
    if record is not None and alert is not None:
        findings.append(problem(node, "only one of `record` and `alert` may be set"))
    kind: str = "alert" if alert is not None else "record"
    name = alert if alert is not None else record or ""
    if kind == "record":
        if not METRIC_NAME_RE.match(name):
            findings.append(problem(node.get("record") or node, f"invalid recording rule name `{name}`"))
        for key in ("for", "keep_firing_for", "annotations"):
            if node.get(key) is not None:
                findings.append(
                    problem(key_of(node, key) or node, f"invalid field `{key}` in recording rule")
                )
    origin = RuleOrigin(group, name, "alert" if kind == "alert" else "record")
    expr = node.get("expr")
    query = None
    if expr is None:
        findings.append(problem(node, f"field `expr` must be set in {origin}"))
    elif not (isinstance(expr, Scalar) and isinstance(expr.value, str | int | float)) or isinstance(
        expr.value, bool
    ):
        findings.append(problem(expr, f"`expr` of {origin} must be a string"))
    else:
        query = parse_query(expr, origin)
    return Rule(
        kind="alert" if kind == "alert" else "record",
        name=name,
        group=group,
        node=node,
        query=query,
        for_s=duration_field(node, "for", findings),
        keep_firing_for_s=duration_field(node, "keep_firing_for", findings),
        labels=string_map(node, "labels", LABEL_NAME_RE, findings),
        annotations=string_map(node, "annotations", LABEL_NAME_RE, findings),
    )


def parse_query(scalar: Scalar, origin: RuleOrigin) -> Query:
    text = scalar.source  # placed character by character only if a check asks for a location
    try:
        return Query(text.value, text, origin, expr=parse(text.value))
    except ValueError as error:
        return Query(text.value, text, origin, error=str(error))


def unknown_keys(node: Mapping, known: frozenset[str], what: str, findings: Findings) -> None:
    for key, _ in node.items:
        if key.value not in known:
            findings.append(
                problem(key, f"unknown key `{key.value}` in {what} (known: {', '.join(sorted(known))})")
            )


def key_of(node: Mapping, name: str) -> Scalar | None:
    return next((key for key, _ in node.items if key.value == name), None)


def string_field(node: Mapping, key: str, findings: Findings) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, Scalar) or value.value is None or isinstance(value.value, bool):
        findings.append(problem(value, f"`{key}` must be a string"))
        return None
    return value.written


def duration_field(node: Mapping, key: str, findings: Findings) -> float | None:
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, Scalar):
        findings.append(problem(value, f"`{key}` must be a duration such as 5m"))
        return None
    try:
        return parse_duration(value.written)
    except DurationError as error:
        findings.append(problem(value, f"`{key}`: {error}"))
        return None


def string_map(node: Mapping, key: str, name_re: re.Pattern[str], findings: Findings) -> dict[str, Scalar]:
    value = node.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        findings.append(problem(value, f"`{key}` must be a mapping of names to strings"))
        return {}
    result: dict[str, Scalar] = {}
    for name, item in value.items:
        label = str(name.value)
        if not name_re.match(label) or (key == "labels" and label == "__name__"):
            findings.append(problem(name, f"invalid {key[:-1]} name `{label}`"))
        if not isinstance(item, Scalar) or item.value is None:
            findings.append(problem(item, f"{key[:-1]} `{label}` must be a string"))
            continue
        result[label] = item
    return result


def problem(node: Node, message: str) -> tuple[str, Finding]:
    return SYNTAX, Finding(node.location, message)


def iter_rule_scalars(rule: Rule) -> Iterator[tuple[str, str, Scalar]]:
    """(`labels` or `annotations`, name, value) of a rule, in file order."""
    for name, value in rule.labels.items():
        yield "labels", name, value
    for name, value in rule.annotations.items():
        yield "annotations", name, value
