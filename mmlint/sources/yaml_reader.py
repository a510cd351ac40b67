"""YAML events into positioned nodes (see `positions` for what is read and how): PyYAML's safe loader gives
the events, a stack of open collections builds the tree without recursion, counting nodes and depth against
the limits before anything can blow up, and `yaml_scalars` places every character of every string scalar.

Events come from libyaml (`yaml.CSafeLoader`, some thirty times faster) when PyYAML was built with it, and
from PyYAML's pure-Python `SafeLoader` otherwise. PyYAML is a port of libyaml: both give the same events
with the same marks (a mark's `index` counts characters in both; libyaml writes a plain scalar's style as
'' where PyYAML writes None). Where they differ:
- Any error on the libyaml path (a YAML error, or one of ours such as an unknown tag or an alias bomb)
  re-reads the file with the pure-Python loader, so messages and positions are PyYAML's. So does a text
  that libyaml reads otherwise than both PyYAML and Go's yaml (which promtool uses) do: a plain scalar
  holding `?` inside a flow collection (libyaml 0.2.5 and later keep it in the scalar), an empty scalar
  tagged `!` (libyaml: a string; PyYAML: null), a byte order mark after the start.
- Where libyaml and Go's yaml (itself a port of libyaml) agree against PyYAML, libyaml's reading stands:
  a tab where PyYAML wants a space (`a: x<TAB>`, `a:<TAB>1`, `|<TAB>`) and a comment right after a block
  scalar's indicators (`|#`) are read as promtool reads them; PyYAML rejects such a file. Fuzzing both
  loaders found no other difference, and none at all shows over the YAML files of the corpus and tests.
- A block scalar (`|`, `>`) is re-scanned with the minimal indentation PyYAML's scanner used: the column
  of the innermost open block collection plus one (1 at the top level). libyaml does not report it, so it
  is taken from the stack of open collections, whose first element sets the scanner's indentation. Columns
  there must be YAML's, so a text with YAML 1.1's extra line breaks (`\x85`, U+2028, U+2029), which
  `LineIndex` does not break at, is read with the pure-Python loader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence as Indices
from typing import TypeAlias

import yaml
from yaml.reader import ReaderError
from yaml.tokens import ScalarToken

from mmlint.problem import Location
from mmlint.sources.positions import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    KEPT_AS_STRING,
    MERGE_TAG,
    NULL_TAG,
    YAML_PREFIX,
    LazyText,
    Limits,
    LineIndex,
    Mapping,
    Node,
    Scalar,
    ScalarValue,
    Sequence,
    SourceError,
)
from mmlint.sources.yaml_scalars import Mismatch, Runs, scan_block, scan_plain, scan_quoted

# libyaml when PyYAML was built with it (`yaml.CSafeLoader` is absent otherwise).
_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
# Line breaks of YAML 1.1 that `LineIndex` does not count, so its columns would not be the scanner's, and
# a byte order mark after the start, which libyaml and PyYAML read differently: the pure loader reads these.
_PURE_ONLY_TEXT = re.compile("[\x85\u2028\u2029\ufeff]")


class _Loader(yaml.SafeLoader):
    """The safe loader, noting the minimal indentation of each block scalar so that it can be re-scanned."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.block_indents: dict[int, int] = {}

    def scan_block_scalar(self, style: str) -> ScalarToken:
        # The same minimum PyYAML's scanner derives from its indentation stack, keyed by the `|`/`>` offset.
        self.block_indents[self.index] = max(self.indent + 1, 1)
        return super().scan_block_scalar(style)


class _PureOnly(Exception):
    """libyaml read something PyYAML reads otherwise: the pure-Python loader must read the file."""


class _Frame:
    """A mapping or sequence whose end event has not come yet."""

    __slots__ = ("anchor", "flow", "height", "key", "kind", "location", "pairs", "size", "values")

    def __init__(
        self, kind: type[Mapping | Sequence], location: Location, anchor: str | None, *, flow: bool
    ) -> None:
        self.kind = kind
        self.flow = flow
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


