"""What the expressions of a registry module can be seen to evaluate to, and which label values reach
each metric, without running the module.

A value is resolved from literals, module constants (a module-level name bound exactly once, by a plain
assignment at the top level) and the `for` loops and comprehensions around the expression; a function
parameter, a call other than a few pure builtins (`tuple`, `frozenset`, `sorted`, `float`, `dict.items`,
...), or anything else is unresolved.  Nothing is imported, exec'd or eval'd.  Values are plain Python
values; a tuple, list, set or frozenset literal becomes a tuple in source order, a dict literal a dict.
Which label values reach each metric is `registry_uses`' business.
"""

from __future__ import annotations

import ast
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from mmlint.problem import Location

# Nesting deeper than this is unresolved, so a pathological file cannot exhaust the interpreter's stack.
MAX_DEPTH = 100
# More alternatives than this for one expression (nested loops over long constants) are unresolved.
MAX_ALTERNATIVES = 10_000

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_LOOPS = (ast.For, ast.AsyncFor)
# Builtins that turn one iterable into another without running user code.
_SEQUENCES = frozenset({"tuple", "list", "set", "frozenset", "sorted"})
_DICT_VIEWS = frozenset({"keys", "values", "items"})
# Python counts lines at \n, \r\n and \r only (str.splitlines would also split at \f, \x1c, ...).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Unresolved(Exception):
    """Resolution stopped at `node`, the culprit a finding names."""

    def __init__(self, node: ast.AST, reason: str = "is not a literal or module constant") -> None:
        super().__init__(f"`{source_text(node)}` {reason}")
        self.node = node


def source_text(node: ast.AST, limit: int = 60) -> str:
    """`node` as source, shortened for a message."""
    try:
        text = ast.unparse(node)
    except RecursionError:
        text = "..."
    return text if len(text) <= limit else text[: limit - 3] + "..."


def dotted_name(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def stored_names(target: ast.AST) -> set[str]:
    """Names an assignment or loop target binds."""
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def iterate(value: object, node: ast.AST) -> tuple[object, ...]:
    """The items a `for` loop over `value` visits: a dict gives its keys, a string its characters."""
    if isinstance(value, tuple | str | dict):
        return tuple(value)
    raise Unresolved(node, "is not iterable")


def scope_bindings(scope: ast.AST) -> tuple[Counter[str], set[str]]:
    """How often each name is bound in `scope` itself (nested functions and classes excluded), and the
    names it declares `global` or `nonlocal`."""
    counts: Counter[str] = Counter()
    declared: set[str] = set()
    if isinstance(scope, _FUNCTIONS):
        a = scope.args
        counts.update(arg.arg for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg) if arg)
    stack: list[ast.AST] = []
    if isinstance(scope, ast.Lambda):
        stack.append(scope.body)
    elif isinstance(scope, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef):
        stack.extend(scope.body)
    while stack:
        node = stack.pop()
        names: list[str] = []
        match node:
            case ast.Name(ctx=ast.Store() | ast.Del()):
                names = [node.id]
            case ast.FunctionDef() | ast.AsyncFunctionDef() | ast.ClassDef():
                counts[node.name] += 1
                continue
            case ast.Lambda() | ast.ListComp() | ast.SetComp() | ast.DictComp() | ast.GeneratorExp():
                continue
            case ast.Import() | ast.ImportFrom():
                names = [(a.asname or a.name).split(".")[0] for a in node.names]
            case ast.ExceptHandler() | ast.MatchAs() | ast.MatchStar():
                names = [node.name] if node.name else []
            case ast.MatchMapping():
                names = [node.rest] if node.rest else []
            case ast.Global() | ast.Nonlocal():
                declared.update(node.names)
        counts.update(names)
        stack.extend(ast.iter_child_nodes(node))
    return counts, declared


def bind(target: ast.AST, item: object) -> dict[str, object]:
    """What each name of a loop target holds when the loop visits `item`: `for a, (b, c) in ...`."""
    if isinstance(target, ast.Name):
        return {target.id: item}
    if not isinstance(target, ast.Tuple | ast.List) or any(isinstance(e, ast.Starred) for e in target.elts):
        raise Unresolved(target, "is not a loop target the reader follows")
    if not isinstance(item, tuple | str) or len(item) != len(target.elts):
        raise Unresolved(target, f"cannot unpack `{item!r}`")
    bound: dict[str, object] = {}
    for sub_target, sub_item in zip(target.elts, item, strict=True):
        bound.update(bind(sub_target, sub_item))
    return bound


