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
  operator (its `bool`, `on` or `ignoring` keyword when the message is about that), the `offset` or `@`
  keyword, the `[` of a range or subquery, the selector's name or `{`;
- an error about one literal (a regex, a string, a number or duration) at the token that reproduces it.
Nothing better found, offset 0.
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
_NAME_KEYWORDS = frozenset({"by", "without", "and", "or", "unless", "offset", "start", "end", "fill"})
_NAME_KEYWORDS |= {"fill_left", "fill_right"}
_MATCH_OPS = frozenset({"=", "!=", "=~", "!~"})
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
    kind: str  # top paren call aggregation
    anchor: int  # the `(`, the function name or the aggregation operator
    open: int = -1  # the `(`
    grouped: bool = False  # an aggregation with by/without before its arguments
    operands: list[_Operand] = field(default_factory=list)
    operators: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)  # operator and its modifiers
    unary: list[int] = field(default_factory=list)


class _Scan:
    """One pass over the significant tokens; `stop` is the first token that cannot continue the text
    (len(tokens) when the text ends too early), None when the text is a complete expression."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = [t for t in tokens if t.kind is not Kind.COMMENT]
        self.nodes: list[Node] = []
        self.stop: int | None = None
        self.i = 0
        self._run()

    def _text(self, k: int) -> str:
        return self.tokens[k].text.lower() if k < len(self.tokens) else ""

    def _is(self, k: int, kind: Kind, *texts: str) -> bool:
        return k < len(self.tokens) and self.tokens[k].kind is kind and (not texts or self._text(k) in texts)

    def _fail(self) -> bool:
        self.stop = self.i
        return False

    def _expect(self, kind: Kind, *texts: str) -> bool:
        if not self._is(self.i, kind, *texts):
            return self._fail()
        self.i += 1
        return True

    def _run(self) -> None:
        frames = [_Frame("top", -1)]
        current: _Operand | None = None
        while self.stop is None:
            frame, i = frames[-1], self.i
            if current is None:
                current = self._operand(frames)
            elif (
                self._is(i, Kind.PUNCTUATION, "[")
                or self._is(i, Kind.KEYWORD, "offset")
                or self._is(i, Kind.PUNCTUATION, "@")
            ):
                self._postfix(current)
            elif self._text(i) in _BINARY and self.tokens[i].kind in (Kind.OPERATOR, Kind.KEYWORD):
                self._push_operand(frame, current)
                self._push_operator(frame, i)
                current = None
            elif self._is(i, Kind.PUNCTUATION, ",") and frame.kind in ("call", "aggregation"):
                self._push_operand(frame, current)
                self._reduce(frame, 0)
                frame.operands.clear()
                current, self.i = None, i + 1
            elif self._is(i, Kind.PUNCTUATION, ")") and frame.kind != "top":
                self._push_operand(frame, current)
                current = self._close(frames.pop())
            elif i == len(self.tokens) and frame.kind == "top":
                self._push_operand(frame, current)
                self._reduce(frame, 0)
                return
            else:
                self._fail()

    def _operand(self, frames: list[_Frame]) -> _Operand | None:
        """The operand starting at the current token, None when it opens a frame or was only a unary sign."""
        frame, i, token = frames[-1], self.i, self.tokens[self.i] if self.i < len(self.tokens) else None
        if token is None:
            self._fail()
        elif token.kind is Kind.OPERATOR and token.text in "+-":
            frame.unary.append(i)
            self.i += 1
        elif self._is(i, Kind.PUNCTUATION, "("):
            frames.append(_Frame("paren", i, open=i))
            self.i += 1
        elif (
            self._is(i, Kind.PUNCTUATION, ")")
            and frame.kind in ("call", "aggregation")
            and i == frame.open + 1
        ):
            self.i += 1
            return self._close(frames.pop())
        elif token.kind in (Kind.NUMBER, Kind.DURATION, Kind.STRING):
            self.nodes.append(Node("string" if token.kind is Kind.STRING else "number", i, i, i))
            self.i += 1
            return _Operand(i, i)
        elif token.kind is Kind.AGGREGATOR and (
            self._is(i + 1, Kind.PUNCTUATION, "(") or self._is(i + 1, Kind.KEYWORD, "by", "without")
        ):
            self.i += 1
            grouped = self._is(self.i, Kind.KEYWORD, "by", "without")
            if (not grouped or self._grouping(self.i + 1)) and self._expect(Kind.PUNCTUATION, "("):
                frames.append(_Frame("aggregation", i, open=self.i - 1, grouped=grouped))
        elif token.kind is Kind.IDENTIFIER and self._is(i + 1, Kind.PUNCTUATION, "("):
            frames.append(_Frame("call", i, open=i + 1))
            self.i += 2
        elif token.kind in (Kind.IDENTIFIER, Kind.METRIC_IDENTIFIER, Kind.AGGREGATOR) or (
            self._is(i, Kind.KEYWORD, *_NAME_KEYWORDS)
        ):
            self.i += 1
            if not self._is(self.i, Kind.PUNCTUATION, "{"):
                self.nodes.append(Node("selector", i, i, i))
                return _Operand(i, i)
            return self._selector(i)
        elif self._is(i, Kind.PUNCTUATION, "{"):
            return self._selector(i)
        else:
            self._fail()
        return None

    def _selector(self, anchor: int) -> _Operand | None:
        """The label matchers `{...}` at the current token; Prometheus's label_matchers, plus `or`."""
        self.i += 1
        labels: list[int] = []
        grouped = False
        while not self._is(self.i, Kind.PUNCTUATION, "}"):
            label = self.i
            if not (self._is(label, Kind.IDENTIFIER) or self._is(label, Kind.STRING)):
                self._fail()
                return None
            labels.append(label)
            self.i += 1
            if self._text(self.i) in _MATCH_OPS and self._is(self.i, Kind.OPERATOR):
                self.i += 1
                if not self._expect(Kind.STRING):
                    return None
            elif self._is(label, Kind.IDENTIFIER):
                self._fail()
                return None
            if self._is(self.i, Kind.KEYWORD, "or"):
                grouped = True
                self.i += 1
            elif self._is(self.i, Kind.PUNCTUATION, ","):
                self.i += 1
            elif not self._is(self.i, Kind.PUNCTUATION, "}"):
                self._fail()
                return None
        last, self.i = self.i, self.i + 1
        self.nodes.append(Node("selector", anchor, anchor, last, () if grouped else tuple(labels)))
        return _Operand(anchor, last)

    def _grouping(self, k: int) -> bool:
        """`( label, ... )` after by, without, on, ignoring, group_left, group_right at token `k`."""
        self.i = k
        if not self._expect(Kind.PUNCTUATION, "("):
            return False
        while not self._is(self.i, Kind.PUNCTUATION, ")"):
            if self.i >= len(self.tokens) or self.tokens[self.i].kind not in _LABEL_KINDS:
                return self._fail()
            self.i += 1
            if self._is(self.i, Kind.PUNCTUATION, ","):
                self.i += 1
            elif not self._is(self.i, Kind.PUNCTUATION, ")"):
                return self._fail()
        self.i += 1
        return True

    def _postfix(self, operand: _Operand) -> None:
        """A range, subquery, offset or @ modifier after `operand`."""
        first = self.i
        self.i += 1
        if self._is(first, Kind.PUNCTUATION, "["):
            if not self._duration():
                return
            kind = "range"
            if self._is(self.i, Kind.PUNCTUATION, ":"):
                kind, self.i = "subquery", self.i + 1
                if self._is(self.i, Kind.NUMBER) or self._is(self.i, Kind.DURATION):
                    self.i += 1
            if self._expect(Kind.PUNCTUATION, "]"):
                marks = tuple(operand.modifiers) if kind == "range" else ()
                self.nodes.append(Node(kind, first, operand.first, self.i - 1, marks))
                operand.last, operand.modifiers = self.i - 1, []
            return
        if self._is(first, Kind.PUNCTUATION, "@") and self._is(self.i, Kind.KEYWORD, "start", "end"):
            self.i += 1
            valid = self._expect(Kind.PUNCTUATION, "(") and self._expect(Kind.PUNCTUATION, ")")
        else:
            if self._is(self.i, Kind.OPERATOR, "+", "-"):
                self.i += 1
            valid = self._duration()
        if valid:
            kind = "offset" if self._is(first, Kind.KEYWORD, "offset") else "at"
            self.nodes.append(Node(kind, first, operand.first, self.i - 1))
            operand.last = self.i - 1
            operand.modifiers.append(first)

    def _duration(self) -> bool:
        if self._is(self.i, Kind.NUMBER) or self._is(self.i, Kind.DURATION):
            self.i += 1
            return True
        return self._fail()

    def _push_operand(self, frame: _Frame, operand: _Operand) -> None:
        for sign in reversed(frame.unary):
            self.nodes.append(Node("unary", sign, sign, operand.last))
            operand = _Operand(sign, operand.last)
        frame.unary.clear()
        frame.operands.append(operand)

    def _push_operator(self, frame: _Frame, operator: int) -> None:
        """Shift a binary operator, first reducing what binds tighter (`^` binds to the right)."""
        precedence = _BINARY[self._text(operator)]
        self._reduce(frame, precedence + (self._text(operator) != "^"))
        self.i = operator + 1
        frame.operators.append((operator, self._bin_modifiers()))

    def _bin_modifiers(self) -> tuple[int, ...]:
        """bool, on/ignoring (labels), group_left/group_right [(labels)], fill(n): the bin_modifier rule."""
        marks: list[int] = []
        if self._is(self.i, Kind.KEYWORD, "bool"):
            marks.append(self.i)
            self.i += 1
        if self._is(self.i, Kind.KEYWORD, "on", "ignoring"):
            marks.append(self.i)
            if not self._grouping(self.i + 1):
                return ()
            if self._is(self.i, Kind.KEYWORD, "group_left", "group_right"):
                marks.append(self.i)
                self.i += 1
                if self._is(self.i, Kind.PUNCTUATION, "(") and not self._grouping(self.i):
                    return ()
        elif self._is(self.i, Kind.KEYWORD, "group_left", "group_right"):
            self._fail()  # "unexpected <group_left>": grouping needs on() or ignoring() first
            return ()
        for _ in range(2):
            if self._is(self.i, Kind.KEYWORD, "fill", "fill_left", "fill_right"):
                self.i += 1
                if not self._expect(Kind.PUNCTUATION, "("):
                    return ()
                if self._is(self.i, Kind.OPERATOR, "+", "-"):
                    self.i += 1
                if not (self._expect(Kind.NUMBER) and self._expect(Kind.PUNCTUATION, ")")):
                    return ()
        return tuple(marks)

    def _reduce(self, frame: _Frame, precedence: int) -> None:
        """Join operands by the stacked operators that bind at least as tight as `precedence`."""
        while frame.operators and _BINARY[self._text(frame.operators[-1][0])] >= precedence:
            operator, marks = frame.operators.pop()
            rhs, lhs = frame.operands.pop(), frame.operands.pop()
            self.nodes.append(Node("binary", operator, lhs.first, rhs.last, marks))
            frame.operands.append(_Operand(lhs.first, rhs.last))

    def _close(self, frame: _Frame) -> _Operand | None:
        """The operand a `)` completes: the parenthesised expression, the call or the aggregation."""
        self._reduce(frame, 0)
        last = self.i
        self.i += 1
        if (
            frame.kind == "aggregation"
            and not frame.grouped
            and self._is(self.i, Kind.KEYWORD, "by", "without")
        ):
            if not self._grouping(self.i + 1):
                return None
            last = self.i - 1
        self.nodes.append(Node(frame.kind, frame.anchor, frame.anchor, last))
        return _Operand(frame.anchor, last)


