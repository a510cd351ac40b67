"""YAML and JSON read into a small tree that keeps the line:column of every node and of every character.

Every check reports `path:line:col`, so files are read into `Scalar`, `Mapping` and `Sequence` nodes rather
than plain dicts. A string scalar's `text` maps each decoded character back to the file character that
produced it (the first one of an escape or a folded line break), so a finding inside a PromQL expression
points into the block scalar or JSON string it came from. JSON is parsed by `json_positions`.

YAML, as read here:
- Events come from PyYAML's pure-Python `SafeLoader`; the tree is built from them without recursion, so
  depth and alias expansion are bounded before anything can blow up. Each scalar's source is re-scanned by
  its style (plain, quoted, `|`, `>`) to place every character; the re-scan must reproduce PyYAML's value.
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
import re
from collections.abc import Iterator
from collections.abc import Sequence as Indices
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeAlias

import yaml
from yaml.reader import ReaderError
from yaml.tokens import ScalarToken

from mmlint.problem import Location
from mmlint.sources.text import Text

_YAML = "tag:yaml.org,2002:"
STR_TAG = _YAML + "str"
INT_TAG = _YAML + "int"
FLOAT_TAG = _YAML + "float"
BOOL_TAG = _YAML + "bool"
NULL_TAG = _YAML + "null"
_MERGE_TAG = _YAML + "merge"
_KEPT_AS_STRING = {STR_TAG, _YAML + "timestamp", _MERGE_TAG, _YAML + "value"}


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


@dataclass(frozen=True, slots=True)
class Mapping:
    """Key/value pairs in file order, duplicates included."""

    items: tuple[tuple[Scalar, Node], ...]
    location: Location

    def get(self, key: str) -> Node | None:
        """The value of the last item whose key is the string `key`, as a dict built from the items has."""
        for item_key, value in reversed(self.items):
            if isinstance(item_key.value, str) and item_key.value == key:
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
        if isinstance(source, Sequence) and isinstance(target, list):
            for child in source.items:
                value = _shell(child)
                target.append(value)
                stack.append((child, value, depth + 1))
            count += len(source.items)
        elif isinstance(source, Mapping) and isinstance(target, dict):
            for key, child in source.items:
                value = _shell(child)
                target[key.value] = value
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
    with paused_gc():
        return _YamlReader(decode(data, path, limits), path, limits).documents()


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


class _Loader(yaml.SafeLoader):
    """The safe loader, noting the minimal indentation of each block scalar so that it can be re-scanned."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.block_indents: dict[int, int] = {}

    def scan_block_scalar(self, style: str) -> ScalarToken:
        # The same minimum PyYAML's scanner derives from its indentation stack, keyed by the `|`/`>` offset.
        self.block_indents[self.index] = max(self.indent + 1, 1)
        return super().scan_block_scalar(style)


class _Frame:
    """A mapping or sequence whose end event has not come yet."""

    __slots__ = ("anchor", "height", "key", "kind", "location", "pairs", "size", "values")

    def __init__(self, kind: type[Mapping | Sequence], location: Location, anchor: str | None) -> None:
        self.kind = kind
        self.location = location
        self.anchor = anchor
        self.values: list[Node] = []
        self.pairs: list[tuple[Scalar, Node]] = []
        self.key: Scalar | None = None
        self.size = 1
        self.height = 1


_Anchored: TypeAlias = "_Frame | tuple[Node, int, int]"
_PROPERTIES = re.compile(
    r"(?:&[0-9A-Za-z_-]*|![^ \t\r\n\x85\u2028\u2029]*|[ \t\r\n\x85\u2028\u2029]+|#[^\r\n]*)*"
)


