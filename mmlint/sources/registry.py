"""The metric registry of a prometheus_client module, read statically: `read_registry` parses the source
with `ast` and never imports, executes or evaluates it.

What it resolves: `Counter`, `Gauge`, `Histogram`, `Summary`, `Info` and `Enum` from `prometheus_client`
(or `prometheus_client.metrics`), however imported or aliased, with positional or keyword arguments whose
values are literals or module constants (see `registry_values`); the full name built as prometheus_client
builds it; the label values the module can be seen to pass to `.labels(...)`, `Enum` states, histogram
bounds and `Info.info({...})` keys.

`read_registry` returns its findings as `(check_id, Finding)` pairs for the core loop to stamp:
`syntax/python` when the file cannot be parsed at all (a syntax error, bytes that are not UTF-8, nesting
deeper than Python's parser takes), `registry/unresolved` for everything else (a file over 5 MB, a metric
whose arguments the reader cannot resolve, one prometheus_client would reject, one registered twice).

Limits, by design: `_created` series are listed (prometheus_client exposes them unless the environment
variable `PROMETHEUS_DISABLE_CREATED_SERIES` is set); a metric built by a factory function from its
parameters is a finding; label values passed from another module are not seen, so a metric used as a
value (passed to a function, stored in a container, aliased) has every label free.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from mmlint.problem import Finding, Location
from mmlint.sources.registry_uses import Uses, call_problems, find_uses, info_labels, label_values
from mmlint.sources.registry_values import Module, Unresolved, dotted_name, iterate, source_text

SYNTAX = "syntax/python"
UNRESOLVED = "registry/unresolved"
LABELS_CALL = "registry/labels-call"
MAX_BYTES = 5 * 1024 * 1024

_CLASSES = {"Counter": "counter", "Gauge": "gauge", "Histogram": "histogram", "Summary": "summary"}
_CLASSES |= {"Info": "info", "Enum": "enum"}
_MODULES = frozenset({"prometheus_client", "prometheus_client.metrics"})
# MetricWrapperBase.__init__'s parameters, then the one each subclass adds after them.
_PARAMETERS: tuple[str, ...] = ("name", "documentation", "labelnames", "namespace", "subsystem", "unit")
_PARAMETERS += ("registry", "_labelvalues")
_EXTRA = {"histogram": "buckets", "enum": "states", "gauge": "multiprocess_mode"}
_RESERVED = {"histogram": "le", "summary": "quantile"}
# Histogram.DEFAULT_BUCKETS of prometheus_client.
_DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, math.inf)
# CollectorRegistry claims the family name and these per type; a second metric claiming any of them makes
# the import raise `Duplicated timeseries`.  (An enum's family type is `stateset`, which claims no suffix.)
_CLAIMED = {"counter": ("_total", "_created"), "summary": ("_sum", "_count", "_created")}
_CLAIMED |= {"histogram": ("_bucket", "_sum", "_count", "_created"), "info": ("_info",)}
# The classic Prometheus name rules: what PromQL accepts unquoted, and what prometheus_client enforces
# with legacy validation (newer releases accept any UTF-8 name unless it is switched on).
_METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


@dataclass(frozen=True)
class Metric:
    """One prometheus_client metric definition, as the module declares it."""

    name: str  # the family name: namespace, subsystem and unit applied, a counter's `_total` cut off
    type: str  # counter | gauge | histogram | summary | info | enum
    help: str
    labels: tuple[str, ...]  # label names in declaration order
    # label -> the values the module can be seen to use; a label absent here is free (e.g. `symbol`)
    allowed_values: Mapping[str, frozenset[str]] = field(hash=False)
    buckets: tuple[float, ...] | None  # histograms: upper bounds including +Inf
    location: Location  # of the constructor call
    series: Mapping[str, frozenset[str]] = field(hash=False)  # exposed sample name -> its label names


@dataclass(frozen=True)
class Registry:
    metrics: tuple[Metric, ...]
    _by_series: Mapping[str, Metric] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_series = {sample: metric for metric in self.metrics for sample in metric.series}
        object.__setattr__(self, "_by_series", by_series)

    def series(self, name: str) -> Metric | None:
        """The metric exposing the sample `name` (`mm_fills_total`, `mm_latency_ms_bucket`)."""
        return self._by_series.get(name)

    def names(self) -> frozenset[str]:
        """Every sample name the registry exposes."""
        return frozenset(self._by_series)


def format_bound(bound: float) -> str:
    """A bucket bound as prometheus_client writes `le`: Python's repr, but `+Inf`, and Go's exponent form
    (`2.5e+06`) from a million up, where Go switches to it and Python does not yet."""
    if math.isinf(bound):
        return "+Inf" if bound > 0 else "-Inf"
    if math.isnan(bound):
        return "NaN"
    text = repr(bound)
    whole, _, fraction = text.partition(".")
    if bound <= 0 or "e" in text or len(whole) < 7:
        return text
    digits = (whole + fraction).rstrip("0")
    mantissa = digits[0] + (f".{digits[1:]}" if len(digits) > 1 else "")
    return f"{mantissa}e+{len(whole) - 1:02d}"


def full_name(kind: str, name: str, namespace: str, subsystem: str, unit: str) -> str:
    """The family name as prometheus_client's `_build_full_name` makes it: `namespace_subsystem_name`, a
    counter's `_total` cut off (OpenMetrics), then `_unit` appended unless the name already ends with it."""
    built = "_".join([*(part for part in (namespace, subsystem) if part), name])
    if kind == "counter":
        built = built.removesuffix("_total")
    if unit and not built.endswith(f"_{unit}"):
        built += f"_{unit}"
    return built


