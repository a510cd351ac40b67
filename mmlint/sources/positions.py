"""YAML and JSON read into a small tree that keeps the line:column of every node and of every character.

Every check reports `path:line:col`, so files are read into `Scalar`, `Mapping` and `Sequence` nodes rather
than plain dicts. A string scalar's `text` maps each decoded character back to the file character that
produced it (the first one of an escape or a folded line break), so a finding inside a PromQL expression
points into the block scalar or JSON string it came from. JSON is parsed by `json_positions`.

YAML, as read here:
- Events come from PyYAML's safe loader (libyaml's when there, see `yaml_reader`); the tree is built from
  them without recursion, so depth and alias expansion are bounded before anything can blow up. Each
  scalar's source is re-scanned by its style (plain, quoted, `|`, `>`) to place every character; the
  re-scan must reproduce PyYAML's value.
- Tags resolve as the safe loader resolves them (`on` is True), `text` keeps what was written. Timestamps,
  `=` and a `<<` value stay strings; any other explicit tag (`!!python/...`, `!!binary`, `!!set`, `!Ref`)
  is a `SourceError`: nothing beyond str, int, float, bool, None, mappings and sequences is constructed.
- Merge keys `<<` are resolved as the merge-key spec says: own keys win over merged ones, and in
  `<<: [*a, *b]` the earlier mapping wins. Overridden merged items are dropped; the others come first and
  keep the location they were written at. Duplicate keys are kept; `get` and `to_python` take the last.
- An anchor may be redefined (YAML spec, Go's yaml.v3); an alias refers to the latest definition.

Lines end at `\n`, `\r\n` or `\r` (not at YAML 1.1's `\x85`, U+2028, U+2029, which editors do not break
at); columns count characters; a UTF-8 BOM is skipped and not counted.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import re
from collections.abc import Iterator
from collections.abc import Sequence as Indices
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeAlias

from mmlint.problem import Location
from mmlint.sources.text import Text

YAML_PREFIX = "tag:yaml.org,2002:"
STR_TAG = YAML_PREFIX + "str"
INT_TAG = YAML_PREFIX + "int"
FLOAT_TAG = YAML_PREFIX + "float"
BOOL_TAG = YAML_PREFIX + "bool"
NULL_TAG = YAML_PREFIX + "null"
MERGE_TAG = YAML_PREFIX + "merge"
KEPT_AS_STRING = {STR_TAG, YAML_PREFIX + "timestamp", MERGE_TAG, YAML_PREFIX + "value"}


@dataclass(frozen=True)
class Limits:
    """What a file may cost: bytes read, nesting depth, and nodes (an alias counts its target's full size)."""

    max_bytes: int = 20 * 1024 * 1024
    max_depth: int = 100
    max_nodes: int = 1_000_000


DEFAULT_LIMITS = Limits()


class SourceError(Exception):
    """A file that cannot be read: where, and one sentence saying why."""

    def __init__(self, location: Location, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message


ScalarValue: TypeAlias = str | int | float | bool | None


class LazyText:
    """A `Text` kept as file offsets until someone asks for it: most scalars of a dashboard never are, and a
    (line, column) tuple per character costs more than the file itself."""

    __slots__ = ("built", "indices", "lines", "path", "value")

    def __init__(self, value: str, path: str, lines: LineIndex, indices: Indices[int]) -> None:
        self.value, self.path, self.lines, self.indices = value, path, lines, indices
        self.built: Text | None = None

    def build(self) -> Text:
        if self.built is None:
            self.built = Text(self.value, self.path, self.lines.positions(self.indices))
        return self.built

    def location(self, offset: int = 0) -> Location:
        """What `build().location(offset)` gives, without placing every other character: a query's text is
        asked for a location only where a check finds something."""
        if self.built is not None:
            return self.built.location(offset)
        return self.lines.location(self.path, self.indices[max(0, min(offset, len(self.indices) - 1))])


@dataclass(frozen=True, slots=True, init=False)
class Scalar:
    """A string, number, bool or null. `text` is the decoded string with the position of each character, or
    the source text of a non-string (`yes`, `1.0`), so callers see what was written."""

    value: ScalarValue
    location: Location
    tag: str
    source: Text | LazyText = field(compare=False, repr=False)

    def __init__(self, value: ScalarValue, text: Text | LazyText, location: Location, tag: str) -> None:
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "source", text)
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "tag", tag)

    @property
    def text(self) -> Text:
        return self.source if isinstance(self.source, Text) else self.source.build()

    @property
    def written(self) -> str:
        """`text.value` without placing its characters: the string, or what was written for a non-string."""
        return self.source.value


@dataclass(frozen=True, slots=True)
class Mapping:
    """Key/value pairs in file order, duplicates included."""

    items: tuple[tuple[Scalar, Node], ...]
    location: Location

    def get(self, key: str) -> Node | None:
        """The value of the last item whose key is the string `key`, as a dict built from the items has."""
        for item_key, value in reversed(self.items):
            if item_key.value == key and isinstance(item_key.value, str):  # no other type equals a str
                return value
        return None

    def string(self, key: str) -> Scalar | None:
        """The value of `key` if it is a string scalar."""
        value = self.get(key)
        return value if isinstance(value, Scalar) and isinstance(value.value, str) else None


@dataclass(frozen=True, slots=True)
class Sequence:
    items: tuple[Node, ...]
    location: Location


