"""Go text/template's executor (exec.go, Go 1.19) over a parsed Tree: pipelines, variables, fields of the
alert data and label maps (missingkey=zero, as Prometheus sets it), if/with/range/template, and function
calls with Go's argument conversion and error messages ("template: NAME:LINE:COL: executing ...")."""

from __future__ import annotations

from collections.abc import Mapping

from mmlint.ruletest.goformat import format_arg, go_quote, type_name
from mmlint.ruletest.template_builtins import printable, truth
from mmlint.ruletest.template_funcs import ANY, VALUE, FuncError
from mmlint.ruletest.template_nodes import (
    Action,
    Bool,
    Branch,
    Break,
    Chain,
    Command,
    Continue,
    Dot,
    Field,
    Identifier,
    ListNode,
    Nil,
    Node,
    Number,
    Pipe,
    String,
    TemplateCall,
    Text,
    Variable,
    node_str,
)
from mmlint.ruletest.template_parse import Tree, go_column
from mmlint.ruletest.template_values import AlertData, FuncSpec, GoMap, GoTime, QueryResult, SampleRef

__all__ = ["ExecError", "execute"]

# Go allows 100000 nested {{template}} calls; Python's stack allows fewer, so a runaway recursion stops
# here, reported with Go's limit.
MAX_DEPTH = 50
GO_MAX_DEPTH = 100000


class ExecError(Exception):
    """An execution error, worded as Go words it."""


class _Missing:
    """No value piped in (Go's missingVal)."""


MISSING = _Missing()


class _BreakLoop(Exception):
    pass


class _ContinueLoop(Exception):
    pass


def _can_be_nil(typ: str) -> bool:
    return typ in (ANY, VALUE) or typ.startswith(("*", "map[", "[]", "template.queryResult"))