def read_registry(source: bytes, path: str) -> tuple[Registry, list[tuple[str, Finding]]]:
    """The metrics `source` defines, and `(check_id, finding)` for what could not be read."""
    if len(source) > MAX_BYTES:
        message = f"the file is {len(source)} bytes, over the {MAX_BYTES} bytes the registry reader reads"
        return Registry(()), [(UNRESOLVED, Finding(Location(path, 1, 1), message))]
    parsed = _parse(source, path)
    if not isinstance(parsed, Module):
        return Registry(()), [parsed]
    reader = _Reader(parsed)
    try:
        metrics = reader.read()
    except RecursionError:
        message = "the file is nested too deeply for the registry reader"
        return Registry(()), [(UNRESOLVED, Finding(Location(path, 1, 1), message))]
    return Registry(metrics), sorted(reader.findings, key=lambda found: found[1].location)


def _parse(source: bytes, path: str) -> Module | tuple[str, Finding]:
    try:
        text = source.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        where = _end_of(path, source[: error.start].decode("utf-8"))
        message = f"the file is not UTF-8: byte `{source[error.start]:#04x}` cannot be decoded"
        return SYNTAX, Finding(where, message)
    if "\0" in text:
        # Python refuses NUL bytes without saying where (3.11 raises ValueError or a SyntaxError without one).
        return SYNTAX, Finding(
            _end_of(path, text[: text.index("\0")]), "invalid Python: the file holds a NUL byte"
        )
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as error:
        where = Location(path, error.lineno or 1, error.offset or 1)
        return SYNTAX, Finding(where, f"invalid Python: {error.msg}")
    except (RecursionError, MemoryError):
        return SYNTAX, Finding(Location(path, 1, 1), "the file is nested too deeply for Python's parser")
    return Module(tree, path, text)


def _end_of(path: str, before: str) -> Location:
    """The position just after `before`, the text that precedes it in the file."""
    lines = re.split(r"\r\n|\r|\n", before)
    return Location(path, len(lines), len(lines[-1]) + 1)


@dataclass
class _Draft:
    """A metric whose arguments resolved; its label values are gathered once every metric is known."""

    call: ast.Call
    kind: str
    name: str
    help: str
    labels: tuple[str, ...]
    buckets: tuple[float, ...] | None
    fixed: dict[str, frozenset[str]]  # values known from the constructor: `le`, an enum's states
    registry: str | None  # which registry it joins (source text), None when `registry=None`


