"""The nodes of a parsed Go template (text/template/parse), how Go prints them in error messages, and Go's
rules for number and string constants."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mmlint.ruletest.goformat import go_quote


@dataclass(frozen=True, slots=True)
class Text:
    pos: int
    text: str


@dataclass(frozen=True, slots=True)
class Bool:
    pos: int
    value: bool


@dataclass(frozen=True, slots=True)
class Dot:
    pos: int


@dataclass(frozen=True, slots=True)
class Nil:
    pos: int


@dataclass(frozen=True, slots=True)
class Identifier:
    """A function name."""

    pos: int
    name: str


@dataclass(frozen=True, slots=True)
class Variable:
    """`$x.Field.Key`: the variable name then the fields."""

    pos: int
    ident: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Field:
    """`.Field.Key`, without the dots."""

    pos: int
    ident: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Chain:
    """`(pipeline).Field`."""

    pos: int
    node: Node
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Number:
    """A number constant with every Go type it fits, as parse.NumberNode records them."""

    pos: int
    text: str
    int_value: int | None
    uint_value: int | None
    float_value: float | None
    complex_value: complex | None


@dataclass(frozen=True, slots=True)
class String:
    pos: int
    quoted: str
    text: str


@dataclass(frozen=True, slots=True)
class Command:
    """One stage of a pipeline: a function and its arguments, or a single operand."""

    pos: int
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Pipe:
    pos: int
    decl: tuple[Variable, ...]
    is_assign: bool
    cmds: tuple[Command, ...]


@dataclass(frozen=True, slots=True)
class Action:
    """{{pipeline}}: printed unless it declares variables."""

    pos: int
    pipe: Pipe


@dataclass(frozen=True, slots=True)
class ListNode:
    pos: int
    nodes: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Branch:
    """{{if}}, {{range}} or {{with}} (`kind`), with its optional {{else}} list."""

    pos: int
    kind: str
    pipe: Pipe
    body: ListNode
    else_list: ListNode | None


@dataclass(frozen=True, slots=True)
class TemplateCall:
    """{{template "name" pipeline}} (also what {{block}} leaves in place)."""

    pos: int
    name: str
    pipe: Pipe | None


@dataclass(frozen=True, slots=True)
class Break:
    pos: int


@dataclass(frozen=True, slots=True)
class Continue:
    pos: int


Node = (
    Text
    | Bool
    | Dot
    | Nil
    | Identifier
    | Variable
    | Field
    | Chain
    | Number
    | String
    | Command
    | Pipe
    | Action
    | ListNode
    | Branch
    | TemplateCall
    | Break
    | Continue
)


def node_str(node: Node) -> str:
    """The node as Go's Node.String() prints it (the `<...>` context of an execution error)."""
    match node:
        case Text(text=text):
            return text
        case Bool(value=value):
            return "true" if value else "false"
        case Dot():
            return "."
        case Nil():
            return "nil"
        case Identifier(name=name):
            return name
        case Variable(ident=ident):
            return ".".join(ident)
        case Field(ident=ident):
            return "".join("." + name for name in ident)
        case Chain(node=inner, fields=fields):
            base = f"({node_str(inner)})" if isinstance(inner, Pipe) else node_str(inner)
            return base + "".join("." + name for name in fields)
        case Number(text=text):
            return text
        case String(quoted=quoted):
            return quoted
        case Command(args=args):
            return " ".join(f"({node_str(arg)})" if isinstance(arg, Pipe) else node_str(arg) for arg in args)
        case Pipe(decl=decl, cmds=cmds):
            head = ", ".join(node_str(var) for var in decl) + " := " if decl else ""
            return head + " | ".join(node_str(cmd) for cmd in cmds)
        case Action(pipe=pipe):
            return "{{" + node_str(pipe) + "}}"
        case ListNode(nodes=nodes):
            return "".join(node_str(child) for child in nodes)
        case Branch(kind=kind, pipe=pipe, body=body, else_list=else_list):
            tail = "{{else}}" + node_str(else_list) if else_list is not None else ""
            return f"{{{{{kind} {node_str(pipe)}}}}}{node_str(body)}{tail}{{{{end}}}}"
        case TemplateCall(name=name, pipe=pipe):
            return f"{{{{template {go_quote(name)}{' ' + node_str(pipe) if pipe else ''}}}}}"
        case Break():
            return "{{break}}"
        case Continue():
            return "{{continue}}"
    raise TypeError(node)


# --- constants ----------------------------------------------------------------------------------------