class _State:
    def __init__(self, tree: Tree, funcs: Mapping[str, FuncSpec], name: str, dot: object, depth: int) -> None:
        self.tree, self.funcs, self.name, self.depth = tree, funcs, name, depth
        self.vars: list[tuple[str, object]] = [("$", dot)]
        self.node: Node | None = None
        self.out: list[str] = []

    def at(self, node: Node) -> None:
        self.node = node

    def error(self, message: str) -> ExecError:
        if self.node is None:
            return ExecError(f"template: {self.name}: {message}")
        line, column = go_column(self.tree.text, self.node.pos)
        where, context = f"{self.tree.name}:{line}:{column}", node_str(self.node)
        return ExecError(f"template: {where}: executing {go_quote(self.name)} at <{context}>: {message}")

    # --- statements ---

    def walk(self, dot: object, node: Node) -> None:
        self.at(node)
        match node:
            case Action(pipe=pipe):
                value = self.eval_pipeline(dot, pipe)
                if not pipe.decl:
                    self.print_value(node, value)
            case Break():
                raise _BreakLoop
            case Continue():
                raise _ContinueLoop
            case Branch(kind="range"):
                self.walk_range(dot, node)
            case Branch():
                self.walk_if_or_with(dot, node)
            case ListNode(nodes=nodes):
                for child in nodes:
                    self.walk(dot, child)
            case TemplateCall():
                self.walk_template(dot, node)
            case Text(text=text):
                self.out.append(text)
            case _:
                raise self.error(f"unknown node: {node_str(node)}")

    def walk_if_or_with(self, dot: object, node: Branch) -> None:
        mark = len(self.vars)
        value = self.eval_pipeline(dot, node.pipe)
        if truth(value):
            self.walk(value if node.kind == "with" else dot, node.body)
        elif node.else_list is not None:
            self.walk(dot, node.else_list)
        del self.vars[mark:]

    def walk_range(self, dot: object, node: Branch) -> None:
        self.at(node)
        outer = len(self.vars)
        value = self.eval_pipeline(dot, node.pipe)
        mark = len(self.vars)
        if isinstance(value, QueryResult):
            pairs: list[tuple[object, object]] = list(enumerate(value))
        elif isinstance(value, GoMap):
            pairs = sorted(value.items.items())
        elif value is None:
            pairs = []
        else:
            shown = format_arg(printable(value), "v")
            raise self.error(f"range can't iterate over {shown}")
        try:
            for key, element in pairs:
                if node.pipe.decl:
                    self.vars[-1] = (self.vars[-1][0], element)
                if len(node.pipe.decl) > 1:
                    self.vars[-2] = (self.vars[-2][0], key)
                try:
                    self.walk(element, node.body)
                except _ContinueLoop:
                    pass
                finally:
                    del self.vars[mark:]
        except _BreakLoop:
            pass
        if not pairs and node.else_list is not None:
            self.walk(dot, node.else_list)
        del self.vars[outer:]

    def walk_template(self, dot: object, node: TemplateCall) -> None:
        self.at(node)
        root = self.tree.templates.get(node.name)
        if root is None:
            raise self.error(f"template {go_quote(node.name)} not defined")
        if self.depth >= MAX_DEPTH:
            raise self.error(f"exceeded maximum template depth ({GO_MAX_DEPTH})")
        dot = self.eval_pipeline(dot, node.pipe) if node.pipe is not None else None
        inner = _State(self.tree, self.funcs, node.name, dot, self.depth + 1)
        inner.out = self.out
        inner.walk(dot, root)

    def print_value(self, node: Node, value: object) -> None:
        self.at(node)
        self.out.append("<no value>" if value is None else format_arg(printable(value), "v"))

    # --- expressions ---

    def eval_pipeline(self, dot: object, pipe: Pipe) -> object:
        self.at(pipe)
        value: object = MISSING
        for cmd in pipe.cmds:
            value = self.eval_command(dot, cmd, value)
        for var in pipe.decl:
            if pipe.is_assign:
                self.set_var(var.ident[0], value)
            else:
                self.vars.append((var.ident[0], value))
        return value

    def set_var(self, name: str, value: object) -> None:
        for index in range(len(self.vars) - 1, -1, -1):
            if self.vars[index][0] == name:
                self.vars[index] = (name, value)
                return
        raise self.error(f"undefined variable: {name}")

    def var_value(self, name: str) -> object:
        for var_name, value in reversed(self.vars):
            if var_name == name:
                return value
        raise self.error(f"undefined variable: {name}")

    def not_a_function(self, args: tuple[Node, ...], final: object) -> None:
        if len(args) > 1 or final is not MISSING:
            raise self.error(f"can't give argument to non-function {node_str(args[0])}")

    def eval_command(self, dot: object, cmd: Command, final: object) -> object:
        first = cmd.args[0]
        match first:
            case Field():
                self.at(first)
                return self.eval_field_chain(dot, dot, first, first.ident, cmd.args, final)
            case Chain():
                return self.eval_chain(dot, first, cmd.args, final)
            case Identifier():
                return self.eval_function(dot, first, cmd, cmd.args, final)
            case Pipe():
                self.not_a_function(cmd.args, final)
                return self.eval_pipeline(dot, first)
            case Variable():
                return self.eval_variable(dot, first, cmd.args, final)
        self.at(first)
        self.not_a_function(cmd.args, final)
        match first:
            case Bool(value=value):
                return value
            case Dot():
                return dot
            case Nil():
                raise self.error("nil is not a command")
            case Number():
                return self.ideal_constant(first)
            case String(text=text):
                return text
        raise self.error(f"can't evaluate command {go_quote(node_str(first))}")

    def ideal_constant(self, number: Number) -> object:
        self.at(number)
        text = number.text
        if number.complex_value is not None:
            return number.complex_value
        is_hex_int = text[:2].lower() == "0x" and "p" not in text.lower()
        if (
            number.float_value is not None
            and not is_hex_int
            and text[0] != "'"
            and any(c in text for c in ".eEpP")
        ):
            return number.float_value
        if number.int_value is not None:
            return number.int_value
        if number.uint_value is not None:
            raise self.error(f"{text} overflows int")
        return None

    def eval_chain(self, dot: object, chain: Chain, args: tuple[Node, ...] | None, final: object) -> object:
        self.at(chain)
        if isinstance(chain.node, Nil):
            raise self.error(f"indirection through explicit nil in {node_str(chain)}")
        receiver = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, receiver, chain, chain.fields, args, final)

    def eval_variable(
        self, dot: object, var: Variable, args: tuple[Node, ...] | None, final: object
    ) -> object:
        self.at(var)
        value = self.var_value(var.ident[0])
        if len(var.ident) == 1:
            self.not_a_function(args or (var,), final)
            return value
        return self.eval_field_chain(dot, value, var, var.ident[1:], args, final)

    def eval_field_chain(
        self,
        dot: object,
        receiver: object,
        node: Node,
        ident: tuple[str, ...],
        args: tuple[Node, ...] | None,
        final: object,
    ) -> object:
        for name in ident[:-1]:
            receiver = self.eval_field(dot, name, node, None, MISSING, receiver)
        return self.eval_field(dot, ident[-1], node, args, final, receiver)

    def eval_field(
        self,
        dot: object,
        name: str,
        node: Node,
        args: tuple[Node, ...] | None,
        final: object,
        receiver: object,
    ) -> object:
        if receiver is None:
            return None  # missingkey=zero: an invalid receiver yields nothing, not an error
        has_args = (args is not None and len(args) > 1) or final is not MISSING
        if isinstance(receiver, GoTime) and (method := receiver.method(name)) is not None:
            return self.eval_call(dot, method, node, name, args, final)
        if isinstance(receiver, AlertData | SampleRef):
            found, value = receiver.field(name)
            if found:
                if has_args:
                    raise self.error(f"{name} has arguments but cannot be invoked as function")
                return value
        elif isinstance(receiver, GoMap):
            if has_args:
                raise self.error(f"{name} is not a method but has arguments")
            return receiver.get(name)
        raise self.error(f"can't evaluate field {name} in type {type_name(receiver)}")

    def eval_function(
        self, dot: object, node: Identifier, cmd: Node, args: tuple[Node, ...] | None, final: object
    ) -> object:
        self.at(node)
        spec = self.funcs.get(node.name)
        if spec is None:
            raise self.error(f"{go_quote(node.name)} is not a defined function")
        return self.eval_call(dot, spec, cmd, node.name, args, final)

    def eval_call(
        self, dot: object, spec: FuncSpec, node: Node, name: str, args: tuple[Node, ...] | None, final: object
    ) -> object:
        operands = args[1:] if args is not None else ()
        count = len(operands) + (final is not MISSING)
        fixed = len(spec.params)
        if spec.variadic is not None:
            if count < fixed:
                raise self.error(
                    f"wrong number of args for {name}: want at least {fixed} got {len(operands)}"
                )
        elif count != fixed:
            raise self.error(f"wrong number of args for {name}: want {fixed} got {count}")
        if name in ("and", "or"):
            # Evaluated lazily: the first false (and) or true (or) operand ends it.
            value: object = None
            for operand in operands:
                value = self.eval_arg(dot, VALUE, operand)
                if truth(value) == (name == "or"):
                    return value
            return final if final is not MISSING else value
        argv = [self.eval_arg(dot, spec.params[i], operand) for i, operand in enumerate(operands[:fixed])]
        if spec.variadic is not None:
            argv += [self.eval_arg(dot, spec.variadic, operand) for operand in operands[fixed:]]
        if final is not MISSING:
            if spec.variadic is None:
                final_type = spec.params[-1]
            else:
                final_type = spec.params[count - 1] if count - 1 < fixed else spec.variadic
            argv.append(self.validate_type(final, final_type))
        try:
            return spec.call(*argv)
        except FuncError as error:
            self.at(node)
            raise self.error(f"error calling {name}: {error}") from None

    def validate_type(self, value: object, typ: str | None) -> object:
        if value is None:
            if typ is None or _can_be_nil(typ):
                return None
            raise self.error(f"invalid value; expected {typ}")
        if typ is None or typ in (ANY, VALUE) or type_name(value) == typ:
            return value
        raise self.error(f"wrong type for value; expected {typ}; got {type_name(value)}")

    def eval_arg(self, dot: object, typ: str | None, node: Node) -> object:
        self.at(node)
        match node:
            case Dot():
                return self.validate_type(dot, typ)
            case Nil():
                if typ is None or _can_be_nil(typ):
                    return None
                raise self.error(f"cannot assign nil to {typ}")
            case Field():
                return self.validate_type(
                    self.eval_field_chain(dot, dot, node, node.ident, (node,), MISSING), typ
                )
            case Variable():
                return self.validate_type(self.eval_variable(dot, node, None, MISSING), typ)
            case Pipe():
                return self.validate_type(self.eval_pipeline(dot, node), typ)
            case Identifier():
                return self.validate_type(self.eval_function(dot, node, node, None, MISSING), typ)
            case Chain():
                return self.validate_type(self.eval_chain(dot, node, None, MISSING), typ)
        if typ is None or typ in (ANY, VALUE):
            return self.eval_constant(node)
        expected = {"bool": "bool", "float64": "float", "int": "integer", "string": "string"}.get(typ)
        if expected is None:
            raise self.error(f"can't handle {node_str(node)} for arg of type {typ}")
        if typ == "bool" and isinstance(node, Bool):
            return node.value
        if typ == "string" and isinstance(node, String):
            return node.text
        if isinstance(node, Number):
            if typ == "float64" and node.float_value is not None:
                return node.float_value
            if typ == "int" and node.int_value is not None:
                return node.int_value
        raise self.error(f"expected {expected}; found {node_str(node)}")

    def eval_constant(self, node: Node) -> object:
        """A constant passed where any value goes (Go's evalEmptyInterface)."""
        match node:
            case Bool(value=value):
                return value
            case Number():
                return self.ideal_constant(node)
            case String(text=text):
                return text
        raise self.error(f"can't handle assignment of {node_str(node)} to empty interface argument")


def execute(tree: Tree, data: object, funcs: Mapping[str, FuncSpec]) -> str:
    """The output of the tree's top-level template with `data` as dot; ExecError as Go reports it."""
    state = _State(tree, funcs, tree.name, data, 0)
    state.walk(data, tree.templates[tree.name])
    return "".join(state.out)
