"""Alert templates as Prometheus expands them: the public API of mmlint's Go text/template.

Prometheus (rules/alerting.go, v2.42) puts `{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}
{{$externalURL := .ExternalURL}}{{$value := .Value}}` in front of every label and annotation value, names
the template `__alert_<alertname>`, and parses and runs it with text/template, `missingkey=zero` and its
template functions (template/template.go). An error makes the value `<error expanding template: ERR>`,
where ERR is TemplateError's message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from mmlint.promql.values import Vector
from mmlint.ruletest.template_exec import ExecError, execute
from mmlint.ruletest.template_funcs import FUNCTION_NAMES, functions
from mmlint.ruletest.template_lint import call_errors
from mmlint.ruletest.template_parse import ParseError, Tree, parse
from mmlint.ruletest.template_values import AlertData, string_map

__all__ = [
    "PREFIX",
    "TemplateData",
    "TemplateError",
    "check_syntax",
    "expand",
    "expand_value",
    "static_errors",
]

PREFIX = (
    "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}"
    "{{$value := .Value}}"
)


@dataclass(frozen=True)
class TemplateData:
    """What a template sees: the alert's labels and value, and the rule group's external labels and URL."""

    labels: Mapping[str, str]
    value: float
    external_labels: Mapping[str, str] = field(default_factory=dict)
    external_url: str = ""


class TemplateError(Exception):
    """A template that fails to parse or run. `message` is worded as Prometheus reports it ("error parsing
    template __alert_X: template: __alert_X:1: function \"foo\" not defined"); `offset` is the character of
    the template text (without Prometheus's prefix) where the culprit is, when known; `function` the
    template function whose call fails, for errors static_errors finds in calls."""

    def __init__(self, message: str, offset: int | None = None, *, function: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.function = function


def expand(
    text: str,
    data: TemplateData,
    *,
    name: str = "__alert",
    query: Callable[[str], Vector] | None = None,
) -> str:
    """`text` expanded as Prometheus expands a label or annotation value of the alert whose template name is
    `name` ("__alert_" + alertname). `query` runs PromQL at the alert's evaluation time for the `query`
    template function; nothing else in a template depends on the time. Raises TemplateError."""
    tree = _parse(text, name)
    if isinstance(tree, ParseError):
        raise TemplateError(f"error parsing template {name}: {tree.message}", _offset(tree.offset))
    dot = AlertData(string_map(data.labels), string_map(data.external_labels), data.external_url, data.value)
    try:
        return execute(tree, dot, functions(query))
    except ExecError as error:
        raise TemplateError(f"error executing template {name}: {error}") from None
    except RecursionError:
        # Go's stack grows where Python's does not: deep {{template}} recursion over nested actions.
        message = f"error executing template {name}: templates nested too deeply for mmlint to run"
        raise TemplateError(message) from None


def expand_value(
    text: str,
    data: TemplateData,
    *,
    name: str = "__alert",
    query: Callable[[str], Vector] | None = None,
) -> str:
    """expand(), with an error written into the value as Prometheus writes it (rules/alerting.go)."""
    try:
        return expand(text, data, name=name, query=query)
    except TemplateError as error:
        return f"<error expanding template: {error.message}>"


def check_syntax(text: str, *, name: str = "__alert") -> TemplateError | None:
    """The error Prometheus reports when it loads a rule with this label or annotation value (rulefmt's
    template parse test), or None. The error's offset is where in `text` the culprit is."""
    tree = _parse(text, name)
    return TemplateError(tree.message, _offset(tree.offset)) if isinstance(tree, ParseError) else None


def static_errors(text: str, *, name: str = "__alert") -> list[TemplateError]:
    """Errors `text` has whatever the alert: the parse error Prometheus reports when loading the rule, or
    else every call of a known function with a number of arguments it cannot take or a constant argument
    of the wrong type (Go reports those only when the call runs: "wrong number of args for humanize: want 1
    got 2", "expected string; found 1"). Offsets are into `text`."""
    tree = _parse(text, name)
    if isinstance(tree, ParseError):
        return [TemplateError(tree.message, _offset(tree.offset))]
    return [
        TemplateError(error.message, _offset(error.offset), function=error.function)
        for error in call_errors(tree, own_from=len(PREFIX))
    ]


@functools.lru_cache(maxsize=1024)
def _parse(text: str, name: str) -> Tree | ParseError:
    """The parsed template, with Prometheus's prefix: a unit test expands the same values at every step."""
    try:
        return parse(PREFIX + text, name=name, funcs=FUNCTION_NAMES)
    except ParseError as error:
        return error


def _offset(offset: int) -> int:
    return max(0, offset - len(PREFIX))
