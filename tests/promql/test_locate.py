from __future__ import annotations

from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmlint.promql.lexer import tokenize
from mmlint.promql.locate import (
    aggregation_offsets,
    call_offsets,
    error_offset,
    matcher_offsets,
    selector_offsets,
)

# Each case: an expression promql_parser rejects and where its error should be reported. The message is
# promql_parser's own; the comment in test_error_offset shows it with a caret when a case fails.
ERRORS = [
    pytest.param("sum(rate(foo[5m])", 3, id="unclosed-paren-innermost"),
    pytest.param("rate(foo[5m]))", 13, id="stray-right-paren"),
    pytest.param('up{job="a" + 1', 11, id="unclosed-brace"),
    pytest.param('up{job="a"}}', 11, id="stray-right-brace"),
    pytest.param("rate(foo[5m)", 11, id="unclosed-bracket"),
    pytest.param("foo] + 1", 3, id="stray-right-bracket"),
    pytest.param('up{job="a}', 7, id="unterminated-string"),
    pytest.param('up{job=~"a\\d"}', 10, id="bad-escape"),
    pytest.param("up $ 1", 3, id="bad-character"),
    pytest.param("up ! 1", 3, id="bang-outside-braces"),
    pytest.param('up =~ "a"', 3, id="regex-op-outside-braces"),
    pytest.param("up + 5x", 5, id="bad-number"),
    pytest.param("up > 1_000", 5, id="underscore-number"),
    pytest.param("rate(up[5x])", 8, id="bad-duration-in-range"),
    pytest.param("up[5m:1m:]", 8, id="second-colon"),
    pytest.param("up[:1m]", 3, id="colon-first"),
    pytest.param("up > 1e", 5, id="bad-float"),
    pytest.param("rate(up[1.5m])", 8, id="invalid-duration-string"),
    pytest.param("rate(up[0s])", 8, id="zero-duration"),
    pytest.param("sum(up) up", 8, id="two-operands-in-a-row"),
    pytest.param("up 1", 3, id="number-after-operand"),
    pytest.param("sum(rate(up[5m])) by (job) /", 27, id="operator-at-end"),
    pytest.param("(* up)", 1, id="binary-after-paren"),
    pytest.param("clamp(up, / 1, 2)", 10, id="binary-after-comma"),
    pytest.param("() + up", 1, id="empty-parens"),
    pytest.param("up + on", 5, id="keyword-as-operand"),
    pytest.param("a * group_left(b) c", 4, id="group-left-without-on"),
    pytest.param("sum by job (up)", 7, id="grouping-without-parens"),
    pytest.param("sum by (a) (up) by (b)", 16, id="grouping-after-both"),
    pytest.param("up{job}", 3, id="label-without-operator"),
    pytest.param("up{job=a}", 7, id="identifier-as-label-value"),
    pytest.param('up{job=="a"}', 7, id="two-match-operators"),
    pytest.param("up{,}", 3, id="comma-first-in-braces"),
    pytest.param('up{a="1" b="2"}', 9, id="missing-comma-in-braces"),
    pytest.param("up = 1", 3, id="equals-outside-braces"),
    pytest.param("up offset", 3, id="offset-at-end"),
    pytest.param("up offset foo", 10, id="offset-without-duration"),
    pytest.param("up @", 3, id="at-at-end"),
    pytest.param("up @ foo()", 5, id="at-bad-preprocessor"),
    pytest.param("rate(up[])", 7, id="empty-range"),
    pytest.param("clamp(up, 0, )", 11, id="trailing-comma"),
    pytest.param("sum(rates(up[5m]))", 4, id="unknown-function"),
    pytest.param("1 + histogram_quantile(up)", 4, id="wrong-arity"),
    pytest.param('label_join(up, "a", ",", "b") + round(up, 1, 2)', 32, id="too-many-args"),
    pytest.param("rate(up[5m]) + rate(up)", 15, id="wrong-arg-type"),
    pytest.param("abs(rate(irate(up)[5m:]))", 9, id="wrong-arg-type-nested"),
    pytest.param("sum(up) + topk(up)", 10, id="aggregation-arity"),
    pytest.param("count_values(1, up)", 0, id="aggregation-param-type"),
    pytest.param('up + "a"', 3, id="binary-string-operand"),
    pytest.param("1 + 2 * up[5m]", 6, id="binary-matrix-operand"),
    pytest.param("up and 1", 3, id="set-operator-on-scalars"),
    pytest.param("up > 1 and 1 > 2", 13, id="comparison-of-scalars"),
    pytest.param("up + bool 1", 5, id="bool-on-arithmetic"),
    pytest.param("up + on(job) 1", 5, id="matching-with-scalar"),
    pytest.param("up and on(job) group_left up", 15, id="grouping-on-set-operator"),
    pytest.param("up + on(job) group_left(job) up", 13, id="label-in-on-and-group"),
    pytest.param("up + fill(1) fill(2) up", 17, id="fill-twice"),
    pytest.param('1 + -"a"', 4, id="unary-on-string"),
    pytest.param("-up[5m]", 0, id="unary-on-matrix"),
    pytest.param("sum(up) offset 5m", 8, id="offset-on-aggregation"),
    pytest.param("up offset 5m offset 1h", 13, id="offset-twice"),
    pytest.param("abs(up) @ 100", 8, id="at-on-call"),
    pytest.param("up @ 100 @ 200", 9, id="at-twice"),
    pytest.param("up @ 1e400", 3, id="at-out-of-bounds"),
    pytest.param("up offset 5m [5m]", 3, id="offset-before-range"),
    pytest.param("up @ 10 [5m]", 3, id="at-before-range"),
    pytest.param("abs(up)[5m]", 7, id="range-on-call"),
    pytest.param("up[5m][10m:]", 6, id="subquery-on-matrix"),
    pytest.param("1[5m:]", 1, id="subquery-on-scalar"),
    pytest.param("up + {}", 5, id="empty-selector"),
    pytest.param('{job=~".*"}', 0, id="selector-of-empty-matchers"),
    pytest.param('up{job="a", __name__="up"}', 12, id="metric-name-twice"),
    pytest.param('up{job=~"a", instance=~"("}', 23, id="illegal-regex"),
    pytest.param('up{job="a\nb"}', 7, id="invalid-string"),
    pytest.param("# just a comment", 0, id="no-expression"),
    pytest.param("sum by (a:b) (up)", 8, id="grouping-label-with-colon"),
]


