"""Where the nodes of a parsed expression and their label lists are written: `spots(text, expr)`.

promql_parser's nodes carry no offsets. Selectors, calls and aggregations are matched to
`mmlint.promql.locate`'s offsets by their `promql_parser.walk` (pre-order) index. A label list (`by`,
`without`, `on`, `ignoring`, `group_left`, `group_right`) is found in the tokens: an aggregation's right after
its operator or after its closing parenthesis; a binary operation's in text order, which is the in-order of
the binary operations that have one. Where the tokens and the tree disagree, a node keeps no label list and
the offset falls back to 0, the start of the expression.
"""

from __future__ import annotations

from dataclasses import dataclass

import promql_parser

from mmlint.promql.lexer import Kind, Token, tokenize
from mmlint.promql.locate import aggregation_offsets, call_offsets, selector_offsets
from mmlint.promql.tree import children

GROUPING = frozenset({"by", "without"})
MATCHING = frozenset({"on", "ignoring"})
INCLUDING = frozenset({"group_left", "group_right"})


@dataclass(frozen=True)
class Clause:
    """A label list: its keyword, where the keyword starts, and each label with where it starts."""

    keyword: str
    offset: int
    labels: tuple[tuple[str, int], ...]

    def offset_of(self, label: str) -> int:
        return next((offset for name, offset in self.labels if name == label), self.offset)


@dataclass(frozen=True, eq=False)
class Spot:
    """A selector, call, aggregation or binary operation, at its anchor (a binary: its first label list)."""

    node: promql_parser.Expr
    offset: int
    clauses: tuple[Clause, ...] = ()

    def clause(self, keywords: frozenset[str]) -> Clause | None:
        return next((c for c in self.clauses if c.keyword in keywords), None)


def significant(text: str) -> list[Token]:
    return [t for t in tokenize(text) if t.kind not in (Kind.COMMENT, Kind.ERROR)]


def label_lists(tokens: list[Token]) -> dict[int, Clause]:
    """Every label list by the token index of its keyword; a keyword without `(` (`group_left`) lists none."""
    found: dict[int, Clause] = {}
    i = 0
    while i < len(tokens):
        token = tokens[i]
        keyword = token.text.lower()
        if token.kind is not Kind.KEYWORD or keyword not in GROUPING | MATCHING | INCLUDING:
            i += 1
            continue
        labels: list[tuple[str, int]] = []
        j = i + 1
        if j < len(tokens) and tokens[j].text == "(":
            j += 1
            while j < len(tokens) and tokens[j].text != ")":
                if tokens[j].text != ",":
                    labels.append((tokens[j].text.strip("\"'`"), tokens[j].start))
                j += 1
        found[i] = Clause(keyword, token.start, tuple(labels))
        i = j + 1
    return found


def _closing(tokens: list[Token], opening: int) -> int:
    depth = 0
    for k in range(opening, len(tokens)):
        depth += {"(": 1, ")": -1}.get(tokens[k].text, 0) if tokens[k].kind is Kind.PUNCTUATION else 0
        if depth == 0:
            return k
    return len(tokens)


def _aggregation_clause(tokens: list[Token], lists: dict[int, Clause], offset: int) -> Clause | None:
    index = next((k for k, t in enumerate(tokens) if t.start == offset), None)
    if index is None:
        return None
    if index + 1 in lists:
        return lists[index + 1]
    after = _closing(tokens, index + 1) + 1
    return lists.get(after) if after < len(tokens) and tokens[after].text.lower() in GROUPING else None


def _traverse(expr: promql_parser.Expr) -> tuple[list[promql_parser.Expr], list[promql_parser.BinaryExpr]]:
    """Every node in pre-order (`promql_parser.walk` order), and the binary operations in in-order."""
    pre: list[promql_parser.Expr] = []
    binaries: list[promql_parser.BinaryExpr] = []
    # An explicit stack: a long chain `a + b + ...` nests deeper than Python's recursion limit. An entry is a
    # node to enter, or a binary operation to record between its operands (in-order).
    stack: list[tuple[promql_parser.Expr, bool]] = [(expr, False)]
    while stack:
        node, between = stack.pop()
        if between:
            assert isinstance(node, promql_parser.BinaryExpr)
            binaries.append(node)
            continue
        pre.append(node)
        if isinstance(node, promql_parser.BinaryExpr):
            stack.extend([(node.rhs, False), (node, True), (node.lhs, False)])
        else:
            stack.extend((child, False) for child in reversed(children(node)))
    return pre, binaries


def _binary_clauses(lists: dict[int, Clause], binaries: list[promql_parser.BinaryExpr]) -> list[list[Clause]]:
    """Per binary operation (in in-order), its `on`/`ignoring` and `group_*` label lists."""
    matching = [c for c in lists.values() if c.keyword in MATCHING]
    including = [c for c in lists.values() if c.keyword in INCLUDING]
    wants = [_written(b) for b in binaries]
    result: list[list[Clause]] = [[] for _ in binaries]
    if sum(m for m, _ in wants) == len(matching):
        written = iter(matching)
        for clauses, (has_matching, _) in zip(result, wants, strict=True):
            clauses.extend([next(written)] if has_matching else [])
    if sum(g for _, g in wants) == len(including):
        written = iter(including)
        for clauses, (_, has_including) in zip(result, wants, strict=True):
            clauses.extend([next(written)] if has_including else [])
    return result


def _written(binary: promql_parser.BinaryExpr) -> tuple[bool, bool]:
    """Whether `binary` was written with an `on`/`ignoring` list and with a `group_*` keyword."""
    modifier = binary.modifier
    if modifier is None:
        return False, False
    card = str(modifier.card).rsplit(".", 1)[-1]
    return modifier.matching is not None, card in ("ManyToOne", "OneToMany")


def spots(text: str, expr: promql_parser.Expr) -> list[Spot]:
    """The selectors, calls, aggregations and binary operations of `expr` (parsed from `text`), pre-order."""
    tokens = significant(text)
    lists = label_lists(tokens)
    nodes, binaries = _traverse(expr)
    offsets = {
        promql_parser.VectorSelector: selector_offsets(text),
        promql_parser.Call: call_offsets(text),
        promql_parser.AggregateExpr: aggregation_offsets(text),
    }
    counts = {kind: sum(isinstance(n, kind) for n in nodes) for kind in offsets}
    in_order = {id(b): c for b, c in zip(binaries, _binary_clauses(lists, binaries), strict=True)}
    result: list[Spot] = []
    seen = dict.fromkeys(offsets, 0)
    for node in nodes:
        kind = type(node)
        if isinstance(node, promql_parser.BinaryExpr):
            clauses = in_order.get(id(node), [])
            result.append(Spot(node, clauses[0].offset if clauses else 0, tuple(clauses)))
        elif kind in offsets:
            written = offsets[kind]
            offset = written[seen[kind]] if len(written) == counts[kind] else 0
            seen[kind] += 1
            found = (
                _aggregation_clause(tokens, lists, offset) if kind is promql_parser.AggregateExpr else None
            )
            result.append(Spot(node, offset, (found,) if found else ()))
    return result