class _YamlReader:
    def __init__(self, text: str, path: str, limits: Limits) -> None:
        self.text = text
        self.src = text + "\0"  # PyYAML's end-of-input sentinel, so re-scanning can peek past the end
        self.path = path
        self.limits = limits
        self.lines = LineIndex(text)
        self.nodes = 0
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchored] = {}
        self.root: Node | None = None
        self.block_indents: dict[int, int] = {}

    def location(self, index: int) -> Location:
        return self.lines.location(self.path, index)

    def documents(self) -> list[Node]:
        try:
            loader = _Loader(self.text)
        except ReaderError as error:
            raise self._reader_error(error) from None
        self.block_indents = loader.block_indents
        try:
            return self._read(loader)
        except ReaderError as error:
            raise self._reader_error(error) from None
        except yaml.MarkedYAMLError as error:
            raise self._marked_error(error) from None
        except (yaml.YAMLError, ValueError) as error:  # `"\U00110000"` makes PyYAML's chr() fail
            message = "an escape beyond U+10FFFF" if "chr()" in str(error) else str(error)
            raise SourceError(self.location(loader.get_mark().index), f"invalid YAML: {message}") from None
        finally:
            loader.dispose()

    def _read(self, loader: _Loader) -> list[Node]:
        documents: list[Node] = []
        while True:
            event = loader.get_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.ScalarEvent):
                self._add(self._scalar(loader, event), 1, 0, event.anchor)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                self._open(event)
            elif isinstance(event, yaml.CollectionEndEvent):
                self._close()
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                self.anchors = {}
            elif isinstance(event, yaml.DocumentEndEvent) and self.root is not None:
                documents.append(self.root)
                self.root = None
            elif isinstance(event, yaml.StreamEndEvent):
                return documents

    def _start(self, event: yaml.NodeEvent) -> int:
        """Where the node itself starts, after its anchor and tag."""
        assert event.start_mark is not None
        index = event.start_mark.index
        if event.anchor is None and getattr(event, "tag", None) is None:
            return int(index)
        end = _PROPERTIES.match(self.src, index)
        return int(end.end()) if end else int(index)

    def _count(self, size: int, index: int) -> None:
        self.nodes += size
        if self.nodes > self.limits.max_nodes:
            raise SourceError(
                self.location(index),
                f"more than {self.limits.max_nodes} nodes once aliases are expanded (an alias bomb?)",
            )

    def _check_depth(self, height: int, index: int) -> None:
        if len(self.stack) + height > self.limits.max_depth:
            raise SourceError(self.location(index), f"nesting deeper than {self.limits.max_depth} levels")

    def _add(self, node: Node, size: int, height: int, anchor: str | None = None) -> None:
        if anchor is not None:
            self.anchors[anchor] = (node, size, height)
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        frame.size += size
        frame.height = max(frame.height, height + 1)
        if frame.kind is Sequence:
            frame.values.append(node)
        elif frame.key is None:
            if not isinstance(node, Scalar):
                raise SourceError(node.location, "a mapping key must be a scalar, not a mapping or sequence")
            frame.key = node
        else:
            frame.pairs.append((frame.key, node))
            frame.key = None

    def _open(self, event: yaml.CollectionStartEvent) -> None:
        kind: type[Mapping | Sequence] = Mapping if isinstance(event, yaml.MappingStartEvent) else Sequence
        assert event.start_mark is not None
        if event.tag not in (None, "!", _YAML + ("map" if kind is Mapping else "seq")):
            raise self._tag_error(event.tag, event.start_mark.index)
        index = self._start(event)
        self._check_depth(1, index)
        self._count(1, index)
        frame = _Frame(kind, self.location(index), event.anchor)
        if event.anchor is not None:
            self.anchors[event.anchor] = frame  # until it closes, an alias to it would be recursive
        self.stack.append(frame)

    def _close(self) -> None:
        frame = self.stack.pop()
        node: Node
        if frame.kind is Sequence:
            node = Sequence(tuple(frame.values), frame.location)
        else:
            node = Mapping(_merge(frame.pairs), frame.location)
        anchor = (
            frame.anchor if frame.anchor is not None and self.anchors.get(frame.anchor) is frame else None
        )
        self._add(node, frame.size, frame.height, anchor)

    def _alias(self, event: yaml.AliasEvent) -> None:
        assert event.start_mark is not None and event.anchor is not None
        index = event.start_mark.index
        target = self.anchors.get(event.anchor)
        if target is None:
            raise SourceError(
                self.location(index), f"alias `*{event.anchor}` refers to no anchor defined before it"
            )
        if isinstance(target, _Frame):
            raise SourceError(
                self.location(index), f"alias `*{event.anchor}` refers to a collection that contains it"
            )
        node, size, height = target
        self._check_depth(height, index)
        self._count(size, index)
        self._add(node, size, height)

    def _scalar(self, loader: _Loader, event: yaml.ScalarEvent) -> Scalar:
        assert event.start_mark is not None and event.end_mark is not None
        start, end = self._start(event), event.end_mark.index
        start = min(start, end)
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        self._count(1, start)
        location = self.location(start)
        text = LazyText(event.value, self.path, self.lines, self._indices(event, start, end))
        return Scalar(self._construct(loader, str(tag), event, location), text, location, str(tag))

    def _construct(
        self, loader: _Loader, tag: str, event: yaml.ScalarEvent, location: Location
    ) -> ScalarValue:
        node = yaml.ScalarNode(tag, event.value)
        try:
            if tag in _KEPT_AS_STRING:
                return event.value
            if tag == INT_TAG:
                return loader.construct_yaml_int(node)
            if tag == FLOAT_TAG:
                return loader.construct_yaml_float(node)
            if tag == BOOL_TAG:
                return loader.construct_yaml_bool(node)
            if tag == NULL_TAG:
                return None
        except (ValueError, KeyError, OverflowError):
            raise SourceError(location, f"`{event.value}` is not a valid {tag.removeprefix(_YAML)}") from None
        assert event.start_mark is not None
        raise self._tag_error(tag, event.start_mark.index)

    def _tag_error(self, tag: str | None, index: int) -> SourceError:
        shown = "!!" + tag[len(_YAML) :] if tag and tag.startswith(_YAML) else tag
        return SourceError(
            self.location(index),
            f"unsupported tag `{shown}`: only strings, numbers, booleans, null, mappings and lists are read",
        )

    def _indices(self, event: yaml.ScalarEvent, start: int, end: int) -> Indices[int]:
        """The file offset of each character of the scalar's value, and one past its end."""
        value, style, src = event.value, event.style, self.src
        if style is None and src[start:end] == value:
            return range(start, end + 1)
        if style in ("'", '"') and src[start + 1 : end - 1] == value:
            return range(start + 1, end)
        runs = _Runs(start + 1 if style in ("'", '"') else start)
        try:
            if style is None:
                _scan_plain(src, start, end, runs)
            elif style in ("'", '"'):
                runs.after = _scan_quoted(src, start, style == '"', runs)
            else:
                _scan_block(src, start, self.block_indents.get(start, 1), runs)
        except (_Mismatch, ValueError, IndexError):
            pass
        if "".join(runs.parts) != value:  # a re-scan that disagrees with PyYAML: point at the scalar
            return [start] * (len(value) + 1)
        return [*runs.indices, runs.after]

    def _reader_error(self, error: ReaderError) -> SourceError:
        character = int(error.character) if isinstance(error.character, int) else 0
        return SourceError(
            self.location(int(error.position)), f"character U+{character:04X} is not allowed in YAML"
        )

    def _marked_error(self, error: yaml.MarkedYAMLError) -> SourceError:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        if "'\\t'" in problem:
            problem = "found a tab character that cannot start any token (YAML indents with spaces only)"
        elif error.context and error.context_mark and error.problem_mark:
            start = self.location(error.context_mark.index)
            problem += f" {error.context} started at line {start.line}, column {start.column}"
        return SourceError(self.location(mark.index if mark else 0), problem)


