"""Errors an alert template would raise on every expansion, found without running it: calls of a known
function with the wrong number of arguments, which Go reports only when the call executes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mmlint.ruletest.template_funcs import FuncSpec, functions
from mmlint.ruletest.template_nodes import (
    Action,
    Branch,
    Chain,
    Command,
    Identifier,
    ListNode,
    Node,
    Pipe,
    TemplateCall,
)
from mmlint.ruletest.template_parse import Tree

SPECS: dict[str, FuncSpec] = functions()


@dataclass(frozen=True)
class ArityError:
    """`function` called with `given` arguments; `offset` is where its name is in the tree's text."""

    function: str
    given: int
    offset: int

    @property
    def wanted(self) -> str:
        spec = SPECS[self.function]
        count = len(spec.params)
        return f"at least {count}" if spec.variadic is not None else str(count)

    @property
    def message(self) -> str:
        """Go's wording of the error the call raises."""
        return f"wrong number of args for {self.function}: want {self.wanted} got {self.given}"


def _accepts(spec: FuncSpec, given: int) -> bool:
    return given >= len(spec.params) if spec.variadic is not None else given == len(spec.params)


def arity_errors(tree: Tree) -> Iterator[ArityError]:
    """Every call in the tree's templates whose argument count its function cannot take, in text order."""
    found: list[ArityError] = []
    for root in tree.templates.values():
        found.extend(_walk(root))
    yield from sorted(found, key=lambda error: error.offset)


def _walk(node: Node) -> Iterator[ArityError]:
    match node:
        case ListNode(nodes=nodes):
            for child in nodes:
                yield from _walk(child)
        case Action(pipe=pipe):
            yield from _pipe(pipe)
        case Branch(pipe=pipe, body=body, else_list=else_list):
            yield from _pipe(pipe)
            yield from _walk(body)
            if else_list is not None:
                yield from _walk(else_list)
        case TemplateCall(pipe=pipe) if pipe is not None:
            yield from _pipe(pipe)


def _pipe(pipe: Pipe) -> Iterator[ArityError]:
    for stage, cmd in enumerate(pipe.cmds):
        yield from _command(cmd, piped=stage > 0)


def _command(cmd: Command, *, piped: bool) -> Iterator[ArityError]:
    first, *rest = cmd.args
    if isinstance(first, Identifier):
        yield from _call(first, len(rest) + piped)
    else:
        yield from _operand(first)
    for arg in rest:
        yield from _operand(arg)


def _operand(node: Node) -> Iterator[ArityError]:
    """An argument: a function named here is called with no arguments; pipelines nest."""
    match node:
        case Identifier():
            yield from _call(node, 0)
        case Pipe():
            yield from _pipe(node)
        case Chain(node=inner):
            yield from _operand(inner)


def _call(name: Identifier, given: int) -> Iterator[ArityError]:
    spec = SPECS.get(name.name)
    if spec is not None and not _accepts(spec, given):
        yield ArityError(name.name, given, name.pos)
