"""Offsets into a PromQL expression for what promql_parser reports without one.

promql_parser's errors and AST nodes carry no position. A small scan over the tokens (mmlint.promql.lexer)
follows PromQL's grammar (Prometheus's generated_parser.y, as promql_parser's promql.y restates it) just
far enough to know every node's tokens: where a selector, call or aggregation starts, which tokens a
binary operator joins, and the first token at which the text stops being a valid PromQL prefix.

Node offsets come in the order `promql_parser.walk` visits the nodes. Walk visits pre-order, children in
text order, and a node's name comes before its children in the text (a call's name before its arguments,
an aggregation's operator before its parameter and expression), so that order is the text order.

An error message is mapped to an offset by its class:
- a lexical error is reported at the lexer's error token: the offending character, the unclosed `(`, `{`
  or `[` (the opener tells which bracket lacks its closer), a stray closer, the start of a bad string;
- "invalid promql query" and the other grammar errors at the first token that cannot continue a valid
  expression; when the text just ends too early (`foo +`, `foo offset`), at its last token, the dangling one;
- a type, arity or modifier error at the smallest node that, parsed alone by promql_parser, fails with
  the same message, anchored on the node's name: the function name, the aggregation operator, the binary
  operator (its `bool`, `on`/`ignoring` or `group_left`/`group_right` keyword when the message is about
  that), the `offset` or `@` keyword (also for "no offset modifiers allowed before range"), the `[` of a
  range or subquery, the selector's name or `{`, the `__name__` matcher of a twice-named selector;
- an error about one literal (a regex, a string, a number or duration) at the token that reproduces it.
Nothing better found, the first token (offset 0 for an empty text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import promql_parser

from mmlint.promql.lexer import Kind, Token, tokenize

_BINARY = {"or": 1, "and": 2, "unless": 2, "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3, "+": 4, "-": 4}
_BINARY |= {"*": 5, "/": 5, "%": 5, "atan2": 5, "^": 6}
# Keywords Prometheus's grammar accepts as a metric name (metric_identifier); aggregators are too.
_NAME_KEYWORDS = {"by", "without", "and", "or", "unless", "offset", "start", "end"}
_NAME_KEYWORDS |= {"fill", "fill_left", "fill_right"}
_NAMES = (Kind.IDENTIFIER, Kind.METRIC_IDENTIFIER, Kind.AGGREGATOR)
_MATCH_OPS = frozenset({"=", "!=", "=~", "!~"})
_P, _K, _O, _TIME = Kind.PUNCTUATION, Kind.KEYWORD, Kind.OPERATOR, (Kind.NUMBER, Kind.DURATION)
_LABELS = (Kind.IDENTIFIER, Kind.KEYWORD, Kind.AGGREGATOR, Kind.STRING)  # maybe_label or STRING
_OTHER_FILL = {"fill_left": ("fill_right",), "fill_right": ("fill_left",)}
_MAX_PROBES = 200


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


class _Scan:
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
                valid = not self._accept(_O, *_MATCH_OPS) or self._expect(Kind.STRING)
            else:
                valid = self._expect(Kind.IDENTIFIER) and self._expect(_O, *_MATCH_OPS)
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
            if not self._expect(_TIME):
                return
            if self._accept(_P, ":"):
                kind = "subquery"
                self._accept(_TIME)
            if self._expect(_P, "]"):
                marks = tuple(operand.modifiers) if kind == "range" else ()
                self.nodes.append(Node(kind, first, operand.first, self.i - 1, marks))
                operand.last, operand.modifiers = self.i - 1, []
            return
        if self._is(first, _P, "@") and self._accept(_K, "start", "end"):
            valid = self._expect(_P, "(") and self._expect(_P, ")")
        else:
            valid = (self._accept(_O, "+", "-") or True) and self._expect(_TIME)
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


def _anchors(text: str, kind: str) -> tuple[list[Token], list[Node]]:
    """The significant tokens and the nodes of `kind` in text order, which is `promql_parser.walk` order."""
    scan = _Scan(tokenize(text))
    return scan.tokens, sorted((n for n in scan.nodes if n.kind == kind), key=lambda n: n.anchor)


def selector_offsets(text: str) -> list[int]:
    """Where each VectorSelector starts (its name, or `{` without one), in `promql_parser.walk` order."""
    tokens, nodes = _anchors(text, "selector")
    return [tokens[n.anchor].start for n in nodes]


def call_offsets(text: str) -> list[int]:
    """Where each Call's function name starts, in `promql_parser.walk` order."""
    tokens, nodes = _anchors(text, "call")
    return [tokens[n.anchor].start for n in nodes]


