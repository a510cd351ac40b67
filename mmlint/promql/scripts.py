"""Prometheus's PromQL test scripts (promql/testdata/*.test): a parser and a runner over mmlint's engine.

The language, as Prometheus 2.42's promql/test.go reads it (3.x's promqltest adds the rest):

    load <step>                       series lines follow: `metric{l="v"} 1+2x3 _ stale`
    clear
    eval[_fail|_ordered] instant at <duration> <expr>     expected lines follow: `{l="v"} 5` or a number
    eval range from <d> to <d> step <d> <expr>             (3.x) expected lines carry one value per step
    expect fail|ordered|warn|info|no_warn|no_info|string|range vector ...   (3.x)

Samples are compared as test.go does: by label set, values equal within a relative error of 1e-6 (NaN
equals NaN), in order only for ordered evals.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import promql_parser

from mmlint.duration import DurationError, parse_duration
from mmlint.promql.call import Implementation
from mmlint.promql.engine import EngineOptions, instant_query, parse
from mmlint.promql.series_notation import SeriesLine, SeriesNotationError, parse_series, split_metric
from mmlint.promql.storage import Storage
from mmlint.promql.values import (
    NAME,
    Labels,
    Matrix,
    PromQLError,
    Scalar,
    Series,
    String,
    Value,
    Vector,
    format_labels,
)

_LOAD = re.compile(r"^load(?:_(with_nhcb))?\s+(.+?)$")
_EVAL_INSTANT = re.compile(r"^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$")
_EVAL_RANGE = re.compile(
    r"^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$"
)
_EXPECT = re.compile(r"^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$")
_EXPECT_RANGE = re.compile(r"^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$")
EPSILON = 1e-6
MAX_RANGE_STEPS = 11_000
DEFAULT_OPTIONS = EngineOptions()
MIN_NORMAL = 2.2250738585072014e-308


class ScriptError(ValueError):
    """The script itself is malformed (line numbers are 1-based)."""


@dataclass(frozen=True)
class Load:
    line: int
    step_ms: int
    series: tuple[SeriesLine, ...]
    # Metrics this load gives native histogram samples (not loaded: mmlint's engine is float-only).
    histogram_metrics: frozenset[str] = frozenset()
    skipped: str = ""  # why evals after this load cannot be checked (start timestamps)


@dataclass(frozen=True)
class Clear:
    line: int


@dataclass
class Eval:
    line: int
    expr: str
    start_ms: int
    end_ms: int | None = None  # set for range evals and instant evals expecting a range vector
    step_ms: int = 0
    range_eval: bool = False  # `eval range`: the instant query at every step
    skipped: str = ""  # why this eval cannot be checked (it expects native histograms)
    fail: bool = False
    ordered: bool = False
    fail_message: str | None = None
    fail_regexp: str | None = None
    scalar: float | None = None
    string: str | None = None
    expected: list[SeriesLine] = field(default_factory=list)


Command = Load | Clear | Eval


@dataclass(frozen=True)
class Outcome:
    line: int
    expr: str
    error: str = ""  # empty when the eval passed
    skipped: str = ""  # why the eval was not run


def duration_ms(text: str) -> int:
    try:
        return round(parse_duration(text.strip()) * 1000)
    except DurationError as error:
        raise ScriptError(str(error)) from None


def parse_number(text: str) -> float | None:
    """strconv.ParseInt(s, 0, 64) then ParseFloat, as test.go's parseNumber; None if neither accepts."""
    text = text.strip()
    if re.fullmatch(r"[+-]?0[0-7]+", text):
        return float(int(text, 8))
    try:
        return float(int(text, 0))
    except ValueError:
        pass
    if "_" in text or not re.fullmatch(
        r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)", text, re.I
    ):
        return None
    return float(text)


def _lines(text: str) -> list[str]:
    return ["" if line.strip().startswith("#") else line.strip() for line in text.split("\n")]


def _parse_load(lines: list[str], i: int) -> tuple[int, Load]:
    line_no = i + 1
    match = _LOAD.match(lines[i])
    if match is None:
        raise ScriptError(f"line {i + 1}: invalid load command")
    skipped = ""
    histograms: set[str] = set()
    series: list[SeriesLine] = []
    while i + 1 < len(lines) and lines[i + 1]:
        i += 1
        metric = split_metric(lines[i])[0]
        name = metric.split("{", 1)[0] or _name_in_braces(metric)
        if "{{" in lines[i]:
            histograms.add(name)
            continue
        if metric.endswith("@st"):
            skipped = "start timestamps (@st lines)"
            continue
        if match[1]:
            # load_with_nhcb also converts classic histograms to native ones named without the suffix.
            histograms.add(re.sub(r"_(bucket|count|sum)$", "", name))
        try:
            series.append(parse_series(lines[i]))
        except SeriesNotationError as error:
            raise ScriptError(f"line {i + 1}: {error}") from None
    return i, Load(line_no, duration_ms(match[2]), tuple(series), frozenset(histograms), skipped)


