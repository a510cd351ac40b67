"""Go text/template's lexer and parser (Go 1.19, which promtool 2.42 is built with): template text to a tree
of nodes, with Go's error messages.

Positions are character offsets into the whole text. Go counts bytes; `go_column` converts where a message
needs Go's column.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from mmlint.ruletest.goformat import go_quote
from mmlint.ruletest.template_lex import Item, lex
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
    parse_number,
    unquote,
)

__all__ = ["ParseError", "Tree", "go_column", "parse"]


class ParseError(Exception):
    """A template that does not parse: `message` as Go words it ("template: NAME:LINE: ..."), `offset` the
    character where the culprit starts."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Tree:
    """The templates one text defines: the top-level one under `name`, and each {{define}} / {{block}}."""

    name: str
    text: str
    templates: dict[str, ListNode]


def go_column(text: str, offset: int) -> tuple[int, int]:
    """(line, column) of `offset` as Go's ErrorContext reports it: 1-based line, 0-based byte column."""
    before = text[:offset]
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, len(before[line_start:].encode())


_ELSE, _END = "else", "end"
MAX_NESTING = 100


@dataclass(frozen=True, slots=True)
class _Control:
    """{{else}} or {{end}}: ends a list; never in a tree."""

    pos: int
    kind: str


def _is_empty(node: Node | _Control) -> bool:
    """parse.IsEmptyTree: only space text (and comments)."""
    if isinstance(node, ListNode):
        return all(_is_empty(child) for child in node.nodes)
    return isinstance(node, Text) and node.text.strip(" \t\r\n\v\f") == ""


