"""Which label values reach each metric of a registry module: a metric's label values come from the
`.labels(...)` calls on the names it is assigned to, resolved by `registry_values`; a metric used any other
way (passed to a function, stored in a container, aliased) may get values elsewhere, so all its labels are
free.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field

from mmlint.sources.registry_values import Module, Unresolved, dotted_name, source_text


def label_values(
    module: Module, labels: tuple[str, ...], calls: Sequence[ast.Call]
) -> dict[str, frozenset[str]]:
    """Label -> every value the `.labels(...)` calls pass it.  A label some call passes a value the reader
    cannot resolve is left out: it is free.  A call prometheus_client would refuse (wrong label names or
    count) creates no series and is skipped."""
    observed: dict[str, set[str] | None] = {label: set() for label in labels}
    for call in calls:
        if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            return {}
        keywords = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg is not None}
        if call.args and len(call.args) == len(labels) and not keywords:
            pairs = list(zip(labels, call.args, strict=True))
        elif not call.args and sorted(keywords) == sorted(labels):
            pairs = [(label, keywords[label]) for label in labels]
        else:
            continue
        for label, node in pairs:
            try:
                found = {label_value(value, node) for value in module.alternatives(node)}
            except Unresolved:
                observed[label] = None
                continue
            seen = observed[label]
            if seen is not None:
                seen |= found
    return {label: frozenset(values) for label, values in observed.items() if values}


def info_labels(module: Module, node: ast.expr) -> dict[str, frozenset[str]]:
    """Label -> the values `Info.info(node)` can set; raises Unresolved unless every key resolves."""
    found: dict[str, frozenset[str]] = {}
    for mapping in module.alternatives(node):
        if not isinstance(mapping, dict) or not all(isinstance(key, str) for key in mapping):
            raise Unresolved(node, "is not a dict of label names")
        for key, value in mapping.items():
            found[str(key)] = found.get(str(key), frozenset()) | {label_value(value, node)}
    return found


def label_value(value: object, node: ast.AST) -> str:
    """A label value as prometheus_client stores it: `str(value)`."""
    if isinstance(value, str | int | float) or value is None:
        return str(value)
    raise Unresolved(node, "is not a label value")


# Methods that record a value on one series. On a metric with labels prometheus_client raises ValueError
# ("metric is missing label values") until `.labels(...)` has picked the child series.
VALUE_METHODS = frozenset(
    {"inc", "dec", "set", "observe", "info", "state", "set_to_current_time", "set_function", "time"}
    | {"track_inprogress", "count_exceptions"}
)


@dataclass
class Uses:
    """The calls that give one metric its label values."""

    labels: list[ast.Call] = field(default_factory=list)
    info: list[ast.Call] = field(default_factory=list)
    # Value methods called on the metric itself, not on a `.labels(...)` child.
    direct: list[ast.Call] = field(default_factory=list)
    # Used as a value (passed on, stored, aliased): label values may come from code the reader cannot see.
    escaped: bool = False


def find_uses(module: Module, constructors: Sequence[ast.Call]) -> list[Uses]:
    """The `.labels(...)` and `.info(...)` calls on each metric: on the constructor call itself, or on a
    name or attribute (`self.requests`) it is assigned to."""
    uses = [Uses() for _ in constructors]
    by_target: dict[str, list[Uses]] = {}
    for constructor, use in zip(constructors, uses, strict=True):
        holder = module.parent(constructor)
        if isinstance(holder, ast.Assign | ast.AnnAssign | ast.NamedExpr):
            targets = [
                dotted_name(t)
                for t in (holder.targets if isinstance(holder, ast.Assign) else [holder.target])
            ]
            use.escaped = None in targets
            for target in filter(None, targets):
                by_target.setdefault(target, []).append(use)
        elif not isinstance(holder, ast.Expr):
            _record(module, constructor, [use])
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Load):
            held = dotted_name(node)
            if held is not None and held in by_target:
                _record(module, node, by_target[held])
    return uses


def _record(module: Module, node: ast.AST, uses: list[Uses]) -> None:
    """Record `node.labels(...)` and `node.info(...)`.  A use of the metric other than calling one of its
    methods may pass label values elsewhere: it frees every label."""
    labels, info = module.method_call(node, "labels"), module.method_call(node, "info")
    method = module.parent(node)
    if labels is None and isinstance(method, ast.Attribute) and method.attr in VALUE_METHODS:
        direct = module.method_call(node, method.attr)
        for use in uses:
            use.direct += [direct] if direct is not None else []
    if labels is not None:
        info = module.method_call(labels, "info")
    elif info is None:
        method = module.parent(node)
        if not isinstance(method, ast.Attribute) or method.attr == "labels":
            for use in uses:
                use.escaped = True
        return
    for use in uses:
        use.labels += [labels] if labels is not None else []
        use.info += [info] if info is not None else []


def call_problems(name: str, labels: tuple[str, ...], uses: Uses) -> list[tuple[ast.AST, str]]:
    """The `.labels(...)` calls and direct value calls on one metric that prometheus_client refuses at run
    time (MetricWrapperBase.labels, _raise_if_not_observable), each with the node to report it at."""
    problems: list[tuple[ast.AST, str]] = []
    declared = ", ".join(f"`{label}`" for label in labels)
    for call in uses.labels:
        keywords = {k.arg: k for k in call.keywords}
        if any(isinstance(arg, ast.Starred) for arg in call.args) or None in keywords:
            continue
        subject = f"`{source_text(call)}`"
        if not labels:
            problems.append((call, f"{subject}: `{name}` has no labels, so `.labels()` raises ValueError"))
        elif call.args and keywords:
            problems.append((call, f"{subject} passes label values both by position and by name"))
        elif call.args and len(call.args) != len(labels):
            count = f"{len(call.args)} value{'s' * (len(call.args) != 1)}"
            problems.append(
                (call, f"{subject} passes {count} for the {len(labels)} labels of `{name}` ({declared})")
            )
        elif not call.args:
            for label, keyword in keywords.items():
                if label not in labels:
                    problems.append(
                        (
                            keyword,
                            f"label `{label}` passed by {subject} is not a label of `{name}` ({declared})",
                        )
                    )
            missing = [label for label in labels if label not in keywords]
            if missing and all(label in labels for label in keywords):
                problems.append((call, f"{subject} leaves out label `{missing[0]}` of `{name}` ({declared})"))
    for call in uses.direct:
        if labels:
            problems.append(
                (
                    call,
                    f"`{source_text(call.func)}()` on `{name}`, which has labels ({declared}): it raises "
                    "ValueError until `.labels(...)` picks a series",
                )
            )
    return problems