@pytest.mark.parametrize(("text", "offset"), ERRORS)
def test_error_offset(text: str, offset: int) -> None:
    with pytest.raises(ValueError) as raised:
        promql_parser.parse(text)
    found = error_offset(text, str(raised.value))
    assert found == offset, f"{raised.value}\n{text}\n{' ' * found}^ found\n{' ' * offset}^ expected"


def test_error_offset_without_a_better_place_is_the_first_token() -> None:
    assert error_offset("  up", "some message promql_parser never gives") == 2
    assert error_offset("", "no expression found in input") == 0


def test_error_offset_never_points_past_the_end() -> None:
    for text in ["(", "up +", "up offset", "#", "x{"]:
        with pytest.raises(ValueError) as raised:
            promql_parser.parse(text)
        assert 0 <= error_offset(text, str(raised.value)) < len(text)


def walked(expr: promql_parser.Expr, kind: type[Any]) -> list[Any]:
    found: list[Any] = []

    def visit(node: promql_parser.Expr) -> None:
        if isinstance(node, kind):
            found.append(node)

    promql_parser.walk(expr, visit)
    return found


OFFSETS = [
    pytest.param("up", [0], [], [], [[]], id="bare-selector"),
    pytest.param('{__name__="up", job="a"}', [0], [], [], [[1, 16]], id="nameless-selector-at-brace"),
    pytest.param('{"up", "job"="a"}', [0], [], [], [[1, 7]], id="quoted-name-is-a-matcher"),
    pytest.param('up{job="a", "x.y"!~"b"}', [0], [], [], [[3, 12]], id="matchers-in-text-order"),
    pytest.param('up{job="a" or env="b"}', [0], [], [], [[]], id="or-groups-leave-matchers-empty"),
    pytest.param("rate(up[5m])", [5], [0], [], [[]], id="matrix-selector-visited-too"),
    pytest.param("sum by (job) (rate(a[5m])) / on(job) b", [19, 37], [14], [0], [[], []], id="nested"),
    pytest.param("topk(3, sum(a) without (x))", [12], [], [0, 8], [[]], id="aggregations-pre-order"),
    pytest.param("abs(-sum(a)) offset", [9], [0], [5], [[]], id="invalid-text-gives-what-precedes-the-fault"),
    pytest.param("sum + count", [0, 6], [], [], [[], []], id="aggregator-words-as-metric-names"),
    pytest.param("foo @ start() + time()", [0], [16], [], [[]], id="at-start-is-no-call"),
    pytest.param("x[5m:1m] offset 1m # sum(y)\n", [0], [], [], [[]], id="comment-ignored"),
]


