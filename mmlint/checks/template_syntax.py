"""An alert label or annotation template that Prometheus rejects, or with a call that fails when it runs.

Prometheus expands every label and annotation value of an alerting rule as a Go text/template (with
`$labels`, `$value`, `$externalLabels` and `$externalURL` defined, and its template functions). A value
that does not parse (an unclosed `{{`, an unknown function, an undefined variable such as `$label`) makes
Prometheus and promtool reject the rule file; a call of a known function with the wrong number of
arguments, with a constant of the wrong type (`toUpper 1`), or comparing values of different types
(`gt $value 10`: a float64 and an int) parses but fails whenever it runs. The problem points at the
culprit inside the value.

Why: a rejected rule file stops every alert in it; a failing template sends
`<error expanding template: ...>` to the pager instead of the summary.

Bad:

    annotations:
      summary: "{{ $label.instance }} is down for {{ humanizeDuration }}"
      description: "{{ if gt $value 10 }}many{{ end }}"

Good:

    annotations:
      summary: "{{ $labels.instance }} is down for {{ humanizeDuration $value }}"
      description: "{{ if gt $value 10.0 }}many{{ end }}"
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.ruletest.template_funcs import FUNCTION_NAMES
from mmlint.ruletest.templates import TemplateError, static_errors

ID = "template/syntax"
SEVERITY = Severity.ERROR

VARIABLES = ("$labels", "$value", "$externalLabels", "$externalURL")
_GO_PREFIX = re.compile(r"^template: [^:]*:\d+: ")
_UNDEFINED = re.compile(r'^(function|undefined variable) "([^"]*)"(?: not defined)?$')
_ARITY = re.compile(r"^wrong number of args for \w+: want (.+) got (\d+)$")
_ARGUMENT = re.compile(
    r"^expected (\w+); found (.+)$|^cannot assign (nil) to (\S+)$|^can't handle (.+) for arg of type (.+)$"
)
_PIPED = re.compile(r"^wrong type for value; expected (\S+); got (\S+)$")
_COMPARISON = re.compile(r"^(?:incompatible|invalid) types? for comparison \((\S+)(?: and (\S+))?\)$")


def check(project: Project) -> Iterator[Finding]:
    # Rule files repeat templates (a PrometheusRule manifest and the rule file taken out of it): each
    # (text, alert) is judged once.
    judged: dict[tuple[str, str], list[TemplateError]] = {}
    for rule in project.rules():
        if rule.kind != "alert":
            continue  # Prometheus expands templates in alerting rules only
        for kind, values in (("label", rule.labels), ("annotation", rule.annotations)):
            for name, scalar in values.items():
                if not isinstance(scalar.value, str) or "{{" not in scalar.value:
                    continue
                key = (scalar.value, rule.name)
                if key not in judged:
                    judged[key] = static_errors(scalar.value, name=f"__alert_{rule.name}")
                for error in judged[key]:
                    message, hint = describe(error, f"{kind} `{name}`")
                    yield Finding(scalar.text.location(error.offset or 0), message, hint)


def describe(error: TemplateError, where: str) -> tuple[str, str | None]:
    """Our sentence and hint for the template error of `where` (a parse error, or a call that fails)."""
    detail = _GO_PREFIX.sub("", error.message)
    function = f"`{error.function}`"
    if match := _UNDEFINED.match(detail):
        what, culprit = match.groups()
        if what == "function":
            close = difflib.get_close_matches(culprit, sorted(FUNCTION_NAMES), n=1)
            return f"{where} calls the undefined template function `{culprit}`", _did_you_mean(close)
        close = difflib.get_close_matches(culprit, VARIABLES, n=1)
        return f"{where} uses the undefined template variable `{culprit}`", _did_you_mean(close)
    if match := _ARITY.match(detail):
        wanted, given = match.groups()
        return (
            f"{where} calls {function} with {given} argument{'' if given == '1' else 's'}",
            f"{function} takes {wanted} argument{'' if wanted.endswith(' 1') or wanted == '1' else 's'}",
        )
    if match := _ARGUMENT.match(detail):
        wanted = match.group(1) or match.group(4) or match.group(6)
        given = match.group(2) or match.group(3) or match.group(5)
        return f"{where} passes `{given}` to {function}, which wants {_a(wanted)} there", None
    if match := _PIPED.match(detail):
        wanted, given = match.groups()
        return f"{where} pipes {_a(given)} into {function}, which wants {_a(wanted)} there", None
    if match := _COMPARISON.match(detail):
        first, second = match.groups()
        if second is None:
            return f"{where} orders values of type {first} with {function}, which cannot", None
        hint = (
            "Go's comparisons do not convert numbers: write the constant as a float (`10.0`, not `10`)"
            if {first, second} == {"float64", "int"}
            else None
        )
        return f"{where} compares {_a(first)} with {_a(second)} in {function}, which fails when it runs", hint
    return f"{where} is not a valid Go template: {detail}", None


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


def _did_you_mean(close: list[str]) -> str | None:
    return f"did you mean `{close[0]}`?" if close else None
