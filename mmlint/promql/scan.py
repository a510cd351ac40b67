"""The grammar scan behind mmlint.promql.locate: PromQL tokens (mmlint.promql.lexer) into AST nodes as
token indexes.

promql_parser's errors and AST nodes carry no position. This scan follows PromQL's grammar (Prometheus's
generated_parser.y, as promql_parser's promql.y restates it) just far enough to know every node's tokens:
where a selector, call or aggregation starts, which tokens a binary operator joins, and the first token at
which the text stops being a valid PromQL prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mmlint.promql.lexer import Kind, Token

_BINARY = {"or": 1, "and": 2, "unless": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3, "+": 4, "-": 4}
_BINARY |= {"*": 5, "/": 5, "%": 5, "atan2": 5, "^": 6}
# Keywords Prometheus's grammar accepts as a metric name (metric_identifier); aggregators are too.
_NAME_KEYWORDS = {"by", "without", "and", "or", "unless", "offset", "start", "end"}
_NAME_KEYWORDS |= {"fill", "fill_left", "fill_right"}
_NAMES = (Kind.IDENTIFIER, Kind.METRIC_IDENTIFIER, Kind.AGGREGATOR)
MATCH_OPS = frozenset({"=", "!=", "=~", "!~"})
_P, _K, _O, TIME_KINDS = Kind.PUNCTUATION, Kind.KEYWORD, Kind.OPERATOR, (Kind.NUMBER, Kind.DURATION)
_LABELS = (Kind.IDENTIFIER, Kind.KEYWORD, Kind.AGGREGATOR, Kind.STRING)  # maybe_label or STRING
_OTHER_FILL = {"fill_left": ("fill_right",), "fill_right": ("fill_left",)}


@dataclass(frozen=True, slots=True)
class Node:
    """An AST node as token indexes: `anchor` names it (see the module docstring), `first`..`last` span it.

    `marks` are further tokens: a selector's matcher label names (none when promql_parser keeps them in
    or-groups), a binary operator's `bool`/`on`/`ignoring`/`group_*` keywords, and the `offset`/`@`
    keywords written before a range.
    """

    kind: str  # selector call aggregation paren binary unary range subquery offset at number string
    anchor: int
    first: int
    last: int
    marks: tuple[int, ...] = ()


@dataclass
class _Operand:
    first: int
    last: int
    modifiers: list[int] = field(default_factory=list)  # offset and @ keywords since the last range


@dataclass
class _Frame:
    """An expression being read: the whole text, a parenthesis, or a call's or aggregation's argument."""

    kind: str  # top paren call aggregation
    anchor: int  # the `(`, the function name or the aggregation operator
    open: int = -1  # the `(`
    grouped: bool = False  # an aggregation with by/without before its arguments
    operands: list[_Operand] = field(default_factory=list)
    operators: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)  # operator and its marks
    unary: list[int] = field(default_factory=list)


class Scan:
    """One pass over the significant tokens, with an explicit stack (no recursion limit to hit).

    `stop` is the first token that cannot continue the text (len(tokens) when the text ends too early),
    None when the text is a complete expression.
    """

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = [t for t in tokens if t.kind is not Kind.COMMENT]
        self.nodes: list[Node] = []
        self.stop: int | None = None
        self.i = 0
        self._run()

    def _is(self, k: int, kinds: Kind | tuple[Kind, ...], *texts: str) -> bool:
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        if k >= len(self.tokens) or self.tokens[k].kind not in kinds:
            return False
        return not texts or self.tokens[k].text.lower() in texts

    def _accept(self, kinds: Kind | tuple[Kind, ...], *texts: str) -> bool:
        if self._is(self.i, kinds, *texts):
            self.i += 1
            return True
        return False

    def _fail(self) -> bool:
        self.stop = self.i
        return False

    def _expect(self, kinds: Kind | tuple[Kind, ...], *texts: str) -> bool:
        return self._accept(kinds, *texts) or self._fail()

    def _run(self) -> None:
        frames = [_Frame("top", -1)]
        current: _Operand | None = None
        while self.stop is None:
            frame, i = frames[-1], self.i
            if current is None:
                current = self._operand(frames)
            elif self._is(i, _P, "[", "@") or self._is(i, _K, "offset"):
                self._postfix(current)
            elif self._is(i, (_O, _K), *_BINARY):
                self._push_operand(frame, current)
                self._push_operator(frame, i)
                current = None
            elif self._is(i, _P, ",") and frame.kind in ("call", "aggregation"):
                self._push_operand(frame, current)
                self._reduce(frame, 0)
                frame.operands.clear()
                current, self.i = None, i + 1
            elif self._is(i, _P, ")") and frame.kind != "top":
                self._push_operand(frame, current)
                current = self._close(frames.pop())
            elif i == len(self.tokens) and frame.kind == "top":
                self._push_operand(frame, current)
                self._reduce(frame, 0)
                return
            else:
                self._fail()

    def _operand(self, frames: list[_Frame]) -> _Operand | None:
        """The operand at the current token; None after a unary sign or an opening (or at a fault)."""
        frame, i = frames[-1], self.i
        kind = self.tokens[i].kind if i < len(self.tokens) else None
        if self._accept(_O, "+", "-"):
            frame.unary.append(i)
        elif self._accept(_P, "("):
            frames.append(_Frame("paren", i, open=i))
        elif self._is(i, _P, ")") and frame.kind in ("call", "aggregation") and i == frame.open + 1:
            return self._close(frames.pop())
        elif kind in (Kind.NUMBER, Kind.DURATION, Kind.STRING):
            self.nodes.append(Node("string" if kind is Kind.STRING else "number", i, i, i))
            self.i += 1
            return _Operand(i, i)
        elif kind is Kind.AGGREGATOR and (self._is(i + 1, _P, "(") or self._is(i + 1, _K, "by", "without")):
            self.i += 1
            grouped = self._accept(_K, "by", "without")
            if (not grouped or self._grouping()) and self._expect(_P, "("):
                frames.append(_Frame("aggregation", i, open=self.i - 1, grouped=grouped))
        elif kind is Kind.IDENTIFIER and self._is(i + 1, _P, "("):
            frames.append(_Frame("call", i, open=i + 1))
            self.i += 2
        elif kind in _NAMES or self._is(i, _K, *_NAME_KEYWORDS):
            self.i += 1
            if self._is(self.i, _P, "{"):
                return self._selector(i)
            self.nodes.append(Node("selector", i, i, i))
            return _Operand(i, i)
        elif self._is(i, _P, "{"):
            return self._selector(i)
        else:
            self._fail()
        return None

    def _selector(self, anchor: int) -> _Operand | None:
        """The label matchers `{...}` at the current token: Prometheus's label_matchers, plus `or`."""
        self.i += 1
        labels: list[int] = []
        grouped = False
        while not self._accept(_P, "}"):
            labels.append(self.i)
            if self._accept(Kind.STRING):  # a quoted label name, or alone the metric name
                valid = not self._accept(_O, *MATCH_OPS) or self._expect(Kind.STRING)
            else:
                valid = self._expect(Kind.IDENTIFIER) and self._expect(_O, *MATCH_OPS)
            if not valid or not (self._is(self.i - 1, Kind.STRING) or self._expect(Kind.STRING)):
                return None
            if self._accept(_K, "or"):
                grouped = True
            elif not self._accept(_P, ",") and not self._is(self.i, _P, "}"):
                self._fail()
                return None
        self.nodes.append(Node("selector", anchor, anchor, self.i - 1, () if grouped else tuple(labels)))
        return _Operand(anchor, self.i - 1)

    def _grouping(self) -> bool:
        """`( label, ... )` after by, without, on, ignoring, group_left, group_right."""
        if not self._expect(_P, "("):
            return False
        while not self._accept(_P, ")"):
            if not self._expect(_LABELS) or not (self._accept(_P, ",") or self._is(self.i, _P, ")")):
                return self._fail()
        return True

    def _postfix(self, operand: _Operand) -> None:
        """A range, subquery, offset or @ modifier after `operand`."""
        first = self.i
        self.i += 1
        if self._is(first, _P, "["):
            kind = "range"
            if not self._expect(TIME_KINDS):
                return
            if self._accept(_P, ":"):
                kind = "subquery"
                self._accept(TIME_KINDS)
            if self._expect(_P, "]"):
                marks = tuple(operand.modifiers) if kind == "range" else ()
                self.nodes.append(Node(kind, first, operand.first, self.i - 1, marks))
                operand.last, operand.modifiers = self.i - 1, []
            return
        if self._is(first, _P, "@") and self._accept(_K, "start", "end"):
            valid = self._expect(_P, "(") and self._expect(_P, ")")
        else:
            valid = (self._accept(_O, "+", "-") or True) and self._expect(TIME_KINDS)
        if valid:
            kind = "offset" if self._is(first, _K, "offset") else "at"
            self.nodes.append(Node(kind, first, operand.first, self.i - 1))
            operand.last = self.i - 1
            operand.modifiers.append(first)

    def _push_operand(self, frame: _Frame, operand: _Operand) -> None:
        for sign in reversed(frame.unary):
            self.nodes.append(Node("unary", sign, sign, operand.last))
            operand = _Operand(sign, operand.last)
        frame.unary.clear()
        frame.operands.append(operand)

    def _push_operator(self, frame: _Frame, operator: int) -> None:
        """Shift a binary operator, first reducing what binds at least as tight (`^` binds to the right)."""
        text = self.tokens[operator].text.lower()
        self._reduce(frame, _BINARY[text] + (text != "^"))
        self.i = operator + 1
        frame.operators.append((operator, self._bin_modifiers()))

    def _bin_modifiers(self) -> tuple[int, ...]:
        """bool, on/ignoring (labels), group_left/group_right [(labels)], fill(n): the bin_modifier rule."""
        marks: list[int] = []
        if self._accept(_K, "bool"):
            marks.append(self.i - 1)
        if self._accept(_K, "on", "ignoring"):
            marks.append(self.i - 1)
            if not self._grouping():
                return ()
            if self._accept(_K, "group_left", "group_right"):
                marks.append(self.i - 1)
                if self._is(self.i, _P, "(") and not self._grouping():
                    return ()
        elif self._is(self.i, _K, "group_left", "group_right"):
            self._fail()  # "unexpected <group_left>": grouping needs on() or ignoring() first
            return ()
        # fill(n) alone, or fill_left(n) and fill_right(n) in either order.
        fills: tuple[str, ...] = ("fill", "fill_left", "fill_right")
        while fills and self._accept(_K, *fills):
            fills = _OTHER_FILL.get(self.tokens[self.i - 1].text.lower(), ())
            if not self._expect(_P, "(") or not (self._accept(_O, "+", "-") or True):
                return ()
            if not (self._expect(Kind.NUMBER) and self._expect(_P, ")")):
                return ()
        return tuple(marks)

    def _reduce(self, frame: _Frame, precedence: int) -> None:
        """Join operands by the stacked operators that bind at least as tight as `precedence`."""
        while frame.operators and _BINARY[self.tokens[frame.operators[-1][0]].text.lower()] >= precedence:
            operator, marks = frame.operators.pop()
            rhs, lhs = frame.operands.pop(), frame.operands.pop()
            self.nodes.append(Node("binary", operator, lhs.first, rhs.last, marks))
            frame.operands.append(_Operand(lhs.first, rhs.last))

    def _close(self, frame: _Frame) -> _Operand | None:
        """The operand a `)` completes: the parenthesised expression, the call or the aggregation."""
        self._reduce(frame, 0)
        self.i += 1
        last = self.i - 1
        if frame.kind == "aggregation" and not frame.grouped and self._accept(_K, "by", "without"):
            if not self._grouping():
                return None
            last = self.i - 1
        self.nodes.append(Node(frame.kind, frame.anchor, frame.anchor, last))
        return _Operand(frame.anchor, last)
