"""A promtool unit-test file as a typed model, each test, alert case and expression case with its place.

Read as promtool 2.42 reads it (cmd/promtool/unittest.go, gopkg.in/yaml.v2 `UnmarshalStrict`): unknown
fields are errors; string fields take the scalar's text as written, so `exp_labels: {v: 1.0}` expects
"1.0" (PyYAML would say 1.0, a float); durations are Prometheus durations (`eval_time: 0` is fine, `60` is
not); `value` is a float as Go's YAML resolves it (`6E-01`, `1e3`, `0x10`, `.inf`), never a quoted string.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from mmlint.duration import DurationError, parse_duration
from mmlint.problem import Location
from mmlint.sources.positions import Mapping, Node, Scalar, Sequence, SourceError, load_yaml_documents

Pairs = tuple[tuple[str, str], ...]

FILE_KEYS = frozenset({"rule_files", "evaluation_interval", "group_eval_order", "tests"})
GROUP_KEYS = frozenset(
    {
        "interval",
        "input_series",
        "alert_rule_test",
        "promql_expr_test",
        "external_labels",
        "external_url",
        "name",
    }
)
SERIES_KEYS = frozenset({"series", "values"})
ALERT_TEST_KEYS = frozenset({"eval_time", "alertname", "exp_alerts"})
EXP_ALERT_KEYS = frozenset({"exp_labels", "exp_annotations"})
EXPR_TEST_KEYS = frozenset({"expr", "eval_time", "exp_samples"})
SAMPLE_KEYS = frozenset({"labels", "value"})

# Go's yaml.v2 resolves these plain scalars to floats; everything else that looks numeric goes through
# strconv.ParseInt (base 0, underscores dropped) and then strconv.ParseFloat.
YAML_SPECIAL_FLOATS = {
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}
GO_INT_RE = re.compile(r"^[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$")
GO_FLOAT_RE = re.compile(
    r"^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan"
    r"|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)[pP][+-]?\d+)$",
    re.IGNORECASE,
)


class ModelError(Exception):
    """A unit-test file that promtool would refuse to run: where, and why."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


@dataclass(frozen=True)
class InputSeries:
    series: str
    values: str
    location: Location


@dataclass(frozen=True)
class ExpAlert:
    labels: Pairs
    annotations: Pairs


@dataclass(frozen=True)
class AlertTest:
    eval_time_ms: int
    alertname: str
    exp_alerts: tuple[ExpAlert, ...]
    location: Location


@dataclass(frozen=True)
class ExpSample:
    labels: str
    value: float
    location: Location


@dataclass(frozen=True)
class ExprTest:
    expr: str
    eval_time_ms: int
    exp_samples: tuple[ExpSample, ...]
    location: Location


@dataclass(frozen=True)
class TestGroup:
    __test__ = False  # not a pytest class
    name: str
    interval_ms: int | None
    input_series: tuple[InputSeries, ...]
    alert_tests: tuple[AlertTest, ...]
    expr_tests: tuple[ExprTest, ...]
    external_labels: Pairs
    external_url: str
    location: Location

    @property
    def max_eval_time_ms(self) -> int:
        times = [t.eval_time_ms for t in self.alert_tests] + [t.eval_time_ms for t in self.expr_tests]
        return max(times, default=0)


@dataclass(frozen=True)
class TestFile:
    __test__ = False  # not a pytest class
    path: Path
    rule_files: tuple[str, ...]
    evaluation_interval_ms: int
    group_eval_order: tuple[str, ...]
    tests: tuple[TestGroup, ...]
    location: Location