_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _unquote_char(text: str, index: int, quote: str) -> tuple[str, int]:
    """strconv.UnquoteChar: the character at `index` and the index after it; ValueError("invalid syntax")."""
    char = text[index]
    if char == quote or char == "\n":
        raise ValueError("invalid syntax")
    if char != "\\":
        return char, index + 1
    escape = text[index + 1 : index + 2]
    if escape in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[escape], index + 2
    if escape == quote and quote in "'\"":
        return quote, index + 2
    sizes = {"x": 2, "u": 4, "U": 8}
    if escape in sizes:
        digits = text[index + 2 : index + 2 + sizes[escape]]
        if len(digits) != sizes[escape] or not re.fullmatch(r"[0-9a-fA-F]+", digits):
            raise ValueError("invalid syntax")
        code = int(digits, 16)
        if escape != "x" and (code > 0x10FFFF or 0xD800 <= code < 0xE000):
            raise ValueError("invalid syntax")
        return chr(code), index + 2 + sizes[escape]
    digits = text[index + 1 : index + 4]
    if re.fullmatch(r"[0-7]{3}", digits) and int(digits, 8) <= 255:
        return chr(int(digits, 8)), index + 4
    raise ValueError("invalid syntax")


def unquote(quoted: str) -> str:
    """strconv.Unquote of a "double-quoted" or `raw` string; ValueError("invalid syntax")."""
    if len(quoted) < 2 or quoted[0] != quoted[-1] or quoted[0] not in '"`':
        raise ValueError("invalid syntax")
    if quoted[0] == "`":
        if "`" in quoted[1:-1]:
            raise ValueError("invalid syntax")
        return quoted[1:-1].replace("\r", "")
    out, index = [], 1
    while index < len(quoted) - 1:
        char, index = _unquote_char(quoted, index, '"')
        out.append(char)
    if index != len(quoted) - 1:
        raise ValueError("invalid syntax")
    return "".join(out)


def _parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64) without the range check: base prefixes, a leading-0 octal, and
    underscores only after a base prefix."""
    sign, body = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    if re.fullmatch(r"0[0-7_]+", body):
        body = "0o" + body[1:]
    try:
        value = int(body, 0) if body else None
    except ValueError:
        return None
    if value is None:
        return None
    return -value if sign == "-" else value


def _parse_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64) of a template number (decimal or hex float); None where Go fails,
    out-of-range values included."""
    try:
        if re.match(r"[+-]?0[xX]", text):
            value = float.fromhex(text.replace("_", ""))
        elif not re.fullmatch(r"[+-]?(D\.?(D)?|\.D)([eE][+-]?D)?".replace("D", r"\d(?:_?\d)*"), text):
            return None
        else:
            value = float(text.replace("_", ""))
    except (ValueError, OverflowError):
        return None
    return None if value in (float("inf"), float("-inf")) else value


def parse_number(pos: int, text: str, typ: str) -> Number:
    """parse.newNumber: every Go type the constant fits; ValueError with Go's message when none."""
    if typ == "charConstant":
        try:
            char, after = _unquote_char(text, 1, "'")
        except (ValueError, IndexError):
            raise ValueError("invalid syntax") from None
        if text[after:] != "'":
            raise ValueError(f"malformed character constant: {text}")
        return Number(pos, text, ord(char), ord(char), float(ord(char)), None)
    if typ == "complex" or text.endswith("i"):
        try:
            imaginary = complex(text[:-1] + "j") if typ == "complex" else complex(0, float(text[:-1]))
        except ValueError:
            raise ValueError(f"illegal number syntax: {go_quote(text)}") from None
        return _simplify_complex(pos, text, imaginary)
    integer = _parse_int(text)
    in_int64 = integer is not None and -(1 << 63) <= integer < (1 << 63)
    in_uint64 = integer is not None and 0 <= integer < (1 << 64) and text[:1] not in "+-"
    int_value = integer if in_int64 else None
    uint_value = integer if in_uint64 or (in_int64 and integer == 0) else None
    if int_value is not None or uint_value is not None:
        exact = int_value if int_value is not None else uint_value
        assert exact is not None
        return Number(pos, text, int_value, uint_value, float(exact), None)
    value = _parse_float(text)
    if value is not None:
        if not re.search(r"[.eEpP]", text):
            raise ValueError(f"integer overflow: {go_quote(text)}")
        whole = int(value) if value == value and abs(value) != float("inf") and value == int(value) else None
        return Number(
            pos,
            text,
            whole if whole is not None and -(1 << 63) <= whole < (1 << 63) else None,
            whole if whole is not None and 0 <= whole < (1 << 64) else None,
            value,
            None,
        )
    raise ValueError(f"illegal number syntax: {go_quote(text)}")


def _simplify_complex(pos: int, text: str, value: complex) -> Number:
    if value.imag != 0:
        return Number(pos, text, None, None, None, value)
    real = value.real
    whole = int(real) if real == int(real) else None
    return Number(
        pos,
        text,
        whole if whole is not None and -(1 << 63) <= whole < (1 << 63) else None,
        whole if whole is not None and 0 <= whole < (1 << 64) else None,
        real,
        value,
    )