@pytest.mark.parametrize(("text", "selectors", "calls", "aggregations", "matchers"), OFFSETS)
def test_offsets(
    text: str, selectors: list[int], calls: list[int], aggregations: list[int], matchers: list[list[int]]
) -> None:
    assert selector_offsets(text) == selectors
    assert call_offsets(text) == calls
    assert aggregation_offsets(text) == aggregations
    assert matcher_offsets(text)[: len(matchers)] == matchers


def check_offsets(text: str) -> None:
    """The offsets name the nodes promql_parser.walk visits, one for one and in the same order."""
    expr = promql_parser.parse(text)
    selectors = walked(expr, promql_parser.VectorSelector)
    starts, matchers = selector_offsets(text), matcher_offsets(text)
    assert len(starts) == len(selectors) == len(matchers), text
    for selector, start, matcher_starts in zip(selectors, starts, matchers, strict=True):
        assert text.startswith(selector.name or "{", start), (text, start)
        assert len(matcher_starts) == len(selector.matchers.matchers), (text, start)
        for matcher, offset in zip(selector.matchers.matchers, matcher_starts, strict=True):
            quoted = text[offset] in "\"'`"  # a quoted label name, or alone the quoted metric name
            assert text.startswith(matcher.name, offset + quoted) or (
                quoted and matcher.name == "__name__" and text.startswith(matcher.value, offset + 1)
            ), (text, offset)
    calls = walked(expr, promql_parser.Call)
    call_starts = call_offsets(text)
    assert len(call_starts) == len(calls), text
    for call, start in zip(calls, call_starts, strict=True):
        assert text.startswith(call.func.name, start), (text, start)
    aggregations = walked(expr, promql_parser.AggregateExpr)
    aggregation_starts = aggregation_offsets(text)
    assert len(aggregation_starts) == len(aggregations), text
    for aggregation, start in zip(aggregations, aggregation_starts, strict=True):
        assert text[start:].lower().startswith(str(aggregation.op)), (text, start)


# A grammar of valid PromQL, by value type. Spaces may be anything PromQL skips, comments included, except
# inside brackets; a word next to a word always gets one.
SPACE = st.sampled_from(["", "", " ", "  ", "\n", "\t", " # note\n", "\n  ", "\r\n"])
GAP = st.sampled_from([" ", "\n", "\t ", " # note\n"])
NAMES = ["up", "http_requests_total", "job:up:rate5m", "_x1", "sum", "by", "offset", "start", "Inf_x", "fill"]
LABELS = ["job", "instance", "le", "or", "by", "_a1", '"a.b"', "'x-y'"]
VALUES = ['"a"', "'a|b'", '".+"', "`prod`", '""', '"é"', r'"\\d+"']
DURATIONS = ["5m", "1h30m", "30s", "1d", "2w", "500ms", "1y", "90"]
NUMBERS = ["1", "0.5", "1e3", "0x1F", "Inf", "NaN", ".5", "5.", "1E-2", "1h"]
ARITHMETIC = ["+", "-", "*", "/", "%", "^", "atan2"]
COMPARISON = ["==", "!=", "<", "<=", ">", ">="]
# name:argument types (v vector, m matrix, s scalar, t string); a `*` repeats the type before it 0-2 times.
SIGNATURES = "abs:v ceil:v sqrt:v sort_desc:v absent:v timestamp:v round:vs clamp:vss clamp_min:vs hour:"
SIGNATURES += " histogram_quantile:sv label_replace:vtttt label_join:vttt* rate:m irate:m increase:m delta:m"
SIGNATURES += " changes:m max_over_time:m quantile_over_time:sm predict_linear:ms absent_over_time:m vector:s"
SIGNATURES += " day_of_week:v sort_by_label:vt"
FUNCTIONS = dict(signature.split(":") for signature in SIGNATURES.split())
AGGREGATIONS = {"sum": "", "avg": "", "count": "", "max": "", "group": "", "stddev": "", "topk": "s"}
AGGREGATIONS |= {"bottomk": "s", "quantile": "s", "count_values": "t", "limitk": "s", "limit_ratio": "s"}


def words(draw: st.DrawFn, *parts: str) -> str:
    """Join `parts` with random skippable space, a gap where two words would otherwise merge."""
    text = parts[0]
    for part in parts[1:]:
        merge = (text[-1:].isalnum() or text[-1:] in "_:.") and (part[:1].isalnum() or part[:1] in "_:.")
        text += draw(GAP if merge else SPACE) + part
    return text


