"""Failures worded and laid out as promtool 2.42 prints them (cmd/promtool/unittest.go), so a diff against
promtool's output is empty where the verdicts agree."""

from __future__ import annotations

from collections.abc import Sequence

from mmlint.promql.values import Labels, format_labels
from mmlint.ruletest.compare import (
    AlertList,
    AlertMismatch,
    ExprError,
    ExprMismatch,
    Failure,
    GroupError,
    RuleFailure,
    RuleFileError,
    SampleList,
)
from mmlint.ruletest.goformat import format_float, go_quote

MODEL_UNITS = (("y", 365 * 86_400_000, True), ("w", 7 * 86_400_000, True), ("d", 86_400_000, False))
MODEL_SMALL_UNITS = (("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1))


def model_duration(ms: int) -> str:
    """prometheus/common model.Duration.String(): `0s`, `90s` is `1m30s`, `1d`, `2w`, `1y`."""
    if ms == 0:
        return "0s"
    out = []
    for unit, size, exact in MODEL_UNITS:
        if exact and ms % size:
            continue
        if ms >= size:
            out.append(f"{ms // size}{unit}")
            ms %= size
    for unit, size in MODEL_SMALL_UNITS:
        if ms >= size:
            out.append(f"{ms // size}{unit}")
            ms %= size
    return "".join(out)


def go_duration(ms: int) -> str:
    """Go's time.Duration.String() for whole milliseconds: `0s`, `500ms`, `1m0s`, `1h0m30.5s`."""
    if ms == 0:
        return "0s"
    if abs(ms) < 1000:
        return f"{ms}ms"
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds = f"{rest // 1000}.{rest % 1000:03d}".rstrip("0").rstrip(".")
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}s"
    if minutes:
        return f"{sign}{minutes}m{seconds}s"
    return f"{sign}{seconds}s"


def indent_lines(text: str, indent: str) -> str:
    return ("\n" + indent).join(text.split("\n"))


def alerts_text(alerts: AlertList) -> str:
    if not alerts:
        return "[]"
    parts = []
    for index, (labels, notes) in enumerate(alerts):
        body = f"\nLabels:{format_labels(labels)}\nAnnotations:{format_labels(notes)}"
        parts.append(f"{index}:" + indent_lines(body, "  "))
    return "[\n" + ",\n".join(parts) + "\n]"


def sample_text(labels: Labels, value: float) -> str:
    return f"{format_labels(labels)} {format_float(value, 'E', -1)}"


def samples_text(samples: SampleList) -> str:
    return ", ".join(sample_text(labels, value) for labels, value in samples) if samples else "nil"


def failure_text(failure: Failure) -> str:
    match failure:
        case AlertMismatch(group_name=name, test=test, exp=exp, got=got):
            head = f"    name: {name},\n" if name else ""
            return (
                f"{head}    alertname: {test.alertname}, time: {model_duration(test.eval_time_ms)}, \n"
                f"        exp:{indent_lines(alerts_text(exp), ' ' * 12)}, \n"
                f"        got:{indent_lines(alerts_text(got), ' ' * 12)}"
            )
        case ExprMismatch(test=test, exp=exp, got=got):
            return (
                f"    expr: {go_quote(test.expr)}, time: {model_duration(test.eval_time_ms)},\n"
                f"        exp: {samples_text(exp)}\n"
                f"        got: {samples_text(got)}"
            )
        case ExprError(test=test, message=message):
            return (
                f"    expr: {go_quote(test.expr)}, time: {model_duration(test.eval_time_ms)}, err: {message}"
            )
        case RuleFailure(rule=rule, ts=ts, message=message):
            return f"    rule: {rule}, time: {go_duration(ts)}, err: {message}"
        case GroupError(message=message, location=location):
            return f"{location}: {message}"
        case RuleFileError(message=message):
            return message


def file_text(shown: str, failures: Sequence[Failure], warnings: Sequence[str] = ()) -> str:
    """One file's report: `Unit Testing:  <file>`, then `SUCCESS` or `FAILED:` and each failure."""
    out = [f"Unit Testing:  {shown}\n"]
    out.extend(f"  WARNING: {warning}\n" for warning in warnings)
    if not failures:
        out.append("  SUCCESS\n")
    else:
        out.append("  FAILED:\n")
        out.extend(failure_text(failure) + "\n\n" for failure in failures)
    out.append("\n")
    return "".join(out)


def summary(failure: Failure) -> str:
    """One sentence for line-oriented reports (json, sarif, github, `mmlint check`)."""
    match failure:
        case AlertMismatch(test=test, exp=exp, got=got):
            return (
                f"alert `{test.alertname}` at {model_duration(test.eval_time_ms)}: expected "
                f"{plural(len(exp), 'firing alert')}, got {len(got)}"
                + ("" if len(exp) != len(got) else " with other labels or annotations")
            )
        case ExprMismatch(test=test, exp=exp, got=got):
            return (
                f"expression `{test.expr}` at {model_duration(test.eval_time_ms)}: expected "
                f"{samples_text(exp)}, got {samples_text(got)}"
            )
        case ExprError(test=test, message=message):
            return f"expression `{test.expr}` at {model_duration(test.eval_time_ms)} failed: {message}"
        case RuleFailure(rule=rule, ts=ts, message=message):
            return f"rule `{rule}` failed at {go_duration(ts)}: {message}"
        case GroupError(message=message) | RuleFileError(message=message):
            return message


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
