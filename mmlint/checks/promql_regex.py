"""A regex label matcher that is redundant or does not do what it seems to.

For each `=~` and `!~` matcher written in a query (not one a Grafana variable wrote: `$symbol` at All is
`.*` on purpose):

- a regex with no special characters matches one value: `=` or `!=` says so, and costs less
  (for `__name__`, write the metric name);
- `.*` matches every series, with or without the label: `=~".*"` does nothing and `!~".*"` selects
  nothing at all;
- `^` and `$` are redundant: Prometheus anchors every regex at both ends already;
- an alternative repeated in `a|b|a` is dead weight, and often a typo for another value.

A regex that is not valid RE2 is left to `syntax/promql` and `label-value/unknown`.

Why: `{reason=~"risk_limit"}` reads as a pattern but is an equality; `{job!~".*"}` never returns a
series, so an alert on it can never fire.

Bad:

    expr: increase(mm_orders_blocked_total{reason=~"^risk_limit$"}[5m]) > 0

Good:

    expr: increase(mm_orders_blocked_total{reason="risk_limit"}[5m]) > 0
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.promql.nodes import MatcherValue, matcher_values
from mmlint.promql.regex import RegexError, compile_matcher
from mmlint.promql.selectors import NAME_LABEL

ID = "promql/regex"
SEVERITY = Severity.WARNING
SPECIAL = set(".+*?()|[]{}^$\\")
EVERYTHING = frozenset({".*", "(.*)", ".*?", "(?s).*", "(?s:.*)"})
# An escaped character that stands for itself: `\.` is a dot (`\d`, `\w`, ... are classes).
_LITERAL_ESCAPE = re.compile(r"\\([^0-9A-Za-z])")


def check(project: Project) -> Iterator[Finding]:
    for query in project.queries():
        for matcher in matcher_values(query):
            if matcher.op not in ("=~", "!~") or not matcher.written:
                continue
            try:
                compile_matcher(matcher.value)
            except RegexError:
                continue
            found = problem(matcher)
            if found is not None:
                yield Finding(query.location(matcher.start), *found)


def problem(matcher: MatcherValue) -> tuple[str, str | None] | None:
    """The message and hint for a matcher, None when its regex is fine."""
    name, op, value = matcher.name, matcher.op, matcher.value
    written = f"`{name}{op}{_quote(value)}`"
    inner = value.removeprefix("^")
    if inner.endswith("$") and not inner.endswith("\\$"):
        inner = inner[:-1]
    if inner in EVERYTHING:
        if op == "=~":
            return f"{written} matches every series, with or without `{name}`", "remove the matcher"
        return f"{written} matches no series at all: the selector never returns anything", None
    literal = _literal(inner)
    if literal is not None:
        equal = "=" if op == "=~" else "!="
        if name == NAME_LABEL and op == "=~":
            return f"{written} matches one metric name", f"write the name: `{literal}{{...}}`"
        return f"{written} matches one value", f"use `{name}{equal}{_quote(literal)}`"
    if inner != value:
        return (
            f"anchors in {written} are redundant: Prometheus anchors every regex at both ends",
            f"use `{name}{op}{_quote(inner)}`",
        )
    alternatives = _top_level_alternatives(value)
    repeated = sorted({a for a in alternatives if alternatives.count(a) > 1})
    if repeated:
        return f"{written} lists the alternative `{repeated[0]}` more than once", None
    return None


def _literal(regex: str) -> str | None:
    """The one string `regex` matches when it has no special characters (escaped punctuation is fine)."""
    plain = _LITERAL_ESCAPE.sub("_", regex)
    if any(c in SPECIAL for c in plain):
        return None
    return _LITERAL_ESCAPE.sub(r"\1", regex)


def _top_level_alternatives(regex: str) -> list[str]:
    """`a|b|c` split at the `|` outside groups and classes; [regex] when there is none."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(regex):
        c = regex[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1 if regex[i + 1 : i + 2] != "]" else 2  # `[]a]`: a leading `]` is a member
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(regex[start:i])
            start = i + 1
        i += 1
    return [*parts, regex[start:]]


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