def _name_in_braces(metric: str) -> str:
    found = re.search(r"__name__\s*=\s*\"([^\"]*)\"", metric)
    return found[1] if found else ""


def _touches(expr: str, metrics: frozenset[str] | set[str]) -> bool:
    """Whether `expr` may select one of `metrics`: a selector names one, or has no fixed name."""
    if not metrics:
        return False
    try:
        node = parse(expr)
    except PromQLError:
        return False
    names: list[str | None] = []

    def visit(found: object) -> None:
        if isinstance(found, promql_parser.VectorSelector):
            fixed = [
                m.value for m in found.matchers.matchers if m.name == NAME and str(m.op).endswith("Equal")
            ]
            names.append(found.name or (fixed[0] if fixed else None))

    promql_parser.walk(node, visit)
    return any(name is None or name in metrics for name in names)


def _parse_eval(lines: list[str], i: int) -> tuple[int, Eval]:
    line_no = i + 1
    instant = _EVAL_INSTANT.match(lines[i])
    ranged = _EVAL_RANGE.match(lines[i])
    if instant is not None:
        mod, expr = instant[1] or "", instant[3]
        command = Eval(line_no, expr, duration_ms(instant[2] or "0"))
    elif ranged is not None:
        mod, expr = ranged[1] or "", ranged[5]
        start, end, step = (duration_ms(ranged[n]) for n in (2, 3, 4))
        if step <= 0:
            raise ScriptError(f"line {line_no}: the step of a range eval must be positive")
        if (end - start) // step >= MAX_RANGE_STEPS:
            # Prometheus's HTTP API refuses range queries over 11,000 steps in the same way.
            raise ScriptError(f"line {line_no}: a range eval of more than {MAX_RANGE_STEPS:,} steps")
        command = Eval(line_no, expr, start, end, step, range_eval=True)
    else:
        raise ScriptError(f"line {line_no}: invalid evaluation command")
    command.fail = mod == "fail"
    command.ordered = mod == "ordered"
    while i + 1 < len(lines) and lines[i + 1]:
        i += 1
        line = lines[i]
        if command.fail and line.startswith("expected_fail_message"):
            command.fail_message = line.removeprefix("expected_fail_message").strip()
            break
        if command.fail and line.startswith("expected_fail_regexp"):
            command.fail_regexp = line.removeprefix("expected_fail_regexp").strip()
            break
        expect_range = _EXPECT_RANGE.match(line)
        if expect_range is not None:
            command.start_ms, command.end_ms, command.step_ms = (
                duration_ms(expect_range[n]) for n in (1, 2, 3)
            )
            continue
        if line.startswith("expect string"):
            command.string = _unquote(line.removeprefix("expect string").strip())
            continue
        if line.split(" ")[0] == "expect":
            _apply_expect(command, line, line_no=i + 1)
            continue
        if "{{" in line:
            command.skipped = "expects native histogram samples"
            continue
        number = parse_number(line)
        if number is not None:
            command.scalar = number
            break
        try:
            command.expected.append(parse_series(line))
        except SeriesNotationError as error:
            raise ScriptError(f"line {i + 1}: {error}") from None
    return i, command


def _apply_expect(command: Eval, line: str, *, line_no: int) -> None:
    match = _EXPECT.match(line)
    if match is None:
        raise ScriptError(f"line {line_no}: invalid expect statement")
    kind = match[1]
    # warn/info annotations are not produced by mmlint's engine; those expectations are not checked.
    if kind == "ordered":
        command.ordered = True
    elif kind == "fail":
        command.fail = True
        if match[2] == "msg":
            command.fail_message = match[3].strip()
        elif match[2] == "regex":
            command.fail_regexp = match[3].strip()


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == "`":
        return text[1:-1]
    node = parse(text)
    if not isinstance(node, promql_parser.StringLiteral):
        raise ScriptError(f"expected a quoted string, got {text!r}")
    return node.val


def parse_script(text: str) -> list[Command]:
    lines = _lines(text)
    commands: list[Command] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line:
            word = re.split(r"[\t ]+", line, maxsplit=1)[0].lower()
            if word == "clear":
                commands.append(Clear(i + 1))
            elif word.startswith("load"):
                i, load = _parse_load(lines, i)
                commands.append(load)
            elif word.startswith("eval"):
                i, command = _parse_eval(lines, i)
                commands.append(command)
            else:
                raise ScriptError(f"line {i + 1}: invalid command {line!r}")
        i += 1
    return commands


def almost_equal(a: float, b: float) -> bool:
    """test.go's almostEqual: NaN equals NaN, else a relative error under 1e-6."""
    if math.isnan(a) and math.isnan(b):
        return True
    if a == b:
        return True
    diff = abs(a - b)
    if a == 0 or b == 0 or diff < MIN_NORMAL:
        return diff < EPSILON * MIN_NORMAL
    return diff / (abs(a) + abs(b)) < EPSILON