class YamlReader:
    def __init__(self, text: str, path: str, limits: Limits, *, libyaml: bool = True) -> None:
        """`libyaml=False` reads with the pure-Python loader even when libyaml is there."""
        self.text = text
        self.libyaml = libyaml
        self.src = text + "\0"  # PyYAML's end-of-input sentinel, so re-scanning can peek past the end
        self.path = path
        self.limits = limits
        self.lines = LineIndex(text)
        self.nodes = 0
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchored] = {}
        self.root: Node | None = None
        self.block_indents: dict[int, int] | None = None  # None while libyaml reads

    def location(self, index: int) -> Location:
        return self.lines.location(self.path, index)

    def documents(self) -> list[Node]:
        if self.libyaml and _FAST_LOADER is not None and not _PURE_ONLY_TEXT.search(self.text):
            loader = _FAST_LOADER(self.text)
            try:
                return self._read(loader)
            except (yaml.YAMLError, ValueError, SourceError, _PureOnly):
                # PyYAML's own reading says what is wrong, and where, as it always has.
                self.nodes, self.stack, self.anchors, self.root = 0, [], {}, None
            finally:
                loader.dispose()
        return self._read_pure()

    def _read_pure(self) -> list[Node]:
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

    def _read(self, loader: yaml.SafeLoader) -> list[Node]:
        documents: list[Node] = []
        get_event = loader.get_event
        while True:
            event = get_event()  # type: ignore[no-untyped-call]
            if event.__class__ is yaml.ScalarEvent:  # most events: the cheapest test first
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
        if height >= frame.height:
            frame.height = height + 1
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
        if event.tag not in (None, "!", YAML_PREFIX + ("map" if kind is Mapping else "seq")):
            raise self._tag_error(event.tag, event.start_mark.index)
        index = self._start(event)
        self._check_depth(1, index)
        self._count(1, index)
        frame = _Frame(kind, self.location(index), event.anchor, flow=bool(event.flow_style))
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

    def _scalar(self, loader: yaml.SafeLoader, event: yaml.ScalarEvent) -> Scalar:
        # The reader's hottest path (most nodes are scalars): `_start`, `_count` and `location` inlined.
        assert event.start_mark is not None and event.end_mark is not None
        value, tag, start, end = event.value, event.tag, event.start_mark.index, event.end_mark.index
        if self.block_indents is None and (tag == "!" or "?" in value) and self._read_otherwise(event):
            raise _PureOnly
        if tag is not None or event.anchor is not None:
            start = min(self._start(event), end)
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            self._count(0, start)
        location = self.lines.location(self.path, start)
        text = LazyText(value, self.path, self.lines, self._indices(event, start, end))
        tag = str(tag)
        if tag in KEPT_AS_STRING:
            return Scalar(value, text, location, tag)
        return Scalar(self._construct(loader, tag, event, location), text, location, tag)

    def _construct(
        self, loader: yaml.SafeLoader, tag: str, event: yaml.ScalarEvent, location: Location
    ) -> ScalarValue:
        node = yaml.ScalarNode(tag, event.value)
        try:
            if tag == INT_TAG:
                return loader.construct_yaml_int(node)
            if tag == FLOAT_TAG:
                return loader.construct_yaml_float(node)
            if tag == BOOL_TAG:
                return loader.construct_yaml_bool(node)
            if tag == NULL_TAG:
                return None
        except (ValueError, KeyError, OverflowError):
            raise SourceError(
                location, f"`{event.value}` is not a valid {tag.removeprefix(YAML_PREFIX)}"
            ) from None
        assert event.start_mark is not None
        raise self._tag_error(tag, event.start_mark.index)

    def _tag_error(self, tag: str | None, index: int) -> SourceError:
        shown = "!!" + tag[len(YAML_PREFIX) :] if tag and tag.startswith(YAML_PREFIX) else tag
        return SourceError(
            self.location(index),
            f"unsupported tag `{shown}`: only strings, numbers, booleans, null, mappings and lists are read",
        )

    def _indices(self, event: yaml.ScalarEvent, start: int, end: int) -> Indices[int]:
        """The file offset of each character of the scalar's value, and one past its end."""
        value, style, src = event.value, event.style or None, self.src  # libyaml's plain style is ''
        if style is None and src[start:end] == value:
            return range(start, end + 1)
        if style in ("'", '"') and src[start + 1 : end - 1] == value:
            return range(start + 1, end)
        runs = Runs(start + 1 if style in ("'", '"') else start)
        try:
            if style is None:
                scan_plain(src, start, end, runs)
            elif style in ("'", '"'):
                runs.after = scan_quoted(src, start, style == '"', runs)
            else:
                scan_block(src, start, self._block_indent(start), runs)
        except (Mismatch, ValueError, IndexError):
            pass
        if "".join(runs.parts) != value:  # a re-scan that disagrees with PyYAML: point at the scalar
            return [start] * (len(value) + 1)
        return [*runs.indices, runs.after]

    def _read_otherwise(self, event: yaml.ScalarEvent) -> bool:
        """Whether PyYAML would read this scalar of libyaml's otherwise (and so would Go's yaml)."""
        if event.tag == "!" and not event.value:
            return True  # PyYAML resolves an empty `!` scalar as null, libyaml as a string
        # libyaml 0.2.5 lets a plain scalar in a flow collection hold `?`; PyYAML and Go's yaml end it there.
        return not event.style and "?" in event.value and bool(self.stack) and self.stack[-1].flow

    def _block_indent(self, start: int) -> int:
        """The minimal indentation of the block scalar whose `|` or `>` is at `start`."""
        if self.block_indents is not None:
            return self.block_indents.get(start, 1)
        # PyYAML's scanner indents to the innermost block collection's column (0-based), plus one; a block
        # scalar is never inside a flow collection. `location.column` is 1-based: the same number.
        return self.stack[-1].location.column if self.stack else 1

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
    if all(key.tag != MERGE_TAG for key, _ in items):
        return tuple(items)
    own = [(key, value) for key, value in items if key.tag != MERGE_TAG]
    sources: list[Mapping] = []
    for key, value in items:
        if key.tag != MERGE_TAG:
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
