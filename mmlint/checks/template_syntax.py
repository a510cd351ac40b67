"""An alert label or annotation that is not a valid Go template.

Prometheus expands every label and annotation value of an alerting rule as a Go text/template (with
`$labels`, `$value`, `$externalLabels` and `$externalURL` defined, and its template functions). A value
that does not parse (an unclosed `{{`, an unknown function, an undefined variable such as `$label`) makes
Prometheus and promtool reject the rule file; a call of a known function with the wrong number of
arguments parses but fails on every expansion. The problem points at the culprit inside the value.

Why: a rejected rule file stops every alert in it; a failing template sends
`<error expanding template: ...>` to the pager instead of the summary.

Bad:

    annotations:
      summary: "{{ $label.instance }} is down for {{ humanizeDuration }}"

Good:

    annotations:
      summary: "{{ $labels.instance }} is down for {{ humanizeDuration $value }}"
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.ruletest.template_funcs import FUNCTION_NAMES
from mmlint.ruletest.templates import static_errors

ID = "template/syntax"
SEVERITY = Severity.ERROR

VARIABLES = ("$labels", "$value", "$externalLabels", "$externalURL")
_GO_PREFIX = re.compile(r"^template: [^:]*:\d+: ")
_UNDEFINED = re.compile(r'^(function|undefined variable) "([^"]*)"(?: not defined)?$')
_ARITY = re.compile(r"^wrong number of args for (\w+): want (.+) got (\d+)$")


def check(project: Project) -> Iterator[Finding]:
    for rule in project.rules():
        if rule.kind != "alert":
            continue  # Prometheus expands templates in alerting rules only
        for kind, values in (("label", rule.labels), ("annotation", rule.annotations)):
            for name, scalar in values.items():
                if not isinstance(scalar.value, str) or "{{" not in scalar.value:
                    continue
                for error in static_errors(scalar.value, name=f"__alert_{rule.name}"):
                    message, hint = describe(error.message, f"{kind} `{name}`")
                    yield Finding(scalar.text.location(error.offset or 0), message, hint)


def describe(go_message: str, where: str) -> tuple[str, str | None]:
    """Our sentence and hint for Go's error message about the template of `where`."""
    detail = _GO_PREFIX.sub("", go_message)
    if match := _UNDEFINED.match(detail):
        what, culprit = match.groups()
        if what == "function":
            close = difflib.get_close_matches(culprit, sorted(FUNCTION_NAMES), n=1)
            return f"{where} calls the undefined template function `{culprit}`", _did_you_mean(close)
        close = difflib.get_close_matches(culprit, VARIABLES, n=1)
        return f"{where} uses the undefined template variable `{culprit}`", _did_you_mean(close)
    if match := _ARITY.match(detail):
        function, wanted, given = match.groups()
        return (
            f"{where} calls `{function}` with {given} argument{'s' if given != '1' else ''}",
            f"`{function}` takes {wanted} argument{'' if wanted.endswith(' 1') or wanted == '1' else 's'}",
        )
    return f"{where} is not a valid Go template: {detail}", None


def _did_you_mean(close: list[str]) -> str | None:
    return f"did you mean `{close[0]}`?" if close else None
