"""Errors an alert template raises whenever a call runs, found without running it: a known function called
with the wrong number of arguments, with a constant its parameter cannot take (`toUpper 1`, `1 | toUpper`),
or comparing values whose types differ (`gt $value 10`). Go reports these only when the call executes;
the messages are Go's (comparisons add the two types)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mmlint.ruletest.goformat import type_name
from mmlint.ruletest.template_funcs import ANY, VALUE, FuncSpec, functions
from mmlint.ruletest.template_nodes import (
    Action,
    Bool,
    Branch,
    Chain,
    Field,
    Identifier,
    ListNode,
    Nil,
    Node,
    Number,
    Pipe,
    String,
    TemplateCall,
    Variable,
    node_str,
)
from mmlint.ruletest.template_parse import Tree

SPECS: dict[str, FuncSpec] = functions()
_KINDS = {"string": "string", "float64": "float", "int": "integer", "bool": "bool"}


@dataclass(frozen=True)
class CallError:
    """A call of `function` that fails whatever the data: `message` as Go words it, `offset` where the
    culprit (the function's name, or the bad argument) is in the tree's text."""

    function: str
    message: str
    offset: int


def call_errors(tree: Tree, *, own_from: int = 0) -> Iterator[CallError]:
    """Every such call in the tree's templates, in text order. The template's own text starts at `own_from`
    (Prometheus's declarations of $labels, $value, ... come before it)."""
    linter = _Linter(tree, own_from)
    found: list[CallError] = []
    for name, root in tree.templates.items():
        # Dot is the alert data in the top-level template, and anything in a {{define}}d one.
        found.extend(linter.walk(root, data_dot=name == tree.name))
    yield from sorted(found, key=lambda error: error.offset)


class _Linter:
    def __init__(self, tree: Tree, own_from: int) -> None:
        # A template that declares $value again gives it a type of its own choosing.
        declared = (var for root in tree.templates.values() for var in _declarations(root))
        self.redeclared = {var.ident[0] for var in declared if var.pos >= own_from}

    def walk(self, node: Node, *, data_dot: bool) -> Iterator[CallError]:
        match node:
            case ListNode(nodes=nodes):
                for child in nodes:
                    yield from self.walk(child, data_dot=data_dot)
            case Action(pipe=pipe):
                yield from self.pipe(pipe, data_dot=data_dot)
            case Branch(kind=kind, pipe=pipe, body=body, else_list=else_list):
                yield from self.pipe(pipe, data_dot=data_dot)
                yield from self.walk(body, data_dot=data_dot and kind == "if")  # with/range move dot
                if else_list is not None:
                    yield from self.walk(else_list, data_dot=data_dot)
            case TemplateCall(pipe=pipe) if pipe is not None:
                yield from self.pipe(pipe, data_dot=data_dot)

    def pipe(self, pipe: Pipe, *, data_dot: bool) -> Iterator[CallError]:
        previous: Node | None = None  # the previous stage when it is a lone operand
        for stage, cmd in enumerate(pipe.cmds):
            first, *rest = cmd.args
            if isinstance(first, Identifier):
                yield from self.call(first, rest, piped=stage > 0, previous=previous, data_dot=data_dot)
            else:
                yield from self.operand(first, data_dot=data_dot)
            for arg in rest:
                yield from self.operand(arg, data_dot=data_dot)
            previous = first if len(cmd.args) == 1 else None

    def operand(self, node: Node, *, data_dot: bool) -> Iterator[CallError]:
        """An argument: a function named here is called with no arguments; pipelines nest."""
        match node:
            case Identifier():
                yield from self.call(node, [], piped=False, previous=None, data_dot=data_dot)
            case Pipe():
                yield from self.pipe(node, data_dot=data_dot)
            case Chain(node=inner):
                yield from self.operand(inner, data_dot=data_dot)

    def call(
        self, name: Identifier, args: list[Node], *, piped: bool, previous: Node | None, data_dot: bool
    ) -> Iterator[CallError]:
        spec = SPECS.get(name.name)
        if spec is None:
            return
        given, fixed = len(args) + piped, len(spec.params)
        if spec.variadic is not None and given < fixed:
            wanted = f"want at least {fixed} got {len(args)}"
            yield CallError(name.name, f"wrong number of args for {name.name}: {wanted}", name.pos)
            return
        if spec.variadic is None and given != fixed:
            message = f"wrong number of args for {name.name}: want {fixed} got {given}"
            yield CallError(name.name, message, name.pos)
            return
        types = [*spec.params, *[spec.variadic or ANY] * (given - fixed)]
        for typ, arg in zip(types, args, strict=False):
            bad_argument = _constant_error(arg, typ)
            if bad_argument is not None:
                yield CallError(name.name, bad_argument, arg.pos)
                return  # Go stops at the first argument it cannot convert
        piped_type = None
        if piped and previous is not None:
            piped_type, wanted_type = self.type_of(previous, data_dot=data_dot), types[given - 1]
            if piped_type is not None and wanted_type not in (ANY, VALUE, piped_type):
                message = f"wrong type for value; expected {wanted_type}; got {piped_type}"
                yield CallError(name.name, message, previous.pos)
                return
        if name.name in COMPARISONS:
            operands = [self.type_of(arg, data_dot=data_dot) for arg in args]
            bad_comparison = _comparison_error(name.name, [*operands, piped_type] if piped else operands)
            if bad_comparison is not None:
                yield CallError(name.name, bad_comparison, name.pos)

    def type_of(self, node: Node, *, data_dot: bool) -> str | None:
        """The Go type `node` has whatever the alert, when known: constants, $value, label values."""
        match node:
            case Variable(ident=(name, *fields)) if name not in self.redeclared:
                return _VARIABLE_TYPES.get((name, len(fields)))
            case Field(ident=(first, *rest)) if data_dot:
                return _FIELD_TYPES.get((first, len(rest)))
        return _constant_type(node)


COMPARISONS = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})
# (name, number of fields after it) -> Go type, for the variables Prometheus defines and the data's fields.
_VARIABLE_TYPES = {("$value", 0): "float64", ("$labels", 1): "string", ("$externalLabels", 1): "string"}
_VARIABLE_TYPES[("$externalURL", 0)] = "string"
_FIELD_TYPES = {("Value", 0): "float64", ("Labels", 1): "string", ("ExternalLabels", 1): "string"}
_FIELD_TYPES[("ExternalURL", 0)] = "string"
_COMPARABLE_KINDS = {
    "float64": "float",
    "int": "int",
    "string": "string",
    "bool": "bool",
    "complex128": "complex",
}