_LABEL_KINDS = (Kind.IDENTIFIER, Kind.KEYWORD, Kind.AGGREGATOR, Kind.STRING)


def _scan(text: str) -> _Scan:
    return _Scan(tokenize(text))


def _anchors(scan: _Scan, kind: str) -> list[Node]:
    return sorted((n for n in scan.nodes if n.kind == kind), key=lambda n: n.anchor)


def selector_offsets(text: str) -> list[int]:
    """Where each VectorSelector starts (its name, or `{` without one), in `promql_parser.walk` order."""
    scan = _scan(text)
    return [scan.tokens[n.anchor].start for n in _anchors(scan, "selector")]


def call_offsets(text: str) -> list[int]:
    """Where each Call's function name starts, in `promql_parser.walk` order."""
    scan = _scan(text)
    return [scan.tokens[n.anchor].start for n in _anchors(scan, "call")]


def aggregation_offsets(text: str) -> list[int]:
    """Where each AggregateExpr's operator keyword starts, in `promql_parser.walk` order."""
    scan = _scan(text)
    return [scan.tokens[n.anchor].start for n in _anchors(scan, "aggregation")]


def matcher_offsets(text: str) -> list[list[int]]:
    """Per VectorSelector (as selector_offsets), where each of `selector.matchers.matchers` names its label.

    promql_parser keeps the matchers in text order, a `"name"` or `__name__=` matcher where it is written;
    the name written before `{` is no matcher. With `or` in the braces, promql_parser moves every matcher
    into `matchers.or_matchers` and `matchers.matchers` is empty: so is the list here.
    """
    scan = _scan(text)
    return [[scan.tokens[m].start for m in n.marks] for n in _anchors(scan, "selector")]