class _Reader:
    def __init__(self, module: Module) -> None:
        self.module = module
        self.findings: list[tuple[str, Finding]] = []
        self._imports: dict[str, str] = {}
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    head = alias.name.split(".")[0]
                    self._imports[alias.asname or head] = alias.name if alias.asname else head
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [(alias.asname or alias.name, alias.name) for alias in node.names]
                for bound, name in [(c, c) for c in _CLASSES] if names == [("*", "*")] else names:
                    self._imports[bound] = f"{node.module}.{name}"

    def report(self, node: ast.AST, message: str) -> None:
        self.findings.append((UNRESOLVED, Finding(self.module.location(node), message)))

    def read(self) -> tuple[Metric, ...]:
        calls = [n for n in ast.walk(self.module.tree) if isinstance(n, ast.Call) and self._kind(n.func)]
        calls.sort(key=lambda call: (call.lineno, call.col_offset))
        drafts: list[_Draft] = []
        claimed: dict[tuple[str, str], _Draft] = {}
        for call in calls:
            draft = self._draft(call, self._kind(call.func) or "")
            if draft is None:
                continue
            names = [draft.name, *(draft.name + suffix for suffix in _CLAIMED.get(draft.kind, ()))]
            if draft.registry is not None:
                clashes = [claimed[(draft.registry, n)] for n in names if (draft.registry, n) in claimed]
                if clashes:
                    first = f"`{clashes[0].name}` of line {clashes[0].call.lineno}"
                    spot = _arguments(call, draft.kind).get("name", call)
                    self.report(spot, f"`{draft.name}` is registered twice: it clashes with {first}")
                    continue
                claimed.update(((draft.registry, n), draft) for n in names)
            drafts.append(draft)
        uses = find_uses(self.module, [draft.call for draft in drafts])
        return tuple(self._metric(draft, use) for draft, use in zip(drafts, uses, strict=True))

    def _kind(self, func: ast.expr) -> str | None:
        dotted = dotted_name(func)
        head, dot, rest = (dotted or "").partition(".")
        if head not in self._imports:
            return None
        module, _, name = (self._imports[head] + dot + rest).rpartition(".")
        return _CLASSES.get(name) if module in _MODULES else None

    def _draft(self, call: ast.Call, kind: str) -> _Draft | None:
        constructor = f"a `{source_text(call.func)}`"
        try:
            args = _arguments(call, kind)
        except Unresolved as error:
            self.report(error.node, f"cannot resolve the arguments of {constructor}: {error}")
            return None
        parts: list[str] = []
        for key in ("name", "namespace", "subsystem", "unit"):
            try:
                parts.append(self._string(args, key))
            except Unresolved as error:
                self.report(args[key], f"cannot resolve the name of {constructor}: {error}")
                return None
        raw, namespace, subsystem, unit = parts
        name = full_name(kind, raw, namespace, subsystem, unit)
        try:
            labels = self._labels(args.get("labelnames"))
        except Unresolved as error:
            self.report(args["labelnames"], f"cannot resolve the label names of `{name}`: {error}")
            return None
        rejection = _rejection(kind, raw, name, unit, labels)
        buckets, fixed = None, {}
        if kind == "histogram":
            buckets, refused = self._buckets(args.get("buckets"), name)
            rejection = rejection or ((refused, "buckets") if refused else None)
            if buckets is not None:
                fixed["le"] = frozenset(format_bound(bound) for bound in buckets)
        elif kind == "enum":
            states, refused = self._states(args.get("states"), name)
            rejection = rejection or ((refused, "states") if refused else None)
            if states is not None:
                fixed[name] = states
        if rejection:
            subject = f"`{name}`" if name else constructor
            reason, argument = rejection
            self.report(
                args.get(argument, call), f"{subject} would be rejected by prometheus_client: {reason}"
            )
            return None
        try:
            documentation = self._string(args, "documentation")
        except Unresolved as error:
            self.report(args["documentation"], f"cannot resolve the help of `{name}`: {error}")
            documentation = ""
        # `registry=None` registers nowhere; `prometheus_client.REGISTRY` is the default `REGISTRY`.
        registry = source_text(args["registry"]).rpartition(".")[2] if "registry" in args else "REGISTRY"
        joins = None if registry == "None" else registry
        return _Draft(call, kind, name, documentation, labels, buckets, fixed, joins)

    def _string(self, args: dict[str, ast.expr], key: str) -> str:
        if key not in args:
            return ""
        value = self.module.value(args[key])
        if not isinstance(value, str):
            raise Unresolved(args[key], "is not a string")
        return value

    def _labels(self, node: ast.expr | None) -> tuple[str, ...]:
        if node is None:
            return ()
        labels = iterate(self.module.value(node), node)
        if not all(isinstance(label, str) for label in labels):
            raise Unresolved(node, "holds a label name that is not a string")
        return tuple(str(label) for label in labels)

    def _buckets(self, node: ast.expr | None, name: str) -> tuple[tuple[float, ...] | None, str | None]:
        """The upper bounds as Histogram._prepare_buckets keeps them, or why it refuses them."""
        try:
            given = _DEFAULT_BUCKETS if node is None else iterate(self.module.value(node), node)
        except Unresolved as error:
            self.report(node or error.node, f"cannot resolve the buckets of `{name}`: {error}")
            return None, None
        bounds: list[float] = []
        for bound in given:
            try:
                bounds.append(float(bound))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                return None, f"bucket bound `{bound!r}` is not a number"
        if bounds != sorted(bounds):
            return None, "its buckets are not in sorted order"
        if bounds and bounds[-1] != math.inf:
            bounds.append(math.inf)
        if len(bounds) < 2:
            return None, "a histogram needs at least two buckets"
        return tuple(bounds), None

    def _states(self, node: ast.expr | None, name: str) -> tuple[frozenset[str] | None, str | None]:
        try:
            states = () if node is None else iterate(self.module.value(node), node)
        except Unresolved as error:
            self.report(node or error.node, f"cannot resolve the states of `{name}`: {error}")
            return None, None
        if not states:
            return None, "an enum needs states"
        return frozenset(str(state) for state in states), None

    def _metric(self, draft: _Draft, uses: Uses) -> Metric:
        for spot, message in call_problems(draft.name, draft.labels, uses):
            self.findings.append((LABELS_CALL, Finding(self.module.location(spot), message)))
        allowed = dict(draft.fixed)
        if not uses.escaped:
            allowed |= label_values(self.module, draft.labels, uses.labels)
        keys: set[str] = set()
        for call in uses.info:
            node = (
                call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "val"), None)
            )
            try:
                info = info_labels(self.module, node or call)
            except Unresolved as error:
                self.report(node or call, f"cannot resolve the info labels of `{draft.name}`: {error}")
                continue
            keys.update(info)
            allowed |= {key: allowed.get(key, frozenset()) | values for key, values in info.items()}
        return Metric(
            name=draft.name,
            type=draft.kind,
            help=draft.help,
            labels=draft.labels,
            allowed_values=allowed,
            buckets=draft.buckets,
            location=self.module.location(draft.call),
            series=_series(draft, frozenset(keys)),
        )


