"""Evaluation plans: a parsed expression turned, once, into plain Python nodes the engine walks.

A rule is evaluated at every step of a test (tens of thousands of times), and every attribute read on
promql_parser's nodes builds new Python objects from the Rust tree (matcher lists, operator enums turned
into strings, `@` times read from debug text). A plan reads all of that once: the operators as strings,
the matchers as one interned `Selector`, offsets, ranges and `@` times in milliseconds, vector matching and
grouping clauses. Plans are cached per parsed expression object and dialect.

Nesting depth is fixed by the tree, so a node nested deeper than the engine allows becomes a `TooDeep`
node, which fails when evaluation reaches it, as the engine's depth count would.

A unit test evaluates every rule at every step, most of them before (or without) any series they read:
the largest subexpressions that are provably an empty vector, without an error, while their selectors
select nothing are wrapped in `Guarded`, and the engine skips them then (see `empty_vector`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import promql_parser

from mmlint.promql.binops import SET_OPERATORS, Matching
from mmlint.promql.signatures import SIGNATURES
from mmlint.promql.storage import Matcher, Selector, selector
from mmlint.promql.tree import unwrap
from mmlint.promql.values import NAME

MAX_DEPTH = 400  # nesting of expressions; Python's stack, not Prometheus, sets this bound
_MATCH_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}
# promql_parser panics converting an `@` before 1970 to a datetime, so the time is read from the node's
# debug text, where it is a (seconds, nanoseconds) pair.
_AT_TIME = re.compile(r"at: Some\(\s*At\(\s*SystemTime \{\s*tv_sec: (-?\d+),\s*tv_nsec: (\d+)")
_CARDINALITY = {
    "VectorMatchCardinality.OneToOne": "one-to-one",
    "VectorMatchCardinality.ManyToOne": "many-to-one",
    "VectorMatchCardinality.OneToMany": "one-to-many",
    "VectorMatchCardinality.ManyToMany": "many-to-many",
}
_CACHE_SIZE = 8192


# `@`: None without one, "start" or "end" for `@ start()`/`@ end()`, else the time in ms.
At = int | str | None


@dataclass(frozen=True, slots=True)
class Number:
    value: float


@dataclass(frozen=True, slots=True)
class Text:
    value: str


@dataclass(frozen=True, slots=True)
class VectorSel:
    selector: Selector
    at: At
    offset_ms: int


@dataclass(frozen=True, slots=True)
class MatrixSel:
    vector: VectorSel
    range_ms: int


@dataclass(frozen=True, slots=True)
class Subquery:
    node: promql_parser.SubqueryExpr  # for its text in an error message
    expr: Plan
    at: At
    offset_ms: int
    range_ms: int
    step_ms: int  # 0: the engine's default subquery step


@dataclass(frozen=True, slots=True)
class Unary:
    expr: Plan


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    lhs: Plan
    rhs: Plan
    return_bool: bool
    matching: Matching


@dataclass(frozen=True, slots=True)
class Aggregate:
    op: str
    param: Plan | None
    expr: Plan
    grouping: tuple[str, ...]
    without: bool


@dataclass(frozen=True, slots=True)
class Argument:
    """A function argument: a selector inside timestamp() ("timestamp"), a range selector ("matrix"), a
    subquery ("subquery"), or any other expression ("value")."""

    kind: str
    plan: Plan


@dataclass(frozen=True, slots=True)
class FunctionCall:
    name: str
    exprs: tuple[promql_parser.Expr, ...]  # as parsed: functions such as absent() read them
    args: tuple[Argument, ...]
    available: bool  # whether the dialect has the function (the parser knows every dialect's)


@dataclass(frozen=True, slots=True)
class Guarded:
    """An instant-vector expression that evaluates to an empty vector, with no error, whenever none of
    `selectors` selects a series: the engine then skips it (a rule whose metrics do not exist, or a side
    of `or` whose metrics do not, is not evaluated)."""

    plan: Plan
    selectors: tuple[Selector, ...]


@dataclass(frozen=True, slots=True)
class TooDeep:
    pass


@dataclass(frozen=True, slots=True)
class Unknown:
    node: promql_parser.Expr


Plan = (
    Number
    | Text
    | VectorSel
    | MatrixSel
    | Subquery
    | Unary
    | Binary
    | Aggregate
    | FunctionCall
    | Guarded
    | TooDeep
    | Unknown
)

# Functions whose result is empty, without an error, when their vector or range argument is empty, whatever
# their number arguments: they only map the series they are given.
_EMPTY_IN_EMPTY_OUT = frozenset(
    {"abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn", "round", "timestamp"}
    | {"clamp", "clamp_min", "clamp_max", "sort", "sort_desc", "histogram_quantile"}
    | {"rate", "increase", "delta", "irate", "idelta", "deriv", "changes", "resets", "predict_linear"}
    | {"avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time"}
    | {"last_over_time", "stddev_over_time", "stdvar_over_time", "quantile_over_time", "present_over_time"}
)
# Aggregations with an empty result for an empty input, and no parameter to check.
_EMPTY_AGGREGATIONS = frozenset({"sum", "avg", "count", "min", "max", "group", "stddev", "stdvar"})

# (id of the parsed expression, compat) -> (the expression, kept so that its id stays its own; its plan)
_plans: dict[tuple[int, int], tuple[promql_parser.Expr, Plan]] = {}


def plan_for(node: promql_parser.Expr, compat: int) -> Plan:
    """The plan of `node` under `compat`, built on first use."""
    key = (id(node), compat)
    found = _plans.get(key)
    if found is not None and found[0] is node:
        return found[1]
    plan = guard(build(node, compat, 1))
    if len(_plans) >= _CACHE_SIZE:
        _plans.clear()
    _plans[key] = (node, plan)
    return plan


def guard(plan: Plan) -> Plan:
    """`plan` with its largest subexpressions that `empty_vector` vouches for wrapped in `Guarded`."""
    selectors: list[Selector] = []
    if empty_vector(plan, selectors):
        return Guarded(plan, tuple(dict.fromkeys(selectors)))
    match plan:
        case Unary():
            return Unary(guard(plan.expr))
        case Binary():
            return Binary(plan.op, guard(plan.lhs), guard(plan.rhs), plan.return_bool, plan.matching)
        case Aggregate():
            return Aggregate(plan.op, plan.param, guard(plan.expr), plan.grouping, plan.without)
        case Subquery():
            return Subquery(plan.node, guard(plan.expr), plan.at, plan.offset_ms, plan.range_ms, plan.step_ms)
        case FunctionCall():
            args = tuple(Argument(a.kind, guard(a.plan)) if a.kind == "value" else a for a in plan.args)
            return FunctionCall(plan.name, plan.exprs, args, plan.available)
    return plan


def empty_vector(plan: Plan, selectors: list[Selector]) -> bool:
    """Whether `plan` is an instant vector that is empty, and evaluates without an error, when none of its
    selectors (added to `selectors`) selects a series. Conservative: False when unsure."""
    match plan:
        case VectorSel():
            selectors.append(plan.selector)
            return True
        case Unary():
            return empty_vector(plan.expr, selectors)
        case Binary():
            # An empty side makes the result empty (sides are both evaluated: neither may fail).
            sides = [side for side in (plan.lhs, plan.rhs) if not isinstance(side, Number)]
            return bool(sides) and all(empty_vector(side, selectors) for side in sides)
        case Aggregate():
            return (
                plan.param is None and plan.op in _EMPTY_AGGREGATIONS and empty_vector(plan.expr, selectors)
            )
        case FunctionCall():
            if not plan.available or plan.name not in _EMPTY_IN_EMPTY_OUT:
                return False
            inputs = 0
            for arg in plan.args:
                if isinstance(arg.plan, Number):
                    continue
                if arg.kind == "matrix" and isinstance(arg.plan, MatrixSel):
                    selectors.append(arg.plan.vector.selector)
                elif arg.kind == "timestamp" and isinstance(arg.plan, VectorSel):
                    selectors.append(arg.plan.selector)
                elif arg.kind != "value" or not empty_vector(arg.plan, selectors):
                    return False
                inputs += 1
            return inputs == 1
    return False


def ms(delta: timedelta | None) -> int:
    if delta is None:
        return 0
    return (delta.days * 86_400_000_000 + delta.seconds * 1_000_000 + delta.microseconds) // 1000


def build(node: promql_parser.Expr, compat: int, depth: int) -> Plan:
    """The plan of `node`, which the engine evaluates at nesting `depth` (1 for the whole expression)."""
    if depth > MAX_DEPTH:
        return TooDeep()
    match node:
        case promql_parser.NumberLiteral():
            return Number(node.val)
        case promql_parser.StringLiteral():
            return Text(node.val)
        case promql_parser.ParenExpr():
            return build(node.expr, compat, depth + 1)
        case promql_parser.VectorSelector():
            return vector_sel(node, compat)
        case promql_parser.MatrixSelector():
            return MatrixSel(vector_sel(node.vector_selector, compat), ms(node.range))
        case promql_parser.SubqueryExpr():
            return subquery(node, compat, depth)
        case promql_parser.UnaryExpr():
            return Unary(build(node.expr, compat, depth + 1))
        case promql_parser.BinaryExpr():
            op = str(node.op)
            return Binary(
                op,
                build(node.lhs, compat, depth + 1),
                build(node.rhs, compat, depth + 1),
                bool(node.modifier is not None and node.modifier.return_bool),
                matching(node.modifier, set_operator=op in SET_OPERATORS),
            )
        case promql_parser.AggregateExpr():
            param = None if node.param is None else build(node.param, compat, depth + 1)
            modifier = node.modifier
            grouping = () if modifier is None else tuple(modifier.labels)
            without = modifier is not None and str(modifier.type).endswith("Without")
            return Aggregate(str(node.op), param, build(node.expr, compat, depth + 1), grouping, without)
        case promql_parser.Call():
            return call(node, compat, depth)
    return Unknown(node)


def call(node: promql_parser.Call, compat: int, depth: int) -> FunctionCall:
    name = node.func.name
    exprs = tuple(node.args)
    args = []
    for expr in exprs:
        inner = unwrap(expr)
        if name == "timestamp" and isinstance(inner, promql_parser.VectorSelector):
            args.append(Argument("timestamp", vector_sel(inner, compat)))
        elif isinstance(inner, promql_parser.MatrixSelector):
            # The engine selects a range argument itself, without evaluating it as a nested node.
            matrix = MatrixSel(vector_sel(inner.vector_selector, compat), ms(inner.range))
            args.append(Argument("matrix", matrix))
        elif isinstance(inner, promql_parser.SubqueryExpr):
            # The engine evaluates a subquery argument itself, at the call's depth.
            args.append(Argument("subquery", subquery(inner, compat, depth)))
        else:
            args.append(Argument("value", build(inner, compat, depth + 1)))
    signature = SIGNATURES.get(name)
    available = signature is None or signature.available(compat)
    return FunctionCall(name, exprs, tuple(args), available)


def subquery(node: promql_parser.SubqueryExpr, compat: int, depth: int) -> Subquery:
    return Subquery(
        node,
        build(node.expr, compat, depth + 1),
        at_time(node, node.at),
        ms(node.offset),
        ms(node.range),
        ms(node.step),
    )


def vector_sel(node: promql_parser.VectorSelector, compat: int) -> VectorSel:
    found = []
    for m in node.matchers.matchers:
        op = _MATCH_OPS[str(m.op)]
        # Prometheus 3 lets `.` match a newline in label matchers; 2.42 (Go's RE2 default) does not.
        value = f"(?s:{m.value})" if compat >= 3 and op in ("=~", "!~") else m.value
        found.append(Matcher(m.name, op, value))
    if node.name is not None:
        found.insert(0, Matcher(NAME, "=", node.name))
    return VectorSel(selector(tuple(found)), at_time(node, node.at), ms(node.offset))


def at_time(node: promql_parser.Expr, modifier: promql_parser.AtModifier | None) -> At:
    if modifier is None:
        return None
    kind = str(modifier.type)
    if kind.endswith(".Start"):
        return "start"
    if kind.endswith(".End"):
        return "end"
    # The node's own `@` is the last in its debug text (a subquery prints its expression first).
    seconds, nanos = _AT_TIME.findall(repr(node))[-1]
    return (int(seconds) * 1_000_000_000 + int(nanos) + 500_000) // 1_000_000


def matching(modifier: promql_parser.BinModifier | None, *, set_operator: bool) -> Matching:
    if modifier is None or not hasattr(modifier, "card"):
        return Matching("many-to-many" if set_operator else "one-to-one", on=False, labels=())
    labels: tuple[str, ...] = ()
    on = False
    if modifier.matching is not None:
        labels = tuple(modifier.matching.labels)
        on = str(modifier.matching.type).endswith("Include")
    return Matching(_CARDINALITY[str(modifier.card)], on, labels, tuple(modifier.group_labels or ()))