def _comparison_error(function: str, types: list[str | None]) -> str | None:
    """The error of eq/ne/lt/le/gt/ge on the first two operands when both types are known (funcs.go); the
    types are mmlint's addition to Go's message."""
    if len(types) < 2 or types[0] is None or types[1] is None:
        return None
    first, second = _COMPARABLE_KINDS.get(types[0]), _COMPARABLE_KINDS.get(types[1])
    if first is None or second is None:
        return None
    if first != second:
        return f"incompatible types for comparison ({types[0]} and {types[1]})"
    if function not in ("eq", "ne") and first in ("bool", "complex"):
        return f"invalid type for comparison ({types[0]})"
    return None


def _declarations(node: Node) -> Iterator[Variable]:
    match node:
        case ListNode(nodes=nodes):
            for child in nodes:
                yield from _declarations(child)
        case Action(pipe=pipe):
            yield from pipe.decl
        case Branch(pipe=pipe, body=body, else_list=else_list):
            yield from pipe.decl
            yield from _declarations(body)
            if else_list is not None:
                yield from _declarations(else_list)


def _constant_type(node: Node) -> str | None:
    """The Go type a constant operand has in a pipeline (an untyped number is an int or a float64)."""
    match node:
        case String():
            return "string"
        case Bool():
            return "bool"
        case Number(complex_value=complex_value) if complex_value is not None:
            return "complex128"
        case Number(text=text, float_value=float_value, int_value=int_value):
            # exec.go's idealConstant: a float only when written as one (not 0x10, not 'e').
            hex_int = text[:2].lower() == "0x" and "p" not in text.lower()
            written_as_float = not hex_int and text[0] != "'" and any(char in text for char in ".eEpP")
            if float_value is not None and written_as_float:
                return "float64"
            return type_name(0) if int_value is not None else None
    return None


def _constant_error(arg: Node, typ: str) -> str | None:
    """Go's error for passing the constant `arg` to a parameter of type `typ` (evalArg), or None."""
    if typ in (ANY, VALUE) or not isinstance(arg, Bool | Number | String | Nil):
        return None
    if isinstance(arg, Nil):
        nilable = typ.startswith(("*", "map[", "[]")) or typ == "template.queryResult"
        return None if nilable else f"cannot assign nil to {typ}"
    kind = _KINDS.get(typ)
    if kind is None:
        return f"can't handle {node_str(arg)} for arg of type {typ}"
    fits = (
        (typ == "string" and isinstance(arg, String))
        or (typ == "bool" and isinstance(arg, Bool))
        or (typ == "float64" and isinstance(arg, Number) and arg.float_value is not None)
        or (typ == "int" and isinstance(arg, Number) and arg.int_value is not None)
    )
    return None if fits else f"expected {kind}; found {node_str(arg)}"
