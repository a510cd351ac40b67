"""Where to report a promql_parser error: an offset into the expression, found by the error's class.

promql_parser's errors carry no position. An error message is mapped to an offset by its class:
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

import promql_parser

from mmlint.promql.lexer import Kind, tokenize
from mmlint.promql.scan import MATCH_OPS, TIME_KINDS, Node, Scan

_MAX_PROBES = 200


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
        self.scan = Scan(self.lexed)
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
            if label.text.strip("\"'`") == "__name__" or after.text not in MATCH_OPS:
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
        return loc.literal(TIME_KINDS, written=m[1] or m[2])
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
        (r"^duration|duration string", lambda: loc.literal(TIME_KINDS, "foo[{}]")),
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