@st.composite
def grouping(
    draw: st.DrawFn, keyword: str, pool: tuple[str, ...] = ("job", "le", "on", "sum", '"a.b"')
) -> str:
    """A label list; group_left's and on's must be disjoint, so group_left draws from another pool."""
    labels = draw(st.lists(st.sampled_from(pool), max_size=3))
    return words(draw, draw(st.sampled_from([keyword, keyword.upper()])), "(", ", ".join(labels), ")")


@st.composite
def selector(draw: st.DrawFn) -> str:
    """A name, a name with matchers, or matchers alone (then one of them names the metric)."""
    name = draw(st.sampled_from([*NAMES, ""]))
    ops, labels, values = (st.sampled_from(choices) for choices in (["=", "!=", "=~", "!~"], LABELS, VALUES))
    matchers = [draw(labels) + draw(ops) + draw(values) for _ in range(draw(st.integers(0, 3)))]
    if not name:
        matchers.insert(draw(st.integers(0, len(matchers))), draw(st.sampled_from(['"up"', '__name__="up"'])))
    if name and not matchers and draw(st.booleans()):
        return name
    separator = " or " if name and len(matchers) > 1 and draw(st.booleans()) else ", "
    trailer = draw(st.sampled_from(["", ","])) if matchers and separator == ", " else ""
    return words(draw, name or "{", *(["{"] if name else []), separator.join(matchers) + trailer, "}")


@st.composite
def modifiers(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(
            words(
                draw,
                draw(st.sampled_from(["offset", "OFFSET"])),
                draw(st.sampled_from(["", "-"])) + draw(st.sampled_from(DURATIONS)),
            )
        )
    if draw(st.booleans()):
        parts.append(words(draw, "@", draw(st.sampled_from(["1609746000", "start()", "end()", "-5", "1e3"]))))
    draw(st.randoms()).shuffle(parts)
    return words(draw, "", *parts) if parts else ""


def bracket(draw: st.DrawFn, subquery: bool) -> str:
    space = st.sampled_from(["", " "])
    step = draw(st.sampled_from(["", *DURATIONS])) if subquery else None
    inner = draw(st.sampled_from(DURATIONS)) + ("" if step is None else f"{draw(space)}:{draw(space)}{step}")
    return f"{draw(space)}[{draw(space)}{inner}{draw(space)}]"


@st.composite
def expression(draw: st.DrawFn, kind: str, depth: int) -> str:
    """An expression of value type `kind` (v, m, s, t) nested at most `depth` deep."""
    return draw(loose_expression(kind, depth))[0]


def tight(expr: tuple[str, bool]) -> str:
    """The expression text, in parentheses when an operator at its top could bind to a neighbour instead."""
    return f"({expr[0]})" if expr[1] else expr[0]


@st.composite
def loose_expression(draw: st.DrawFn, kind: str, depth: int) -> tuple[str, bool]:
    """An expression and whether an operator at its top (binary or unary) needs parentheses to keep it."""
    if kind == "t":
        return draw(st.sampled_from(['"le"', "'a'", "`x`", '"$1"'])), False
    if kind == "m":
        if depth and draw(st.booleans()):
            inner = tight(draw(loose_expression("v", depth - 1)))
            return words(draw, inner + bracket(draw, True), draw(modifiers())), False
        return words(draw, draw(selector()) + bracket(draw, False), draw(modifiers())), False
    shapes = ["leaf"] + ["call", "binary", "paren", "unary"] * bool(depth)
    shape = draw(st.sampled_from(shapes + ["aggregation"] * (kind == "v" and bool(depth))))
    if shape == "leaf" and kind == "s":
        return draw(st.sampled_from([*NUMBERS, "time()", "pi()"])), False
    if shape == "leaf":
        return words(draw, draw(selector()), draw(modifiers())), False
    if shape == "paren":
        return words(draw, "(", draw(expression(kind, depth - 1)), ")"), False
    if shape == "unary":
        return words(
            draw, draw(st.sampled_from(["-", "+"])), tight(draw(loose_expression(kind, depth - 1)))
        ), True
    if shape == "call" and kind == "s":
        return words(draw, "scalar", "(", draw(expression("v", depth - 1)), ")"), False
    if shape == "call":
        name = draw(st.sampled_from(sorted(FUNCTIONS)))
        types = FUNCTIONS[name].replace("*", FUNCTIONS[name][-2:-1] * draw(st.integers(0, 2)))
        arguments = [draw(expression(t, depth - 1)) for t in types]
        return words(draw, name, "(", *[p for a in arguments for p in (a, ",")][:-1], ")"), False
    if shape == "aggregation":
        operator = draw(st.sampled_from(sorted(AGGREGATIONS)))
        arguments = [draw(expression(t, depth - 1)) for t in AGGREGATIONS[operator] + "v"]
        body = words(draw, "(", *[p for a in arguments for p in (a, ",")][:-1], ")")
        group = draw(grouping(draw(st.sampled_from(["by", "without"]))))
        where = draw(st.sampled_from(["none", "before", "after"]))
        operator = draw(st.sampled_from([operator, operator.upper()]))
        parts = {"none": [operator, body], "before": [operator, group, body]}.get(
            where, [operator, body, group]
        )
        return words(draw, *parts), False
    # A binary expression: both sides scalar for a scalar; set operators, matching only between vectors.
    sides = "ss" if kind == "s" else draw(st.sampled_from(["vv", "vs", "sv"]))
    lhs, rhs = (tight(draw(loose_expression(side, depth - 1))) for side in sides)
    operator = draw(st.sampled_from(ARITHMETIC + COMPARISON + ["and", "or", "unless"] * (sides == "vv")))
    parts = [operator]
    if operator in COMPARISON and (kind == "s" or draw(st.booleans())):
        parts.append("bool")
    if sides == "vv" and draw(st.booleans()):
        parts.append(draw(grouping(draw(st.sampled_from(["on", "ignoring"])))))
        if operator not in ("and", "or", "unless") and draw(st.booleans()):
            parts.append(draw(st.sampled_from(["group_left", "group_right"])))
            if rhs.startswith("(") or draw(st.booleans()):  # else the `(` would open the label list
                parts.append(draw(grouping("", ("instance", "bool", "'x-y'"))).lstrip())
    if sides == "vv" and operator not in ("and", "or", "unless") and draw(st.booleans()):
        # Only white space may come between `fill` and its `(`: else `fill` is a metric name.
        parts.append(
            words(
                draw,
                "fill" + draw(st.sampled_from(["", " "])) + "(",
                draw(st.sampled_from(["0", "-1", "+2.5"])),
                ")",
            )
        )
    return words(draw, lhs, *parts, rhs), True


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expression("v", 4) | expression("s", 3) | expression("m", 2))
def test_offsets_match_walk_on_generated_expressions(text: str) -> None:
    check_offsets(text)


