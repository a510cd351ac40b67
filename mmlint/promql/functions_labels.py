"""Functions that rewrite labels: label_replace and label_join (Prometheus promql/functions.go), and the
labels absent()/absent_over_time() give their sample (createLabelsForAbsentFunction). Errors are worded
as Prometheus words them."""

from __future__ import annotations

import re

import promql_parser
import re2

from mmlint.promql.call import Call
from mmlint.promql.functions_output import string_arg, unique, vector_arg
from mmlint.promql.regex import RegexError, compile_re2
from mmlint.promql.selectors import match_op
from mmlint.promql.values import NAME, Labels, PromQLError, Sample, Value, get_label, make_labels

# Prometheus 2 label names (model.LabelNameRE); Prometheus 3 accepts any non-empty UTF-8 name.
LEGACY_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


def valid_label_name(name: str, compat: int) -> bool:
    return bool(name) if compat >= 3 else LEGACY_LABEL_NAME.fullmatch(name) is not None


def _compile(pattern: str, compat: int) -> re2._Regexp[str]:
    # 2.42 anchors the regex as ^(?:...)$; Prometheus 3 also lets `.` match a newline, ^(?s:...)$.
    return compile_re2(f"^(?s:{pattern})$" if compat >= 3 else f"^(?:{pattern})$", pattern)


def _reference(template: str) -> tuple[str, str] | None:
    """The name and the rest after a `$` in a Go regexp template: `name` or `{name}`, where a name is the
    longest run of letters, digits and underscores; None when malformed (the `$` is then literal)."""
    brace = template.startswith("{")
    text = template[1:] if brace else template
    end = 0
    while end < len(text) and (text[end].isalpha() or text[end].isdecimal() or text[end] == "_"):
        end += 1
    if end == 0:
        return None
    name = text[:end]
    if brace:
        if not text[end:].startswith("}"):
            return None
        end += 1
    return name, text[end:]


def _group_number(name: str) -> int:
    """The group a reference names by number, -1 for a name (Go: no leading zeros, below 1e8)."""
    if not name.isascii() or not name.isdigit() or (name[0] == "0" and len(name) > 1) or len(name) > 8:
        return -1
    return int(name)


def expand(template: str, regex: re2._Regexp[str], match: re2._Match[str]) -> str:
    """Go's Regexp.ExpandString: `$1`, `${1}`, `$name`, `${name}` become the submatch (empty when the
    group did not take part or does not exist), `$$` a dollar sign."""
    out = []
    while True:
        before, dollar, template = template.partition("$")
        out.append(before)
        if not dollar:
            return "".join(out)
        if template.startswith("$"):
            out.append("$")
            template = template[1:]
            continue
        reference = _reference(template)
        if reference is None:
            out.append("$")
            continue
        name, template = reference
        number = _group_number(name)
        if number < 0:
            number = regex.groupindex.get(name, -1)
        if 0 <= number <= regex.groups and match.start(number) >= 0:
            out.append(match.group(number) or "")


def label_replace(args: list[Value], call: Call) -> Value:
    """label_replace(v instant-vector, dst_label string, replacement string, src_label string, regex string) instant-vector"""  # noqa: E501
    dst, replacement, src, pattern = (string_arg(args, i) for i in range(1, 5))
    try:
        regex = _compile(pattern, call.compat)
    except RegexError:
        raise PromQLError(f"invalid regular expression in label_replace(): {pattern}") from None
    if not valid_label_name(dst, call.compat):
        raise PromQLError(f"invalid destination label name in label_replace(): {dst}")
    out = []
    for sample in vector_arg(args, 0):
        match = regex.search(get_label(sample.labels, src))
        labels = sample.labels
        if match is not None:
            # An empty result removes the label, as labels.Builder does.
            value = expand(replacement, regex, match)
            labels = make_labels([*(pair for pair in labels if pair[0] != dst), (dst, value)])
        out.append(Sample(labels, call.ts, sample.v))
    return unique(out)


def label_join(args: list[Value], call: Call) -> Value:
    """label_join(v instant-vector, dst_label string, separator string, src_label string...) instant-vector"""
    dst, separator = string_arg(args, 1), string_arg(args, 2)
    sources = [string_arg(args, i) for i in range(3, len(args))]
    for src in sources:
        if not valid_label_name(src, call.compat):
            raise PromQLError(f"invalid source label name in label_join(): {src}")
    if not valid_label_name(dst, call.compat):
        raise PromQLError(f"invalid destination label name in label_join(): {dst}")
    out = []
    for sample in vector_arg(args, 0):
        value = separator.join(get_label(sample.labels, src) for src in sources)
        labels = make_labels([*(pair for pair in sample.labels if pair[0] != dst), (dst, value)])
        out.append(Sample(labels, call.ts, sample.v))
    return unique(out)


def absent_labels(expr: promql_parser.Expr | None) -> Labels:
    """The labels of absent()'s sample: those the selector matches with `=`, except the metric name. A
    label with a second matcher is left out (Prometheus keeps this for `x{job="a",job="b"}`), and any
    other matcher on a label removes what an earlier `=` set."""
    while isinstance(expr, promql_parser.ParenExpr):
        expr = expr.expr
    if isinstance(expr, promql_parser.MatrixSelector):
        expr = expr.vector_selector
    if not isinstance(expr, promql_parser.VectorSelector):
        return ()
    labels: dict[str, str] = {}
    seen: set[str] = set()
    for matcher in expr.matchers.matchers:
        if matcher.name == NAME:
            continue
        if match_op(matcher) == "=" and matcher.name not in seen:
            labels[matcher.name] = matcher.value
            seen.add(matcher.name)
        else:
            labels.pop(matcher.name, None)
    return make_labels(labels)