def read_test_file(path: Path, shown: str) -> TestFile:
    """The file at `path` (named `shown` in messages); ModelError if promtool would refuse it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ModelError(Location(shown, 1, 1), f"cannot read the file: {error.strerror}") from None
    try:
        documents = load_yaml_documents(data, shown)
    except SourceError as error:
        raise ModelError(error.location, error.message) from None
    lines = data.decode("utf-8", errors="replace").removeprefix("\ufeff").splitlines()
    return read_model(path, documents, Reader(lines))


class Reader:
    """Typed field access over positioned nodes, with the file's lines to tell quoted scalars apart."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def is_quoted(self, scalar: Scalar) -> bool:
        line = scalar.location.line - 1
        column = scalar.location.column - 1
        if not 0 <= line < len(self.lines) or column >= len(self.lines[line]):
            return False
        return self.lines[line][column] in "'\"|>"

    def string(self, node: Node, what: str) -> str:
        """yaml.v2 decoding into a Go string: any scalar, as its text; null is ""."""
        if not isinstance(node, Scalar):
            raise ModelError(node.location, f"`{what}` must be a string")
        if node.value is None and not self.is_quoted(node):
            return ""
        return node.text.value

    def duration_ms(self, node: Node, what: str) -> int:
        text = self.string(node, what)
        try:
            seconds = parse_duration(text)
        except DurationError:
            message = f"`{what}` is not a valid duration: `{text}` (e.g. 1m, 90s, 1h30m)"
            raise ModelError(node.location, message) from None
        return round(seconds * 1000)

    def float(self, node: Node, what: str) -> float:
        if not isinstance(node, Scalar) or self.is_quoted(node) or node.value is None:
            raise ModelError(node.location, f"`{what}` must be a number")
        text = node.text.value
        if text in YAML_SPECIAL_FLOATS:
            return YAML_SPECIAL_FLOATS[text]
        if not text or text[0] not in "+-.0123456789":
            raise ModelError(node.location, f"`{what}` must be a number, not `{text}`")
        plain = text.replace("_", "")
        if GO_INT_RE.match(plain):
            return float(go_int(plain))
        if GO_FLOAT_RE.match(text):
            return float.fromhex(text) if "x" in text.lower() else float(text)
        raise ModelError(node.location, f"`{what}` must be a number, not `{text}`")

    def sequence(self, node: Node | None, what: str) -> tuple[Node, ...]:
        if node is None or (isinstance(node, Scalar) and node.value is None):
            return ()
        if not isinstance(node, Sequence):
            raise ModelError(node.location, f"`{what}` must be a list")
        return node.items

    def mapping(self, node: Node, what: str, known: frozenset[str]) -> Mapping:
        if not isinstance(node, Mapping):
            raise ModelError(node.location, f"{what} must be a mapping")
        seen: set[str] = set()
        for key, _ in node.items:
            name = key.text.value
            if name not in known:
                raise ModelError(
                    key.location, f"unknown field `{name}` in {what} (known: {', '.join(sorted(known))})"
                )
            if name in seen:
                raise ModelError(key.location, f"field `{name}` is repeated in {what}")
            seen.add(name)
        return node

    def string_map(self, node: Node | None, what: str) -> Pairs:
        if node is None or (isinstance(node, Scalar) and node.value is None):
            return ()
        if not isinstance(node, Mapping):
            raise ModelError(node.location, f"`{what}` must be a mapping of names to strings")
        result: dict[str, str] = {}
        for key, value in node.items:
            name = self.string(key, what)
            if name in result:
                raise ModelError(key.location, f"`{name}` is repeated in `{what}`")
            result[name] = self.string(value, f"{what}.{name}")
        return tuple(sorted(result.items()))


def go_int(text: str) -> int:
    """strconv.ParseInt(text, 0, 64): a leading 0 means octal."""
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    lowered = digits.lower()
    if lowered.startswith(("0x", "0o", "0b")):
        value = int(digits, 0)
    elif len(digits) > 1 and digits.startswith("0"):
        value = int(digits, 8)
    else:
        value = int(digits)
    return sign * value


