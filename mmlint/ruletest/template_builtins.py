"""Go text/template's builtin functions (funcs.go, Go 1.19) over the values templates handle: comparison,
truth, index, slice, len, and the html/js escapers. Errors are raised as FuncError with Go's wording."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mmlint.ruletest.goformat import GoValue, format_arg, sprint, sprintln, type_name
from mmlint.ruletest.template_text import FuncError
from mmlint.ruletest.template_values import AlertData, GoMap, GoTime, QueryResult, SampleRef


def truth(value: object) -> bool:
    """Go's isTrue: false for nil, zero numbers, false, and empty strings, maps and slices."""
    if value is None:
        return False
    if isinstance(value, str | GoMap | QueryResult):
        return len(value.items if isinstance(value, GoMap) else value) > 0
    if isinstance(value, bool | int | float | complex):
        return value != 0
    return True  # structs and non-nil pointers


def and_(first: object, *rest: object) -> object:
    """The first false argument, or the last (the executor evaluates lazily, as Go 1.18+ does)."""
    for value in (first, *rest):
        if not truth(value):
            return value
    return rest[-1] if rest else first


def or_(first: object, *rest: object) -> object:
    for value in (first, *rest):
        if truth(value):
            return value
    return rest[-1] if rest else first


def not_(value: object) -> bool:
    return not truth(value)


def call(function: object, *args: object) -> object:
    if function is None:
        raise FuncError("call of nil")
    raise FuncError(f"non-function of type {type_name(function)}")


def _kind(value: object) -> str | None:
    """fmt's basicKind: the comparable kind, or None for any other value."""
    for kind, name in ((bool, "bool"), (int, "int"), (float, "float"), (complex, "complex"), (str, "string")):
        if isinstance(value, kind):
            return name
    return None


def eq(first: object, *others: object) -> bool:
    if not others:
        raise FuncError("missing argument for comparison")
    kind = _kind(first)
    for other in others:
        other_kind = _kind(other)
        if kind != other_kind:
            if first is not None and other is not None:
                raise FuncError("incompatible types for comparison")
            continue
        if kind is not None:
            if first == other:
                return True
        elif first is None or other is None:
            if first is None and other is None:
                return True
        elif type(first) is not type(other):
            raise FuncError(
                f"non-comparable types {format_arg(first, 'v')}: {type_name(first)}, "
                f"{type_name(other)}: {format_arg(other, 'v')}"
            )
        elif isinstance(first, GoMap | QueryResult | AlertData):
            raise FuncError(f"non-comparable type {format_arg(other, 'v')}: {type_name(other)}")
        elif first is other:
            return True
    return False


def ne(first: object, second: object) -> bool:
    return not eq(first, second)


def lt(first: object, second: object) -> bool:
    kind, other_kind = _kind(first), _kind(second)
    if kind is None or other_kind is None:
        raise FuncError("invalid type for comparison")
    if kind != other_kind:
        raise FuncError("incompatible types for comparison")
    if kind in ("bool", "complex"):
        raise FuncError("invalid type for comparison")
    return bool(first < second)  # type: ignore[operator]


def le(first: object, second: object) -> bool:
    return lt(first, second) or eq(first, second)


def gt(first: object, second: object) -> bool:
    return not le(first, second)


def ge(first: object, second: object) -> bool:
    return not lt(first, second)


def _index_arg(index: object, cap: int) -> int:
    if index is None:
        raise FuncError("cannot index slice/array with nil")
    if not isinstance(index, int) or isinstance(index, bool):
        raise FuncError(f"cannot index slice/array with type {type_name(index)}")
    if index < 0 or index > cap:
        raise FuncError(f"index out of range: {index}")
    return index


def index(item: object, *indexes: object) -> object:
    """item[i][j]...: string bytes, slice elements, map values (the zero value for a missing key)."""
    if item is None:
        raise FuncError("index of untyped nil")
    for key in indexes:
        if isinstance(item, str):
            data = item.encode()
            position = _index_arg(key, len(data))
            if position == len(data):
                raise FuncError("reflect: string index out of range")
            item = data[position]
        elif isinstance(item, QueryResult):
            position = _index_arg(key, len(item))
            if position == len(item):
                raise FuncError("reflect: slice index out of range")
            item = item[position]
        elif isinstance(item, GoMap):
            if key is None:
                raise FuncError("value is nil; should be of type string")
            if not isinstance(key, str):
                raise FuncError(f"value has type {type_name(key)}; should be string")
            item = item.get(key)
        else:
            raise FuncError(f"can't index item of type {_deref_type(item)}")
    return item


def _deref_type(item: object) -> str:
    """The type behind a pointer, which len and index name in their errors."""
    if isinstance(item, SampleRef | GoTime):
        return type_name(item).removeprefix("*")
    return type_name(item)


def slice_(item: object, *indexes: object) -> object:
    """item[i:j]: a string (by bytes) or a query result."""
    if item is None:
        raise FuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        data: bytes | QueryResult = item.encode()
    elif isinstance(item, QueryResult):
        data = item
    else:
        raise FuncError(f"can't slice item of type {type_name(item)}")
    bounds = [0, len(data), len(data)]
    for position, key in enumerate(indexes):
        bounds[position] = _index_arg(key, len(data))
    if bounds[0] > bounds[1]:
        raise FuncError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if len(indexes) == 3 and bounds[1] > bounds[2]:
        raise FuncError(f"invalid slice index: {bounds[1]} > {bounds[2]}")
    part = data[bounds[0] : bounds[1]]
    if isinstance(part, bytes):
        return part.decode(errors="replace")
    return QueryResult(part)


def length(item: object) -> int:
    if item is None:
        raise FuncError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return len(item.encode())
    if isinstance(item, GoMap):
        return len(item.items)
    if isinstance(item, QueryResult):
        return len(item)
    raise FuncError(f"len of type {_deref_type(item)}")


def eval_args(args: Sequence[object]) -> str:
    """The text html/js/urlquery escape: a lone string as is, else fmt.Sprint of the dereferenced values."""
    if len(args) == 1 and type(args[0]) is str:
        return args[0]
    if len(args) == 1 and args[0] is None:
        return "<no value>"  # fmt's printableValue of an invalid value
    return sprint([printable(arg) for arg in args])


class _Struct(GoValue):
    """A struct reached through a pointer, which fmt prints without the `&`."""

    def __init__(self, sample: SampleRef) -> None:
        self.sample = sample
        self.type_name = "template.sample"

    def format(self, element: Callable[[object], str], *, nested: bool) -> str:
        return self.sample.format_struct(element)


def printable(value: object) -> object:
    return _Struct(value) if isinstance(value, SampleRef) else value


def html(*args: object) -> str:
    escapes = {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
    return "".join(escapes.get(char, char) for char in eval_args(args))


def js(*args: object) -> str:
    escapes = {
        "\\": "\\\\",
        "'": "\\'",
        '"': '\\"',
        "<": "\\u003C",
        ">": "\\u003E",
        "&": "\\u0026",
        "=": "\\u003D",
    }
    out = []
    for char in eval_args(args):
        if char in escapes:
            out.append(escapes[char])
        elif char < " " or (not char.isascii() and not char.isprintable()):
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def print_(*args: object) -> str:
    return sprint(args)


def println(*args: object) -> str:
    return sprintln(args)