class _Parser:
    def __init__(self, name: str, text: str, funcs: Collection[str]) -> None:
        self.name, self.text, self.funcs = name, text, funcs
        self.items = lex(text)
        self.index = 0  # next item to read
        self.lexed = 0  # items the lexer has handed over so far
        self.last = self.items[0]  # Go's token[0], the most recently lexed item: its line is the error's
        self.vars: list[str] = ["$"]
        self.range_depth = 0
        self.action_line = 0
        self.action_pos = 0  # where the action being parsed starts: an unclosed one is reported there
        self.open_blocks: list[int] = []
        self.nesting = 0  # where each unfinished if/range/with/define/block starts
        self.templates: dict[str, ListNode] = {}

    # --- tokens ---

    def next(self) -> Item:
        item = self.items[min(self.index, len(self.items) - 1)]
        self.index += 1
        if self.index > self.lexed:
            self.lexed = self.index
            self.last = item
        return item

    def backup(self, count: int = 1) -> None:
        self.index -= count

    def peek(self) -> Item:
        item = self.next()
        self.backup()
        return item

    def next_non_space(self) -> Item:
        item = self.next()
        while item.typ == "space":
            item = self.next()
        return item

    def peek_non_space(self) -> Item:
        item = self.next_non_space()
        self.backup()
        return item

    # --- errors ---

    def error(self, message: str, offset: int | None = None) -> ParseError:
        at = self.last.pos if offset is None else offset
        return ParseError(f"template: {self.name}:{self.last.line}: {message}", at)

    def unexpected(self, item: Item, context: str) -> ParseError:
        if item.typ == "error":
            extra = ""
            if self.action_line not in (0, item.line):
                extra = f" in action started at {self.name}:{self.action_line}"
                if item.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            unclosed = item.val in ("unclosed action", "unclosed left paren")
            return self.error(f"{item.val}{extra}", self.action_pos if unclosed else item.pos)
        return self.error(f"unexpected {item.describe()} in {context}", item.pos)

    def expect(self, typ: str, context: str) -> Item:
        item = self.next_non_space()
        if item.typ != typ:
            raise self.unexpected(item, context)
        return item

    # --- structure ---

    def parse(self) -> Tree:
        root = ListNode(self.peek().pos, ())
        nodes: list[Node] = []
        while self.peek().typ != "eof":
            if self.peek().typ == "leftDelim":
                delim = self.index
                self.open_blocks.append(self.next().pos)
                if self.next_non_space().typ == "define":
                    self.parse_definition()
                    self.open_blocks.pop()
                    continue
                self.index = delim
                self.open_blocks.pop()
            node = self.text_or_action()
            if isinstance(node, _Control):
                raise self.error(f"unexpected {{{{{node.kind}}}}}", self.action_pos)
            nodes.append(node)
        root = ListNode(root.pos, tuple(nodes))
        self.add(self.name, root)
        return Tree(self.name, self.text, self.templates)

    def add(self, name: str, root: ListNode) -> None:
        old = self.templates.get(name)
        if old is None or _is_empty(old):
            self.templates[name] = root
        elif not _is_empty(root):
            raise self.error(f"template: multiple definition of template {go_quote(name)}", root.pos)

    def parse_definition(self) -> None:
        context = "define clause"
        item = self.next_non_space()
        if item.typ not in ("string", "rawString"):
            raise self.unexpected(item, context)
        name = self.unquote(item)
        self.expect("rightDelim", context)
        saved_vars, self.vars = self.vars, ["$"]
        root, end = self.item_list()
        self.vars = saved_vars
        if end.kind != _END:
            raise self.error(f"unexpected {{{{{end.kind}}}}} in {context}", self.action_pos)
        self.add(name, root)

    def item_list(self) -> tuple[ListNode, _Control]:
        pos = self.peek_non_space().pos
        nodes: list[Node] = []
        while self.peek_non_space().typ != "eof":
            node = self.text_or_action()
            if isinstance(node, _Control):
                return ListNode(pos, tuple(nodes)), node
            nodes.append(node)
        raise self.error("unexpected EOF", self.open_blocks[-1] if self.open_blocks else None)

    def text_or_action(self) -> Node | _Control:
        item = self.next_non_space()
        if item.typ == "text":
            return Text(item.pos, item.val)
        if item.typ == "leftDelim":
            self.action_line, self.action_pos = item.line, item.pos
            try:
                return self.action()
            finally:
                self.action_line = 0
        raise self.unexpected(item, "input")

    def action(self) -> Node | _Control:
        item = self.next_non_space()
        match item.typ:
            case "block":
                return self.block_control()
            case "break" | "continue":
                after = self.next_non_space()
                if after.typ != "rightDelim":
                    raise self.unexpected(after, f"{{{{{item.typ}}}}}")
                if self.range_depth == 0:
                    raise self.error(f"{{{{{item.typ}}}}} outside {{{{range}}}}", item.pos)
                return Break(item.pos) if item.typ == "break" else Continue(item.pos)
            case "else":
                return self.else_control()
            case "end":
                return _Control(self.expect("rightDelim", "end").pos, _END)
            case "if" | "range" | "with":
                self.open_blocks.append(self.action_pos)
                node = self.control(item.typ)
                self.open_blocks.pop()
                return node
            case "template":
                return self.template_control()
        self.backup()
        return Action(self.peek().pos, self.pipeline("command", "rightDelim"))

    def else_control(self) -> _Control:
        peek = self.peek_non_space()
        if peek.typ == "if":  # {{else if ...}} is {{else}}{{if ...}} with one shared {{end}}
            return _Control(peek.pos, _ELSE)
        return _Control(self.expect("rightDelim", "else").pos, _ELSE)

    def nest(self) -> None:
        """One level deeper into ( ) or a control (Go has no limit; Python's stack has)."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error(f"more than {MAX_NESTING} nested actions or parentheses (mmlint's limit)")

    def control(self, kind: str) -> Branch:
        self.nest()
        depth = len(self.vars)
        pipe = self.pipeline(kind, "rightDelim")
        if kind == "range":
            self.range_depth += 1
        body, end = self.item_list()
        if kind == "range":
            self.range_depth -= 1
        else_list: ListNode | None = None
        if end.kind == _ELSE:
            if kind == "if" and self.peek().typ == "if":
                self.next()
                else_list = ListNode(end.pos, (self.control("if"),))
            else:
                else_list, end = self.item_list()
                if end.kind != _END:
                    raise self.error(f"expected end; found {{{{{end.kind}}}}}", self.action_pos)
        del self.vars[depth:]
        self.nesting -= 1
        return Branch(pipe.pos, kind, pipe, body, else_list)

    def block_control(self) -> TemplateCall:
        context = "block clause"
        item = self.next_non_space()
        name = self.template_name(item, context)
        pipe = self.pipeline(context, "rightDelim")
        saved_vars, self.vars = self.vars, ["$"]
        saved_depth, self.range_depth = self.range_depth, 0
        self.open_blocks.append(self.action_pos)
        root, end = self.item_list()
        self.open_blocks.pop()
        self.vars, self.range_depth = saved_vars, saved_depth
        if end.kind != _END:
            raise self.error(f"unexpected {{{{{end.kind}}}}} in {context}", self.action_pos)
        self.add(name, root)
        return TemplateCall(item.pos, name, pipe)

    def template_control(self) -> TemplateCall:
        context = "template clause"
        item = self.next_non_space()
        name = self.template_name(item, context)
        pipe: Pipe | None = None
        if self.next_non_space().typ != "rightDelim":
            self.backup()
            pipe = self.pipeline(context, "rightDelim")
        return TemplateCall(item.pos, name, pipe)

    def template_name(self, item: Item, context: str) -> str:
        if item.typ not in ("string", "rawString"):
            raise self.unexpected(item, context)
        return self.unquote(item)

    def unquote(self, item: Item) -> str:
        try:
            return unquote(item.val)
        except ValueError as error:
            raise self.error(str(error), item.pos) from None

    # --- pipelines ---

    def pipeline(self, context: str, end: str) -> Pipe:
        pos = self.peek_non_space().pos
        decls: list[Variable] = []
        is_assign = False
        while (var := self.peek_non_space()).typ == "variable":
            mark = self.index
            self.next()
            follow = self.peek_non_space()
            if follow.typ in ("assign", "declare"):
                is_assign = follow.typ == "assign"
                self.next_non_space()
                decls.append(Variable(var.pos, tuple(var.val.split("."))))
                self.vars.append(var.val)
            elif follow.typ == "char" and follow.val == ",":
                self.next_non_space()
                decls.append(Variable(var.pos, tuple(var.val.split("."))))
                self.vars.append(var.val)
                if context == "range" and len(decls) < 2:
                    if self.peek_non_space().typ in ("variable", "rightDelim", "rightParen"):
                        continue
                    raise self.error("range can only initialize variables")
                raise self.error(f"too many declarations in {context}")
            else:
                self.index = mark  # not a declaration: $x is the first operand
            break
        cmds: list[Command] = []
        while True:
            item = self.next_non_space()
            if item.typ == end:
                self.check_pipeline(cmds, context)
                return Pipe(pos, tuple(decls), is_assign, tuple(cmds))
            if item.typ in _OPERAND_START:
                self.backup()
                cmds.append(self.command())
            else:
                raise self.unexpected(item, context)

    def check_pipeline(self, cmds: list[Command], context: str) -> None:
        if not cmds:
            raise self.error(f"missing value for {context}")
        for stage, cmd in enumerate(cmds[1:], start=2):
            if isinstance(cmd.args[0], Bool | Dot | Nil | Number | String):
                raise self.error(f"non executable command in pipeline stage {stage}", cmd.args[0].pos)

    def command(self) -> Command:
        pos = self.peek_non_space().pos
        args: list[Node] = []
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                args.append(operand)
            item = self.next()
            if item.typ == "space":
                continue
            if item.typ in ("rightDelim", "rightParen"):
                self.backup()
            elif item.typ != "pipe":
                raise self.unexpected(item, "operand")
            break
        if not args:
            raise self.error("empty command")
        return Command(pos, tuple(args))

    def operand(self) -> Node | None:
        node = self.term()
        if node is None or self.peek().typ != "field":
            return node
        pos = self.peek().pos
        fields: list[str] = []
        while self.peek().typ == "field":
            fields.append(self.next().val[1:])
        if isinstance(node, Field):
            return Field(pos, node.ident + tuple(fields))
        if isinstance(node, Variable):
            return Variable(pos, node.ident + tuple(fields))
        if isinstance(node, Bool | String | Number | Nil | Dot):
            raise self.error(f"unexpected . after term {go_quote(node_str(node))}")
        return Chain(pos, node, tuple(fields))

    def term(self) -> Node | None:
        item = self.next_non_space()
        match item.typ:
            case "identifier":
                if item.val not in self.funcs:
                    raise self.error(f"function {go_quote(item.val)} not defined", item.pos)
                return Identifier(item.pos, item.val)
            case "dot":
                return Dot(item.pos)
            case "nil":
                return Nil(item.pos)
            case "variable":
                name = item.val.split(".")[0]
                if name not in self.vars:
                    raise self.error(f"undefined variable {go_quote(name)}", item.pos)
                return Variable(item.pos, tuple(item.val.split(".")))
            case "field":
                return Field(item.pos, tuple(item.val[1:].split(".")))
            case "bool":
                return Bool(item.pos, item.val == "true")
            case "charConstant" | "complex" | "number":
                try:
                    return parse_number(item.pos, item.val, item.typ)
                except ValueError as error:
                    raise self.error(str(error), item.pos) from None
            case "leftParen":
                self.nest()
                pipe = self.pipeline("parenthesized pipeline", "rightParen")
                self.nesting -= 1
                return pipe
            case "string" | "rawString":
                return String(item.pos, item.val, self.unquote(item))
        self.backup()
        return None


_OPERAND_START = frozenset(
    {
        "bool",
        "charConstant",
        "complex",
        "dot",
        "field",
        "identifier",
        "number",
        "nil",
        "rawString",
        "string",
        "variable",
        "leftParen",
    }
)


def parse(text: str, *, name: str, funcs: Collection[str]) -> Tree:
    """Parse `text` as the template `name` whose known functions are `funcs`; ParseError if Go would not."""
    return _Parser(name, text, funcs).parse()