def read_model(path: Path, documents: list[Node], reader: Reader) -> TestFile:
    if not documents:
        raise ModelError(Location(str(path), 1, 1), "the file is empty")
    root = documents[0]
    if isinstance(root, Scalar) and root.value is None:
        return TestFile(path, (), 60_000, (), (), root.location)
    top = reader.mapping(root, "a unit-test file", FILE_KEYS)
    rule_files = tuple(
        reader.string(n, "rule_files") for n in reader.sequence(top.get("rule_files"), "rule_files")
    )
    interval_node = top.get("evaluation_interval")
    interval = reader.duration_ms(interval_node, "evaluation_interval") if interval_node is not None else 0
    order_nodes = reader.sequence(top.get("group_eval_order"), "group_eval_order")
    order = tuple(reader.string(n, "group_eval_order") for n in order_nodes)
    for index, name in enumerate(order):
        if name in order[:index]:
            raise ModelError(order_nodes[index].location, f"group name repeated in evaluation order: {name}")
    tests = tuple(read_group(n, reader) for n in reader.sequence(top.get("tests"), "tests"))
    # promtool: an evaluation_interval of 0 (or none) means one minute.
    return TestFile(path, rule_files, interval or 60_000, order, tests, top.location)


def read_group(node: Node, reader: Reader) -> TestGroup:
    group = reader.mapping(node, "a test group", GROUP_KEYS)
    interval_node = group.get("interval")
    interval = reader.duration_ms(interval_node, "interval") if interval_node is not None else None
    name_node = group.get("name")
    url_node = group.get("external_url")
    return TestGroup(
        name=reader.string(name_node, "name") if name_node is not None else "",
        interval_ms=interval,
        input_series=tuple(
            read_series(n, reader) for n in reader.sequence(group.get("input_series"), "input_series")
        ),
        alert_tests=tuple(
            read_alert_test(n, reader)
            for n in reader.sequence(group.get("alert_rule_test"), "alert_rule_test")
        ),
        expr_tests=tuple(
            read_expr_test(n, reader)
            for n in reader.sequence(group.get("promql_expr_test"), "promql_expr_test")
        ),
        external_labels=reader.string_map(group.get("external_labels"), "external_labels"),
        external_url=reader.string(url_node, "external_url") if url_node is not None else "",
        location=group.location,
    )


def read_series(node: Node, reader: Reader) -> InputSeries:
    item = reader.mapping(node, "an input series", SERIES_KEYS)
    series, values = item.get("series"), item.get("values")
    return InputSeries(
        series=reader.string(series, "series") if series is not None else "",
        values=reader.string(values, "values") if values is not None else "",
        location=(series or item).location,
    )


def read_alert_test(node: Node, reader: Reader) -> AlertTest:
    item = reader.mapping(node, "an alert_rule_test item", ALERT_TEST_KEYS)
    eval_time, alertname = item.get("eval_time"), item.get("alertname")
    exp = []
    for exp_node in reader.sequence(item.get("exp_alerts"), "exp_alerts"):
        if isinstance(exp_node, Scalar) and exp_node.value is None:
            exp.append(ExpAlert((), ()))
            continue
        alert = reader.mapping(exp_node, "an exp_alerts item", EXP_ALERT_KEYS)
        labels = reader.string_map(alert.get("exp_labels"), "exp_labels")
        exp.append(ExpAlert(labels, reader.string_map(alert.get("exp_annotations"), "exp_annotations")))
    return AlertTest(
        eval_time_ms=reader.duration_ms(eval_time, "eval_time") if eval_time is not None else 0,
        alertname=reader.string(alertname, "alertname") if alertname is not None else "",
        exp_alerts=tuple(exp),
        location=item.location,
    )


def read_expr_test(node: Node, reader: Reader) -> ExprTest:
    item = reader.mapping(node, "a promql_expr_test item", EXPR_TEST_KEYS)
    expr, eval_time = item.get("expr"), item.get("eval_time")
    samples = []
    for sample_node in reader.sequence(item.get("exp_samples"), "exp_samples"):
        sample = reader.mapping(sample_node, "an exp_samples item", SAMPLE_KEYS)
        labels, value = sample.get("labels"), sample.get("value")
        samples.append(
            ExpSample(
                labels=reader.string(labels, "labels") if labels is not None else "",
                value=reader.float(value, "value") if value is not None else 0.0,
                location=sample.location,
            )
        )
    return ExprTest(
        expr=reader.string(expr, "expr") if expr is not None else "",
        eval_time_ms=reader.duration_ms(eval_time, "eval_time") if eval_time is not None else 0,
        exp_samples=tuple(samples),
        location=item.location,
    )