def aggregation_offsets(text: str) -> list[int]:
    """Where each AggregateExpr's operator keyword starts, in `promql_parser.walk` order."""
    tokens, nodes = _anchors(text, "aggregation")
    return [tokens[n.anchor].start for n in nodes]


def range_offsets(text: str) -> list[int]:
    """Where the duration of each MatrixSelector's range starts (after its `[`), in `promql_parser.walk`
    order: a matrix selector holds no other, so text order is walk order."""
    tokens, nodes = _anchors(text, "range")
    return [tokens[n.anchor + 1].start for n in nodes]


def matcher_offsets(text: str) -> list[list[int]]:
    """Per VectorSelector (as selector_offsets), where each of `selector.matchers.matchers` names its label.

    promql_parser keeps the matchers in text order, a `"name"` or `__name__=` matcher where it is written;
    the name written before `{` is no matcher. With `or` in the braces, promql_parser moves every matcher
    into `matchers.or_matchers` and `matchers.matchers` is empty: so is the list here.
    """
    tokens, nodes = _anchors(text, "selector")
    return [[tokens[m].start for m in n.marks] for n in nodes]


def binary_offsets(text: str) -> list[int]:
    """Where each BinaryExpr's operator is, in text order: the order of an in-order traversal of the AST
    (lhs, operator, rhs), not `promql_parser.walk`'s pre-order."""
    tokens, nodes = _anchors(text, "binary")
    return [tokens[n.anchor].start for n in nodes]


def _reproduces(source: str, message: str) -> bool:
    try:
        promql_parser.parse(source)
    except ValueError as error:
        return str(error) == message
    return False


class _Locator:
    """Finders for error_offset: each returns an offset or None. Probes are capped: bounded time."""

    def __init__(self, text: str, message: str) -> None:
        self.text, self.message = text, message
        self.lexed = tokenize(text)
        self.scan = _Scan(self.lexed)
        self.tokens = self.scan.tokens

    def nodes(self, kind: str, name: str) -> list[Node]:
        """The nodes of `kind` anchored on `name`, "" for any."""
        return [
            n for n in self.scan.nodes if kind in ("", n.kind) and name in ("", self.tokens[n.anchor].text)
        ]

    def smallest(self, kind: str = "", name: str = "") -> Node | None:
        """The smallest node (of `kind`, anchored on `name`) that alone fails with the same message."""
        tokens, nodes = self.tokens, self.nodes(kind, name)
        nodes.sort(key=lambda n: (tokens[n.last].end - tokens[n.first].start, n.first))
        spans = ((n, self.text[tokens[n.first].start : tokens[n.last].end]) for n in nodes[:_MAX_PROBES])
        return next((n for n, span in spans if _reproduces(span, self.message)), None)

    def node(self, kind: str, marks: tuple[str, ...] = (), name: str = "") -> int | None:
        """The smallest reproducing node, else the first (of `kind`, named `name`): at its first mark among
        `marks` if it has one, else at its anchor."""
        found = self.smallest(kind, name)
        if found is None:
            found = min(self.nodes(kind, name), key=lambda n: n.anchor, default=None)
        marked = [m for m in found.marks if self.tokens[m].text.lower() in marks] if found else []
        return None if found is None else self.tokens[(marked or [found.anchor])[0]].start

    def stop(self, back: int = 0) -> int | None:
        """The first token that cannot continue the text (`back` tokens before it); the last token when
        the text ends too early."""
        if self.scan.stop is None or not self.tokens:
            return None
        return self.tokens[max(min(self.scan.stop, len(self.tokens) - 1) - back, 0)].start

    def literal(
        self, kinds: tuple[Kind, ...], probe: str = "{}", written: str = "", after: tuple[str, ...] = ()
    ) -> int | None:
        """The first token of `kinds` (after an operator in `after`) written as `written`, else the first
        for which promql_parser fails with the same message on `probe` around it, else None."""
        pairs = zip([None, *self.tokens], self.tokens, strict=False)
        tokens = [
            t for p, t in pairs if t.kind in kinds and (not after or (p is not None and p.text in after))
        ]
        if written:
            return next((t.start for t in tokens if t.text == written), None)
        found = (t.start for t in tokens[:_MAX_PROBES] if _reproduces(probe.format(t.text), self.message))
        return next(found, None)

    def name_matcher(self) -> int | None:
        """The `__name__` or `"name"` matcher of a selector whose name is also written before `{`."""
        found = self.smallest("selector")
        for mark in found.marks if found else ():
            label, after = self.tokens[mark], self.tokens[mark + 1]
            if label.text.strip("\"'`") == "__name__" or after.text not in _MATCH_OPS:
                return label.start
        return None