class Module:
    """A parsed registry module: node positions, parents, module constants, and the values expressions can
    take where they stand."""

    def __init__(self, tree: ast.Module, path: str, text: str) -> None:
        self.tree = tree
        self.path = path
        self._lines = [line.encode("utf-8") for line in _LINE_BREAK.split(text)]
        self._parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self._parents[child] = node
        counts, _ = scope_bindings(tree)
        global_anywhere = {name for n in ast.walk(tree) if isinstance(n, ast.Global) for name in n.names}
        self._constants: dict[str, ast.expr] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Assign):
                targets, value = statement.targets, statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets, value = [statement.target], statement.value
            else:
                continue
            for target in targets:
                if (
                    isinstance(target, ast.Name)
                    and counts.get(target.id) == 1
                    and target.id not in global_anywhere
                ):
                    self._constants[target.id] = value
        self._values: dict[str, object] = {}
        self._resolving: set[str] = set()
        self._scopes: dict[ast.AST, tuple[Counter[str], set[str]]] = {}
        self._depth = 0

    def location(self, node: ast.AST) -> Location:
        """Where `node` starts; the column counts characters, where `ast` counts UTF-8 bytes."""
        line, offset = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
        encoded = self._lines[line - 1] if 0 < line <= len(self._lines) else b""
        return Location(self.path, line, len(encoded[:offset].decode("utf-8", errors="replace")) + 1)

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[tuple[ast.AST, ast.AST]]:
        """(ancestor, its child on the way to `node`), innermost first."""
        parent = self._parents.get(node)
        while parent is not None:
            yield parent, node
            node, parent = parent, self._parents.get(parent)

    def method_call(self, node: ast.AST, name: str) -> ast.Call | None:
        """The call `node.name(...)`, if that is what `node` is part of."""
        method = self._parents.get(node)
        if not isinstance(method, ast.Attribute) or method.attr != name:
            return None
        call = self._parents.get(method)
        return call if isinstance(call, ast.Call) and call.func is method else None

    def value(self, node: ast.AST) -> object:
        """The one value `node` has where it stands; raises Unresolved naming the culprit."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise Unresolved(node, "is nested too deeply")
            return self._evaluate(node)
        finally:
            self._depth -= 1

    def alternatives(self, node: ast.AST) -> tuple[object, ...]:
        """Every value `node` can take where it stands: one per loop iteration for a loop variable."""
        if isinstance(node, ast.Name):
            return self._name_alternatives(node)
        return (self.value(node),)

    def _evaluate(self, node: ast.AST) -> object:
        match node:
            case ast.Constant(value=str() | int() | float() | None as value):
                return value
            case ast.Tuple(elts=elts) | ast.List(elts=elts) | ast.Set(elts=elts):
                return self._items(elts)
            case ast.Dict(keys=keys, values=values):
                return self._dict(keys, values)
            case ast.Name():
                found = self._name_alternatives(node)
                if len(found) != 1:
                    raise Unresolved(node, "takes a different value in each iteration of its loop")
                return found[0]
            case ast.BinOp(op=ast.Add()):
                return self._sum(node)
            case ast.UnaryOp(op=ast.USub() | ast.UAdd(), operand=operand):
                number = self.value(operand)
                if not isinstance(number, int | float):
                    raise Unresolved(node, "is not a number")
                return -number if isinstance(node.op, ast.USub) else number
            case ast.JoinedStr(values=parts):
                return "".join(self._format(part) for part in parts)
            case ast.Call(func=ast.Name(id=builtin), args=[*args], keywords=[]) if builtin in _SEQUENCES:
                return self._sequence(node, builtin, args)
            case ast.Call(func=ast.Name(id="float"), args=[arg], keywords=[]):
                number = self.value(arg)
                try:
                    return float(number)  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    raise Unresolved(node, "is not a number") from None
            case ast.Call(func=ast.Attribute(value=receiver, attr=view), args=[], keywords=[]) if (
                view in _DICT_VIEWS
            ):
                mapping = self.value(receiver)
                if not isinstance(mapping, dict):
                    raise Unresolved(receiver, "is not a dict")
                return tuple(getattr(mapping, view)())
            case ast.Attribute() if dotted_name(node) == "math.inf":
                return math.inf
        raise Unresolved(node)

    def _items(self, elts: Sequence[ast.expr]) -> tuple[object, ...]:
        items: list[object] = []
        for elt in elts:
            if isinstance(elt, ast.Starred):
                items.extend(iterate(self.value(elt.value), elt.value))
            else:
                items.append(self.value(elt))
        return tuple(items)

    def _dict(self, keys: Sequence[ast.expr | None], values: Sequence[ast.expr]) -> dict[object, object]:
        mapping: dict[object, object] = {}
        for key, value in zip(keys, values, strict=True):
            if key is None:
                spread = self.value(value)
                if not isinstance(spread, dict):
                    raise Unresolved(value, "is not a dict")
                mapping.update(spread)
                continue
            resolved, item = self.value(key), self.value(value)
            try:
                mapping[resolved] = item
            except TypeError:
                raise Unresolved(key, "is not hashable") from None
        return mapping

    def _sum(self, node: ast.BinOp) -> object:
        # A long `A + B + C + ...` is a deep left spine: walk it here instead of recursing once per term.
        operands: list[ast.expr] = []
        current: ast.expr = node
        while isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
            operands.append(current.right)
            current = current.left
        operands.append(current)
        total = self.value(operands.pop())
        while operands:
            operand = operands.pop()
            term = self.value(operand)
            numbers = all(isinstance(v, int | float) for v in (total, term))
            if not numbers and type(total) is not type(term):
                raise Unresolved(operand, f"cannot be added to a {type(total).__name__}")
            total = total + term  # type: ignore[operator]
        return total

    def _format(self, part: ast.expr) -> str:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            return part.value
        if isinstance(part, ast.FormattedValue) and part.conversion == -1 and part.format_spec is None:
            value = self.value(part.value)
            if isinstance(value, str | int | float):
                return str(value)
        raise Unresolved(part)

    def _sequence(self, node: ast.Call, builtin: str, args: Sequence[ast.expr]) -> tuple[object, ...]:
        if len(args) > 1 or any(isinstance(arg, ast.Starred) for arg in args):
            raise Unresolved(node)
        items = iterate(self.value(args[0]), args[0]) if args else ()
        if builtin != "sorted":
            return items
        try:
            return tuple(sorted(items))  # type: ignore[type-var]
        except TypeError:
            raise Unresolved(node, "sorts values that do not compare") from None

    def _name_alternatives(self, name: ast.Name) -> tuple[object, ...]:
        """The values `name` takes here: from the innermost loop binding it, else a module constant."""
        path: list[ast.AST] = [name]
        for ancestor, child in self.ancestors(name):
            path.append(ancestor)
            if isinstance(ancestor, _LOOPS) and any(child is s for s in ancestor.body):
                if name.id in stored_names(ancestor.target):
                    if any(name.id in stored_names(s) for s in ancestor.body):
                        raise Unresolved(name, "is reassigned inside its loop")
                    return self._loop(ancestor.target, ancestor.iter, name)
            elif isinstance(ancestor, _COMPREHENSIONS):
                generators = ancestor.generators
                if isinstance(child, ast.comprehension):
                    index = next(i for i, g in enumerate(generators) if g is child)
                    seen = generators[: index + (not any(n is child.iter for n in path))]
                else:
                    seen = generators
                for generator in reversed(seen):
                    if name.id in stored_names(generator.target):
                        return self._loop(generator.target, generator.iter, name)
            elif isinstance(ancestor, _FUNCTIONS):
                if ancestor not in self._scopes:
                    self._scopes[ancestor] = scope_bindings(ancestor)
                bound, declared = self._scopes[ancestor]
                if name.id in declared:
                    break
                if name.id in bound:
                    raise Unresolved(name)
        return (self._constant(name),)

    def _loop(self, target: ast.expr, iterable: ast.expr, name: ast.Name) -> tuple[object, ...]:
        found: list[object] = []
        for sequence in self.alternatives(iterable):
            for item in iterate(sequence, iterable):
                found.append(bind(target, item)[name.id])
                if len(found) > MAX_ALTERNATIVES:
                    raise Unresolved(iterable, "has too many values to follow")
        return tuple(found)

    def _constant(self, name: ast.Name) -> object:
        if name.id in self._values:
            return self._values[name.id]
        if name.id not in self._constants or name.id in self._resolving:
            raise Unresolved(name)
        self._resolving.add(name.id)
        try:
            value = self.value(self._constants[name.id])
        finally:
            self._resolving.discard(name.id)
        self._values[name.id] = value
        return value