def _compare_vector(command: Eval, result: Vector) -> str:
    expected = {series.labels: (pos, series) for pos, series in enumerate(command.expected, 1)}
    for pos, sample in enumerate(result, 1):
        found = expected.get(sample.labels)
        if found is None:
            return f"unexpected metric {format_labels(sample.labels)} in result, has value {sample.v}"
        want_pos, series = found
        if command.ordered and want_pos != pos:
            return f"expected metric {format_labels(sample.labels)} at position {want_pos} but was at {pos}"
        want = series.values[0] if series.values else None
        if want is None or not almost_equal(want, sample.v):
            return f"expected {want} for {format_labels(sample.labels)} but got {sample.v}"
    seen = {sample.labels for sample in result}
    for labels in expected:
        if labels not in seen:
            return f"expected metric {format_labels(labels)} not found"
    return ""


def _compare_matrix(command: Eval, result: Matrix) -> str:
    expected = {series.labels: series for series in command.expected}
    for series in result:
        want = expected.get(series.labels)
        if want is None:
            return f"unexpected metric {format_labels(series.labels)} in result"
        points = [
            (command.start_ms + i * command.step_ms, v) for i, v in enumerate(want.values) if v is not None
        ]
        if len(points) != len(series.points):
            return (
                f"expected {len(points)} points for {format_labels(series.labels)}, got {len(series.points)}"
            )
        for (want_t, want_v), (t, v) in zip(points, series.points, strict=True):
            if want_t != t or not almost_equal(want_v, v):
                return f"expected {want_v}@{want_t} for {format_labels(series.labels)}, got {v}@{t}"
    seen = {series.labels for series in result}
    for labels in expected:
        if labels not in seen:
            return f"expected metric {format_labels(labels)} not found"
    return ""


def compare(command: Eval, result: Value) -> str:
    """An empty string when `result` is what the eval expects, else what differs."""
    if isinstance(result, Scalar):
        if command.scalar is None:
            return f"expected vector or matrix result, but got scalar {result.v}"
        return "" if almost_equal(command.scalar, result.v) else f"expected {command.scalar}, got {result.v}"
    if command.scalar is not None:
        return f"expected scalar {command.scalar}, got {type(result).__name__.lower()}"
    if isinstance(result, String):
        return "" if result.s == command.string else f"expected string {command.string!r}, got {result.s!r}"
    if isinstance(result, Matrix):
        if command.end_ms is None:
            return "received range result on instant evaluation"
        return _compare_matrix(command, result)
    return _compare_vector(command, result)


def _range_query(
    expr: str,
    storage: Storage,
    command: Eval,
    options: EngineOptions,
    functions: Mapping[str, Implementation] | None,
) -> Matrix:
    """A range query as the instant query at every step, series merged by label set."""
    assert command.end_ms is not None
    points: dict[Labels, list[tuple[int, float]]] = {}
    for t in range(command.start_ms, command.end_ms + 1, command.step_ms):
        value = instant_query(
            expr, storage, t, options, start=command.start_ms, end=command.end_ms, functions=functions
        )
        if isinstance(value, Scalar):
            points.setdefault((), []).append((t, value.v))
        elif isinstance(value, Vector):
            for sample in value:
                points.setdefault(sample.labels, []).append((t, sample.v))
        else:
            raise PromQLError("range query over a range vector")
    return Matrix(Series(labels, tuple(found)) for labels, found in points.items())


def _evaluate(
    command: Eval, storage: Storage, options: EngineOptions, functions: Mapping[str, Implementation] | None
) -> str:
    try:
        if command.range_eval:
            result: Value = _range_query(command.expr, storage, command, options, functions)
        else:
            result = instant_query(
                command.expr, storage, command.end_ms or command.start_ms, options, functions=functions
            )
    except PromQLError as error:
        if not command.fail:
            return f"error evaluating query: {error}"
        if command.fail_message is not None and command.fail_message != str(error):
            return f"expected error {command.fail_message!r}, got {str(error)!r}"
        if command.fail_regexp is not None and re.search(command.fail_regexp, str(error)) is None:
            return f"expected error matching {command.fail_regexp!r}, got {str(error)!r}"
        return ""
    if command.fail:
        return "expected an error, got none"
    return compare(command, result)


def run_script(
    commands: list[Command],
    options: EngineOptions = DEFAULT_OPTIONS,
    *,
    functions: Mapping[str, Implementation] | None = None,
) -> Iterator[Outcome]:
    """Run the commands in order, one Outcome per eval."""
    storage = Storage()
    skipped = ""
    histograms: set[str] = set()
    for command in commands:
        if isinstance(command, Clear):
            storage, skipped, histograms = Storage(), "", set()
        elif isinstance(command, Load):
            skipped = skipped or command.skipped
            histograms |= command.histogram_metrics
            for series in command.series:
                storage.add(
                    series.labels,
                    ((i * command.step_ms, v) for i, v in enumerate(series.values) if v is not None),
                )
        elif skipped or command.skipped:
            yield Outcome(command.line, command.expr, skipped=skipped or command.skipped)
        elif _touches(command.expr, histograms):
            yield Outcome(command.line, command.expr, skipped="selects native histogram series")
        else:
            yield Outcome(command.line, command.expr, error=_evaluate(command, storage, options, functions))