def _reproduces(source: str, message: str) -> bool:
    try:
        promql_parser.parse(source)
    except ValueError as error:
        return str(error) == message
    return False


class _Locator:
    """The finders error_offset tries in turn; each returns an offset or None."""

    def __init__(self, text: str, message: str) -> None:
        self.text, self.message = text, message
        self.lexed = tokenize(text)
        self.scan = _Scan(self.lexed)
        self.tokens = self.scan.tokens

    def span(self, node: Node) -> str:
        return self.text[self.tokens[node.first].start : self.tokens[node.last].end]

    def smallest(self, kind: str = "", name: str = "") -> Node | None:
        """The smallest node (of `kind`, anchored on `name`) that alone fails with the same message."""
        nodes = [n for n in self.scan.nodes if n.kind == kind or not kind]
        nodes = [n for n in nodes if not name or self.tokens[n.anchor].text == name]
        nodes.sort(key=lambda n: (self.tokens[n.last].end - self.tokens[n.first].start, n.first))
        return next((n for n in nodes[:_MAX_PROBES] if _reproduces(self.span(n), self.message)), None)

    def node(self, kind: str, mark: tuple[str, ...] = ()) -> int | None:
        """The smallest reproducing node of `kind`, at its first mark among `mark` if it has one."""
        found = self.smallest(kind)
        if found is None:
            return None
        marked = [m for m in found.marks if self.tokens[m].text.lower() in mark]
        return self.tokens[marked[0] if marked else found.anchor].start

    def call(self, name: str) -> int | None:
        """A call to `name`: the one that reproduces the message, else the first."""
        found = self.smallest("call", name)
        calls = [n for n in _anchors(self.scan, "call") if self.tokens[n.anchor].text == name]
        best = found or (calls[0] if calls else None)
        return None if best is None else self.tokens[best.anchor].start

    def stop(self, back: int = 0) -> int | None:
        """The first token that cannot continue the text (`back` tokens before it); the last token when
        the text ends too early."""
        stop = self.scan.stop
        if stop is None or not self.tokens:
            return None
        return self.tokens[max(min(stop, len(self.tokens) - 1) - back, 0)].start

    def literal(self, probe: Callable[[Token], str], kinds: tuple[Kind, ...], text: str = "") -> int | None:
        """The first literal token written as `text`, else the first for which `probe(token)` reproduces."""
        candidates = [t for t in self.tokens if t.kind in kinds]
        for token in candidates:
            if text and token.text == text:
                return token.start
        probes = (t for t in candidates[:_MAX_PROBES] if not text)
        return next((t.start for t in probes if _reproduces(probe(t), self.message)), None)

    def regex(self) -> int | None:
        regexes = [t for k, t in enumerate(self.tokens) if k and self.tokens[k - 1].text in ("=~", "!~")]
        found = (t.start for t in regexes[:_MAX_PROBES] if _reproduces(f"{{a=~{t.text}}}", self.message))
        return next(found, regexes[0].start if regexes else None)

    def name_matcher(self) -> int | None:
        """The `__name__` or `"name"` matcher of a selector whose name is also written before `{`."""
        found = self.smallest("selector")
        for mark in found.marks if found else ():
            label, after = self.tokens[mark], self.tokens[mark + 1]
            if label.text.strip("\"'`") == "__name__" or after.text not in _MATCH_OPS:
                return label.start
        return None