DAMAGE = '( ) { } [5m] [1m:] , + * by(a) offset.5m 5m "a" sum( @.5 on(a) bool = group_left {a=""} - and >.1'
PIECES = [piece.replace(".", " ") for piece in DAMAGE.split()] + ["x", "1_0", "'", "$", "rate("]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_error_offset_is_a_token_start_for_any_damage(data: st.DataObject) -> None:
    """Cut and splice valid expressions: every error is placed at the start of a token of the text."""
    text = data.draw(expression("v", 3))
    at = data.draw(st.integers(0, len(text)))
    damaged = text[:at] + data.draw(st.sampled_from(PIECES)) + text[at + data.draw(st.integers(0, 5)) :]
    try:
        promql_parser.parse(damaged)
    except ValueError as error:
        offset = error_offset(damaged, str(error))
        assert offset in {t.start for t in tokenize(damaged)}, (damaged, str(error), offset)


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def corpus_exprs() -> list[str]:
    """Every `expr:` in the corpus's rule files: groups[].rules[], and spec.groups[].rules[] of a manifest."""
    exprs = []
    for root in ("promtool-tests", "rules-lint-only"):
        for path in sorted((CORPUS / root).rglob("*.y*ml")):
            try:
                document = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError:
                continue  # a multi-document manifest or a template: not a rule file
            if not isinstance(document, dict):
                continue
            spec = document.get("spec")
            groups = document.get("groups") or (spec.get("groups") if isinstance(spec, dict) else None)
            for group in groups if isinstance(groups, list) else []:
                for rule in group.get("rules") or [] if isinstance(group, dict) else []:
                    if isinstance(rule, dict) and isinstance(rule.get("expr"), str):
                        exprs.append(rule["expr"])
    return exprs


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the project")
def test_offsets_match_walk_on_the_corpus() -> None:
    exprs = corpus_exprs()
    parsed = []
    for text in exprs:
        try:
            promql_parser.parse(text)
        except ValueError:
            continue
        parsed.append(text)
    for text in parsed:
        check_offsets(text)
    # The corpus is fixed: these counts change only when it does.
    assert (len(exprs), len(parsed)) == (22140, 22136)