_LEXICAL = re.compile(
    r"^(unclosed left|unexpected right|unexpected end of input inside|unexpected character|unterminated"
    r"|unknown escape|escape sequence not|bad number or duration|unexpected left|unexpected second colon"
    r"|expect duration before|'!' can not|too many left)"
)
_BINARY_MESSAGES = r"^(binary expression must|set operator|comparisons between scalars)"


def _locate(loc: _Locator, message: str) -> int | None:
    """The offset for `message` by its class (see the module docstring), None when the class finds none."""
    if m := re.search(r"unknown function with name '(.+)'|in call to (?:function )?'(.+?)'", message):
        return loc.node("call", name=m[1] or m[2])
    if m := re.search(r"^not a valid duration string: (.+)|^ParseFloatError\. (.+) can't", message):
        return loc.literal(_TIME, written=m[1] or m[2])
    finders: list[tuple[str, Callable[[], int | None]]] = [
        (r"^no expression found", lambda: 0),
        (r"^trailing commas|matching operator after|^missing unit character", lambda: loc.stop(1)),
        (r"in label matching|^invalid promql query|^unexpected <group_|^unexpected end", loc.stop),
        (r"is not valid label in grouping opts", loc.stop),
        (r"aggregat(e|ion) expression", lambda: loc.node("aggregation")),
        (_BINARY_MESSAGES, lambda: loc.node("binary")),
        (r"^vector matching only allowed", lambda: loc.node("binary", ("on", "ignoring"))),
        (r"^bool modifier", lambda: loc.node("binary", ("bool",))),
        (
            r"must not occur in ON and GROUP|^no grouping allowed",
            lambda: loc.node("binary", ("group_left", "group_right")),
        ),
        (r"^unary expression", lambda: loc.node("unary")),
        (r"^offset (modifier must|may not)", lambda: loc.node("offset")),
        (r"@ modifier|^@ <timestamp> may not", lambda: loc.node("at")),
        (r"^no offset modifiers allowed before range", lambda: loc.node("range", ("offset",))),
        (r"^no @ modifiers allowed before range", lambda: loc.node("range", ("@",))),
        (r"^ranges only allowed", lambda: loc.node("range")),
        (r"^subquery is only allowed", lambda: loc.node("subquery")),
        (r"^vector selector must contain", lambda: loc.node("selector")),
        (r"^metric name must not be set twice", loc.name_matcher),
        (r"^illegal regex for", lambda: loc.literal((Kind.STRING,), "{{a=~{}}}", after=("=~", "!~"))),
        (r"^invalid syntax", lambda: loc.literal((Kind.STRING,))),
        (r"^duration|duration string", lambda: loc.literal(_TIME, "foo[{}]")),
    ]
    for pattern, find in finders:
        if re.search(pattern, message) and (found := find()) is not None:
            return found
    generic = loc.smallest()
    return loc.tokens[generic.anchor].start if generic else loc.stop()


def error_offset(text: str, message: str) -> int:
    """Where to report the promql_parser error `message` for `text`: an offset into `text`.

    Always the start of a token; when nothing better is found, of the first one (0 for an empty text).
    """
    loc = _Locator(text, message)
    if _LEXICAL.search(message) and loc.lexed and loc.lexed[-1].kind is Kind.ERROR:
        return loc.lexed[-1].start
    found = _locate(loc, message)
    return found if found is not None else loc.tokens[0].start if loc.tokens else 0