def _merge(items: list[tuple[Scalar, Node]]) -> tuple[tuple[Scalar, Node], ...]:
    """Resolve `<<` keys: own keys win, then later `<<` keys, then earlier mappings of a `<<` list."""
    if all(key.tag != _MERGE_TAG for key, _ in items):
        return tuple(items)
    own = [(key, value) for key, value in items if key.tag != _MERGE_TAG]
    sources: list[Mapping] = []
    for key, value in items:
        if key.tag != _MERGE_TAG:
            continue
        group = list(value.items) if isinstance(value, Sequence) else [value]
        mappings = [source for source in group if isinstance(source, Mapping)]
        if not mappings or len(mappings) != len(group):
            raise SourceError(key.location, "the merge key `<<` needs a mapping or a list of mappings")
        sources[:0] = mappings
    seen = {key.value for key, _ in own}
    merged: list[tuple[Scalar, Node]] = []
    for source in sources:
        chunk = []
        for key, value in reversed(source.items):  # within one mapping the last duplicate counts
            if key.value not in seen:
                seen.add(key.value)
                chunk.append((key, value))
        merged.extend(reversed(chunk))
    return tuple(merged + own)


class _Mismatch(Exception):
    """The re-scan met something PyYAML's scanner would not have accepted."""


class _Runs:
    """Decoded characters and the file offset each came from, built run by run."""

    def __init__(self, start: int) -> None:
        self.parts: list[str] = []
        self.indices: list[int] = []
        self.after = start

    def copy(self, src: str, start: int, end: int) -> None:
        if end > start:
            self.parts.append(src[start:end])
            self.indices.extend(range(start, end))
            self.after = end

    def put(self, char: str, index: int, width: int) -> None:
        self.parts.append(char)
        self.indices.append(index)
        self.after = index + width