Node: TypeAlias = Scalar | Mapping | Sequence


def node_at(root: Node, path: tuple[str | int, ...]) -> Node | None:
    """Follow mapping keys (str) and sequence indexes (int) from `root`; None where the path leads nowhere."""
    node: Node | None = root
    for step in path:
        if isinstance(step, str):
            node = node.get(step) if isinstance(node, Mapping) else None
        elif isinstance(node, Sequence) and 0 <= step < len(node.items):
            node = node.items[step]
        else:
            return None
    return node


def to_python(node: Node, *, limits: Limits = DEFAULT_LIMITS) -> object:
    """Plain dicts, lists and scalars, as `json.loads` or `yaml.safe_load` give them (the last duplicate key
    wins). Built without recursion, and refused beyond `limits` (a shared alias is copied each time)."""
    root = _shell(node)
    count = 1
    stack: list[tuple[Node, object, int]] = [(node, root, 1)]
    while stack:
        source, target, depth = stack.pop()
        if isinstance(source, Scalar):
            continue
        if depth > limits.max_depth:
            raise SourceError(source.location, f"nesting deeper than {limits.max_depth} levels")
        # A scalar child is done once copied: only collections go on the stack.
        if isinstance(source, Sequence) and isinstance(target, list):
            for child in source.items:
                value = _shell(child)
                target.append(value)
                if not isinstance(child, Scalar):
                    stack.append((child, value, depth + 1))
            count += len(source.items)
        elif isinstance(source, Mapping) and isinstance(target, dict):
            for key, child in source.items:
                value = _shell(child)
                target[key.value] = value
                if not isinstance(child, Scalar):
                    stack.append((child, value, depth + 1))
            count += 2 * len(source.items)
        if count > limits.max_nodes:
            raise SourceError(
                source.location, f"more than {limits.max_nodes} nodes once aliases are expanded"
            )
    return root


def _shell(node: Node) -> object:
    if isinstance(node, Scalar):
        return node.value
    return [] if isinstance(node, Sequence) else {}


def decode(data: bytes, path: str, limits: Limits) -> str:
    """The file's text: UTF-8, an optional BOM skipped; a SourceError at the first bad byte otherwise."""
    if len(data) > limits.max_bytes:
        raise SourceError(
            Location(path, 1, 1), f"the file is {len(data)} bytes, over the limit of {limits.max_bytes}"
        )
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8")
        location = LineIndex(before).location(path, len(before))
        byte = data[error.start]
        raise SourceError(location, f"invalid UTF-8 ({error.reason}, byte 0x{byte:02x})") from None


class LineIndex:
    """Turns character offsets of one text into 1-based (line, column) pairs."""

    _BREAK = re.compile(r"\r\n?|\n")

    def __init__(self, text: str) -> None:
        self.starts = [0]
        self.starts.extend(match.end() for match in self._BREAK.finditer(text))

    def location(self, path: str, index: int) -> Location:
        line = bisect.bisect_right(self.starts, index)
        return Location(path, line, index - self.starts[line - 1] + 1)

    def positions(self, indices: Indices[int]) -> tuple[tuple[int, int], ...]:
        """Positions of ascending offsets, walking the lines instead of searching each offset."""
        starts = self.starts
        if isinstance(indices, range) and indices.step == 1 and indices:
            # Most scalars are written on one line as they read: one search, then consecutive columns.
            line = bisect.bisect_right(starts, indices.start)
            start = starts[line - 1]
            if line == len(starts) or indices.stop <= starts[line]:
                columns = range(indices.start - start + 1, indices.stop - start + 1)
                return tuple(zip(itertools.repeat(line, len(columns)), columns, strict=True))
        line, start, following = 0, 0, -1
        result = []
        for index in indices:
            if not start <= index < following:
                line = bisect.bisect_right(starts, index)
                start = starts[line - 1]
                following = starts[line] if line < len(starts) else 1 << 62
            result.append((line, index - start + 1))
        return tuple(result)


def load_json(data: bytes, path: str, *, limits: Limits = DEFAULT_LIMITS) -> Node:
    """One JSON document (RFC 8259) as a positioned tree; see `json_positions` for what is accepted."""
    from mmlint.sources.json_positions import load_json as load  # it imports this module's node types

    return load(data, path, limits=limits)


def load_yaml_documents(data: bytes, path: str, *, limits: Limits = DEFAULT_LIMITS) -> list[Node]:
    """Every document of a YAML stream as a positioned tree; an empty stream has none."""
    from mmlint.sources.yaml_reader import YamlReader  # it imports this module's node types

    with paused_gc():
        return YamlReader(decode(data, path, limits), path, limits).documents()


@contextmanager
def paused_gc() -> Iterator[None]:
    """The trees hold no reference cycles, yet collecting while they grow costs more than the parse itself
    (three times the parse on a 3 MB dashboard), so the collector waits until the tree is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def repeated_keys(document: Node) -> Iterator[tuple[Scalar, Scalar]]:
    """Each key repeated within one mapping, with its first occurrence (walked without recursion)."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            first: dict[object, Scalar] = {}
            for key, value in node.items:
                if key.value in first:
                    yield key, first[key.value]
                first.setdefault(key.value, key)
                stack.append(value)
        elif isinstance(node, Sequence):
            stack.extend(node.items)