_TIME = (Kind.NUMBER, Kind.DURATION)
_LEXICAL = re.compile(
    r"^(unclosed left|unexpected right|unexpected end of input inside|unexpected character|unterminated"
    r"|unknown escape|escape sequence not|bad number or duration|unexpected left|unexpected second colon"
    r"|expect duration before|'!' can not|too many left)"
)
_BINARY_MESSAGES = r"^(binary expression must|set operator|comparisons between scalars|no grouping allowed)"


def _locate(loc: _Locator, message: str) -> int | None:
    """The offset for `message` by its class (see the module docstring), None when the class finds none."""
    if (
        m := re.search(r"unknown function with name '(.+)'|in call to (?:function )?'(.+?)'", message)
    ) is not None:
        return loc.call(m[1] or m[2])
    if m := re.search(r"^not a valid duration string: (.+)|^ParseFloatError\. (.+) can't be parsed", message):
        return loc.literal(lambda t: "", _TIME, m[1] or m[2])
    searches: list[tuple[str, Callable[[], int | None]]] = [
        (r"^no expression found", lambda: 0),
        (
            r"^trailing commas|expected label matching operator after|^missing unit character",
            lambda: loc.stop(1),
        ),
        (r"in label matching|^invalid promql query|^unexpected <group_|valid label in grouping", loc.stop),
        (r"^unexpected end of input in", loc.stop),
        (r"aggregat(e|ion) expression", lambda: loc.node("aggregation")),
        (_BINARY_MESSAGES, lambda: loc.node("binary")),
        (r"^vector matching only allowed", lambda: loc.node("binary", ("on", "ignoring"))),
        (r"^bool modifier", lambda: loc.node("binary", ("bool",))),
        (r"^unary expression", lambda: loc.node("unary")),
        (r"^offset (modifier must|may not)", lambda: loc.node("offset")),
        (r"^@ (modifier must|<timestamp> may not)|@ modifier", lambda: loc.node("at")),
        (r"^no offset modifiers allowed before range", lambda: loc.node("range", ("offset",))),
        (r"^no @ modifiers allowed before range", lambda: loc.node("range", ("@",))),
        (r"^ranges only allowed", lambda: loc.node("range")),
        (r"^subquery is only allowed", lambda: loc.node("subquery")),
        (r"^vector selector must contain", lambda: loc.node("selector")),
        (r"^metric name must not be set twice", loc.name_matcher),
        (r"^illegal regex for", loc.regex),
        (r"^invalid syntax", lambda: loc.literal(lambda t: t.text, (Kind.STRING,))),
        (r"^duration|duration string", lambda: loc.literal(lambda t: f"foo[{t.text}]", _TIME)),
    ]
    for pattern, find in searches:
        if re.search(pattern, message) and (found := find()) is not None:
            return found
    generic = loc.smallest()
    return loc.tokens[generic.anchor].start if generic else loc.stop()


def error_offset(text: str, message: str) -> int:
    """Where to report the promql_parser error `message` for `text`: an offset into `text`, 0 at worst."""
    loc = _Locator(text, message)
    if _LEXICAL.search(message) and loc.lexed and loc.lexed[-1].kind is Kind.ERROR:
        return loc.lexed[-1].start
    found = _locate(loc, message)
    return 0 if found is None else found