def _arguments(call: ast.Call, kind: str) -> dict[str, ast.expr]:
    """The constructor's arguments by parameter name, as Python would bind them."""
    parameters = (*_PARAMETERS, _EXTRA[kind]) if kind in _EXTRA else _PARAMETERS
    args: dict[str, ast.expr] = {}
    for parameter, arg in zip(parameters, call.args, strict=False):
        if isinstance(arg, ast.Starred):
            raise Unresolved(arg, "passes arguments the reader cannot see")
        args[parameter] = arg
    if len(call.args) > len(parameters):
        raise Unresolved(call.args[len(parameters)], f"is one argument too many for `{kind}`")
    for keyword in call.keywords:
        if keyword.arg is None:
            raise Unresolved(keyword, "passes arguments the reader cannot see")
        if keyword.arg not in parameters or keyword.arg in args:
            raise Unresolved(keyword, f"is not an argument prometheus_client's `{kind}` accepts here")
        args[keyword.arg] = keyword.value
    for required in ("name", "documentation"):
        if required not in args:
            raise Unresolved(call, f"has no `{required}`")
    return args


def _rejection(kind: str, raw: str, name: str, unit: str, labels: tuple[str, ...]) -> tuple[str, str] | None:
    """Why prometheus_client's constructor would raise ValueError for these arguments, if it would, with
    the argument to blame."""
    if not raw:
        return "the metric name is empty", "name"
    if unit and kind in ("info", "enum"):
        return f"an {kind} metric cannot have a unit", "unit"
    for label in labels:
        if not _LABEL_NAME.fullmatch(label):
            return f"`{label}` is not a valid label name", "labelnames"
        if label.startswith("__"):
            return f"label `{label}` is reserved for Prometheus", "labelnames"
        if label == _RESERVED.get(kind):
            return f"label `{label}` is reserved for the {kind} itself", "labelnames"
        if kind == "enum" and label == raw:
            return f"label `{label}` is the enum's own name", "labelnames"
    if not _METRIC_NAME.fullmatch(name):
        return f"`{name}` is not a valid metric name", "name"
    return None


def _series(draft: _Draft, info_labels: frozenset[str]) -> dict[str, frozenset[str]]:
    """Sample name -> label names, for every sample prometheus_client exposes for the metric."""
    name, labels = draft.name, frozenset(draft.labels)
    match draft.kind:
        case "counter":
            return {f"{name}_total": labels, f"{name}_created": labels}
        case "gauge":
            return {name: labels}
        case "histogram":
            series = {f"{name}_bucket": labels | {"le"}, f"{name}_count": labels}
            # Histogram._child_samples drops `_sum` when the first bound is negative.
            if draft.buckets is None or draft.buckets[0] >= 0:
                series[f"{name}_sum"] = labels
            return series | {f"{name}_created": labels}
        case "summary":
            return {f"{name}_count": labels, f"{name}_sum": labels, f"{name}_created": labels}
        case "info":
            return {f"{name}_info": labels | info_labels}
        case _:
            return {name: labels | {name}}
