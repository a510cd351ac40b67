"""Alert templates as Prometheus expands them: the public API of mmlint's Go text/template.

Prometheus (rules/alerting.go, v2.42) puts `{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}
{{$externalURL := .ExternalURL}}{{$value := .Value}}` in front of every label and annotation value, names
the template `__alert_<alertname>`, and parses and runs it with text/template, `missingkey=zero` and its
template functions (template/template.go). An error makes the value `<error expanding template: ERR>`,
where ERR is TemplateError's message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from mmlint.promql.values import Vector
from mmlint.ruletest.template_exec import ExecError, execute
from mmlint.ruletest.template_funcs import FUNCTION_NAMES, functions
from mmlint.ruletest.template_parse import ParseError, parse
from mmlint.ruletest.template_values import AlertData, string_map

__all__ = ["PREFIX", "TemplateData", "TemplateError", "check_syntax", "expand", "expand_value"]

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
    the template text (without Prometheus's prefix) where the culprit is, when known."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def expand(
    text: str,
    data: TemplateData,
    *,
    name: str = "__alert",
    query: Callable[[str], Vector] | None = None,
    ts: int = 0,
) -> str:
    """`text` expanded as Prometheus expands a label or annotation value of the alert whose template name is
    `name` ("__alert_" + alertname); `query` runs PromQL at the evaluation time `ts` (milliseconds), which
    the `query` template function uses. Raises TemplateError."""
    full = PREFIX + text
    try:
        tree = parse(full, name=name, funcs=FUNCTION_NAMES)
    except ParseError as error:
        raise TemplateError(
            f"error parsing template {name}: {error.message}", _offset(error.offset)
        ) from None
    dot = AlertData(string_map(data.labels), string_map(data.external_labels), data.external_url, data.value)
    try:
        return execute(tree, dot, functions(query))
    except ExecError as error:
        raise TemplateError(f"error executing template {name}: {error}") from None


def expand_value(text: str, data: TemplateData, **options: object) -> str:
    """expand(), with an error written into the value as Prometheus writes it."""
    try:
        return expand(text, data, **options)  # type: ignore[arg-type]
    except TemplateError as error:
        return f"<error expanding template: {error.message}>"


def check_syntax(text: str, *, name: str = "__alert") -> TemplateError | None:
    """The error Prometheus reports when it loads a rule with this label or annotation value (rulefmt's
    template parse test), or None. The error's offset is where in `text` the culprit is."""
    try:
        parse(PREFIX + text, name=name, funcs=FUNCTION_NAMES)
    except ParseError as error:
        return TemplateError(error.message, _offset(error.offset))
    return None


def _offset(offset: int) -> int:
    return max(0, offset - len(PREFIX))