# What PyYAML's scanner does, re-done with offsets: line breaks, escapes and folding per YAML 1.1.
_BREAKS = "\r\n\x85\u2028\u2029"
_PLAIN_RUN = re.compile(r"[^ \r\n\x85\u2028\u2029]+")
_SPACES = re.compile(r" *")
_BLANKS = re.compile(r"[ \t]*")
_LINE_REST = re.compile(r"[^\r\n\x85\u2028\u2029\0]*")
_QUOTED_RUN = re.compile(r"[^'\"\\\0 \t\r\n\x85\u2028\u2029]+")
_ESCAPES = {
    "0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b", "f": "\x0c",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "\\": "\\", "/": "/", "N": "\x85", "_": "\xa0",
    "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_ESCAPE_DIGITS = {"x": 2, "u": 4, "U": 8}
_Break: TypeAlias = tuple[str, int, int]  # the character a line break reads as, its offset, its width


def _line_break(src: str, index: int) -> tuple[str, int]:
    """The break at `index` as YAML 1.1 reads it (`\\r\\n`, `\\r`, `\\x85` become `\\n`), and what follows."""
    char = src[index]
    if char == "\r" and src[index + 1] == "\n":
        return "\n", index + 2
    if char in "\r\n\x85":
        return "\n", index + 1
    if char in "\u2028\u2029":
        return char, index + 1
    return "", index


def _empty_lines(src: str, index: int, blanks: str, bounded: int | None = None) -> tuple[list[_Break], int]:
    """The line breaks among the blanks from `index` on, and where the blanks end."""
    breaks: list[_Break] = []
    while (bounded is None or index < bounded) and src[index] in blanks + _BREAKS:
        if src[index] in blanks:
            index += 1
        else:
            char, following = _line_break(src, index)
            breaks.append((char, index, following - index))
            index = following
    return breaks, index


def _fold(src: str, index: int, runs: _Runs, blanks: str, bounded: int | None) -> int:
    """A line break inside a flow or plain scalar: one break becomes a space, more keep all but the first."""
    first, after = _line_break(src, index)
    width = after - index
    breaks, after = _empty_lines(src, after, blanks, bounded)
    if first != "\n":
        runs.put(first, index, 1)
    elif not breaks:
        runs.put(" ", index, width)
    for brk in breaks:
        runs.put(*brk)
    return after


def _scan_plain(src: str, start: int, end: int, runs: _Runs) -> None:
    index = start
    while index < end:
        run = _PLAIN_RUN.match(src, index, end)
        if run:
            runs.copy(src, index, run.end())
            index = run.end()
            continue
        spaces = _SPACES.match(src, index, end)
        after = spaces.end() if spaces else index
        if after < end and src[after] in _BREAKS:
            index = _fold(src, after, runs, " ", end)
        else:
            runs.copy(src, index, after)
            index = after


def _scan_quoted(src: str, quote: int, double: bool, runs: _Runs) -> int:
    """Scan a quoted scalar opening at `quote`; returns the offset of the closing quote."""
    index = quote + 1
    while True:
        run = _QUOTED_RUN.match(src, index)
        if run:
            runs.copy(src, index, run.end())
            index = run.end()
        char = src[index]
        if not double and char == "'" and src[index + 1] == "'":
            runs.put("'", index, 2)
            index += 2
        elif (double and char == "'") or (not double and char in '"\\'):
            runs.put(char, index, 1)
            index += 1
        elif double and char == "\\":
            index = _escape(src, index, runs)
        elif char == src[quote]:
            return index
        elif char in " \t" + _BREAKS:
            blanks = _BLANKS.match(src, index)
            after = blanks.end() if blanks else index
            if src[after] in _BREAKS:
                index = _fold(src, after, runs, " \t", None)
            else:
                runs.copy(src, index, after)
                index = after
        else:
            raise _Mismatch


def _escape(src: str, index: int, runs: _Runs) -> int:
    code = src[index + 1]
    if code in _ESCAPES:
        runs.put(_ESCAPES[code], index, 2)
        return index + 2
    if code in _ESCAPE_DIGITS:
        digits = _ESCAPE_DIGITS[code]
        runs.put(chr(int(src[index + 2 : index + 2 + digits], 16)), index, 2 + digits)
        return index + 2 + digits
    if code in _BREAKS:  # an escaped line break joins the lines; only the empty lines after it count
        breaks, after = _empty_lines(src, _line_break(src, index + 1)[1], " \t")
        for brk in breaks:
            runs.put(*brk)
        return after
    raise _Mismatch


def _scan_block(src: str, start: int, min_indent: int, runs: _Runs) -> None:
    """Scan a `|` or `>` block scalar whose indicator is at `start`."""
    folded = src[start] == ">"
    chomping: bool | None = None
    increment: int | None = None
    index = start + 1
    while src[index] in "+-123456789":
        if src[index] in "+-":
            chomping = src[index] == "+"
        else:
            increment = int(src[index])
        index += 1
    rest = _LINE_REST.match(src, index)
    _, index = _line_break(src, rest.end() if rest else index)
    column = 0
    breaks: list[_Break] = []
    if increment is None:
        max_indent = 0
        while src[index] in " " + _BREAKS:
            if src[index] == " ":
                index, column = index + 1, column + 1
                max_indent = max(max_indent, column)
            else:
                char, following = _line_break(src, index)
                breaks.append((char, index, following - index))
                index, column = following, 0
        indent = max(min_indent, max_indent)
    else:
        indent = min_indent + increment - 1
        index, column = _block_breaks(src, index, column, indent, breaks)
    line_break: _Break | None = None
    while column == indent and src[index] != "\0":
        for brk in breaks:
            runs.put(*brk)
        leading_non_space = src[index] not in " \t"
        rest = _LINE_REST.match(src, index)
        end = rest.end() if rest else index
        runs.copy(src, index, end)
        char, index = _line_break(src, end)
        line_break = (char, end, index - end) if char else None
        column = 0 if char else column
        breaks = []
        index, column = _block_breaks(src, index, column, indent, breaks)
        if column != indent or src[index] == "\0" or line_break is None:
            break
        if not (folded and char == "\n" and leading_non_space and src[index] not in " \t"):
            runs.put(*line_break)
        elif not breaks:
            runs.put(" ", line_break[1], line_break[2])
    if chomping is not False and line_break is not None:
        runs.put(*line_break)
    if chomping is True:
        for brk in breaks:
            runs.put(*brk)


def _block_breaks(src: str, index: int, column: int, indent: int, breaks: list[_Break]) -> tuple[int, int]:
    """Skip indentation up to `indent` and collect the empty lines that follow."""
    while column < indent and src[index] == " ":
        index, column = index + 1, column + 1
    while src[index] in _BREAKS:
        char, following = _line_break(src, index)
        breaks.append((char, index, following - index))
        index, column = following, 0
        while column < indent and src[index] == " ":
            index, column = index + 1, column + 1
    return index, column
