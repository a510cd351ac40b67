"""The positioned YAML and JSON loaders: where every character came from, the limits, and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mmlint.problem import Location
from mmlint.sources.positions import (
    Limits,
    Mapping,
    Node,
    Scalar,
    Sequence,
    SourceError,
    load_json,
    load_yaml_documents,
    node_at,
    to_python,
)
from mmlint.sources.text import Text

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def load_yaml(data: bytes, *, limits: Limits | None = None) -> list[Node]:
    return load_yaml_documents(data, "f.yml", limits=limits or Limits())


def load_one_yaml(source: str) -> Node:
    (document,) = load_yaml(source.encode())
    return document


def scalar_at(root: Node, path: tuple[str | int, ...]) -> Scalar:
    node = node_at(root, path)
    assert isinstance(node, Scalar), f"no scalar at {path}: {node}"
    return node


def line_starts(source: str) -> list[int]:
    """Where each line starts, computed apart from the module under test (breaks: \\r\\n, \\r, \\n)."""
    starts, index = [0], 0
    while index < len(source):
        width = 2 if source.startswith("\r\n", index) else 1
        if source[index] in "\r\n":
            starts.append(index + width)
        index += width
    return starts


def offsets_of(source: str, text: Text) -> list[int]:
    """The file offset of each position of `text`, checking each lies within its line."""
    starts = line_starts(source)
    offsets = []
    for line, column in text.positions:
        assert 1 <= line <= len(starts) and column >= 1
        offset = starts[line - 1] + column - 1
        assert line == len(starts) or offset < starts[line], (line, column)
        offsets.append(offset)
    return offsets


def string_scalars(node: Node) -> Iterator[Scalar]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Scalar):
            if isinstance(current.value, str):
                yield current
        elif isinstance(current, Sequence):
            stack.extend(current.items)
        else:
            for key, value in current.items:
                stack.extend((key, value))


# --- Positions of characters -------------------------------------------------------------------------------

RULE = """\
groups:
- name: g
  rules:
  - alert: A
    expr: |
      sum(rate(x[5m]))
        > 0
"""

YAML_TEXTS = [
    pytest.param(
        RULE,
        ("groups", 0, "rules", 0, "expr"),
        "sum(rate(x[5m]))\n  > 0\n",
        {0: (6, 7), 15: (6, 22), 16: (6, 23), 17: (7, 7), 19: (7, 9), 22: (7, 12), 23: (8, 1)},
        id="literal-block-in-rule",
    ),
    pytest.param(
        "expr: >-\n  sum(x)\n  / sum(y)\n\n  by (a)\n",
        ("expr",),
        "sum(x) / sum(y)\nby (a)",
        {0: (2, 3), 6: (2, 9), 7: (3, 3), 15: (4, 1), 16: (5, 3), 21: (5, 8), 22: (5, 9)},
        id="folded-strip",
    ),
    pytest.param(
        ">\n a\n  b\n c\n",
        (),
        "a\n b\nc\n",
        {0: (2, 2), 1: (2, 3), 2: (3, 2), 3: (3, 3), 5: (4, 2), 6: (4, 3), 7: (5, 1)},
        id="folded-more-indented",
    ),
    pytest.param(
        'q: "a\\"b\\n\\u00e9\\x41 c"\n',
        ("q",),
        'a"b\néA c',
        {
            0: (1, 5),
            1: (1, 6),
            2: (1, 8),
            3: (1, 9),
            4: (1, 11),
            5: (1, 17),
            6: (1, 21),
            7: (1, 22),
            8: (1, 23),
        },
        id="double-quoted-escapes",
    ),
    pytest.param(
        'q: "one\n  two\\\n  three\n\n  four"\n',
        ("q",),
        "one twothree\nfour",
        {2: (1, 7), 3: (1, 8), 4: (2, 3), 7: (3, 3), 12: (4, 1), 13: (5, 3), 17: (5, 7)},
        id="double-quoted-multi-line",
    ),
    pytest.param(
        "s: 'it''s'\n",
        ("s",),
        "it's",
        {0: (1, 5), 1: (1, 6), 2: (1, 7), 3: (1, 9), 4: (1, 10)},
        id="single-quoted-doubled-quote",
    ),
    pytest.param(
        "p: plain\n  multi\n\n  line\n",
        ("p",),
        "plain multi\nline",
        {0: (1, 4), 5: (1, 9), 6: (2, 3), 11: (3, 1), 12: (4, 3), 16: (4, 7)},
        id="plain-multi-line",
    ),
    pytest.param(
        "a: |\r\n  x\r\n  y\r\n",
        ("a",),
        "x\ny\n",
        {0: (2, 3), 1: (2, 4), 2: (3, 3), 3: (3, 4), 4: (4, 1)},
        id="literal-crlf",
    ),
    pytest.param(
        "a: |+\n  x\n\n\nb: 1\n",
        ("a",),
        "x\n\n\n",
        {0: (2, 3), 1: (2, 4), 2: (3, 1), 3: (4, 1), 4: (5, 1)},
        id="literal-keep",
    ),
    pytest.param(
        "a: |2\n    x\n  y\n",
        ("a",),
        "  x\ny\n",
        {0: (2, 3), 2: (2, 5), 3: (2, 6), 4: (3, 3), 5: (3, 4)},
        id="literal-indentation-indicator",
    ),
    pytest.param(
        "a:\n  b: |2\n      x\n     y\n",
        ("a", "b"),
        "  x\n y\n",
        {0: (3, 5), 2: (3, 7), 3: (3, 8), 4: (4, 5), 5: (4, 6), 6: (4, 7), 7: (5, 1)},
        id="literal-indentation-indicator-nested",
    ),
    pytest.param(
        'q: "a\\\n\n  b"\n',
        ("q",),
        "a\nb",
        {0: (1, 5), 1: (2, 1), 2: (3, 3), 3: (3, 4)},
        id="double-quoted-escaped-break-then-empty-line",
    ),
    pytest.param(
        "- |  # note\n  text\n",
        (0,),
        "text\n",
        {0: (2, 3), 4: (2, 7), 5: (3, 1)},
        id="literal-header-comment",
    ),
    pytest.param(
        "p: a \u2028  b\n", ("p",), "a\u2028b", {0: (1, 4), 1: (1, 6), 2: (1, 9)}, id="plain-line-separator"
    ),
    pytest.param("a: &x !!str 12\n", ("a",), "12", {0: (1, 13), 2: (1, 15)}, id="after-anchor-and-tag"),
    pytest.param(
        "k: 😀é x\n", ("k",), "😀é x", {0: (1, 4), 1: (1, 5), 3: (1, 7)}, id="columns-in-characters"
    ),
    pytest.param("{a: [x, 'y z']}", ("a", 1), "y z", {0: (1, 10), 2: (1, 12), 3: (1, 13)}, id="flow"),
]


@pytest.mark.parametrize(("source", "path", "value", "expected"), YAML_TEXTS)
def test_yaml_text_positions(
    source: str, path: tuple[str | int, ...], value: str, expected: dict[int, tuple[int, int]]
) -> None:
    scalar = scalar_at(load_one_yaml(source), path)
    assert scalar.value == value == node_at_python(yaml.safe_load(source), path)
    assert {offset: scalar.text.positions[offset] for offset in expected} == expected
    first = min(expected)
    assert scalar.text.location(first) == Location("f.yml", *expected[first])


JSON_TEXTS = [
    pytest.param(
        '{"expr": "sum(rate(x{a=\\"b\\"}[5m]))"}',
        ("expr",),
        'sum(rate(x{a="b"}[5m]))',
        {0: (1, 11), 12: (1, 23), 13: (1, 24), 14: (1, 26), 15: (1, 27), 16: (1, 29), 23: (1, 36)},
        id="escaped-quotes",
    ),
    pytest.param('["\\u00e9x"]', (0,), "éx", {0: (1, 3), 1: (1, 9), 2: (1, 10)}, id="unicode-escape"),
    pytest.param(
        '["\\ud83d\\ude00!"]', (0,), "😀!", {0: (1, 3), 1: (1, 15), 2: (1, 16)}, id="surrogate-pair"
    ),
    pytest.param('["\\ud800x"]', (0,), "\ud800x", {0: (1, 3), 1: (1, 9)}, id="lone-surrogate-kept"),
    pytest.param('["a\\n\\tb"]', (0,), "a\n\tb", {0: (1, 3), 1: (1, 4), 2: (1, 6), 3: (1, 8)}, id="escapes"),
    pytest.param('{\n  "a": [\n    "b"\n  ]\n}', ("a", 0), "b", {0: (3, 6), 1: (3, 7)}, id="indented"),
    pytest.param('{\r"a":\r"x"}', ("a",), "x", {0: (3, 2)}, id="cr-line-breaks"),
    pytest.param('["😀", "x"]', (1,), "x", {0: (1, 8)}, id="columns-in-characters"),
]


@pytest.mark.parametrize(("source", "path", "value", "expected"), JSON_TEXTS)
def test_json_text_positions(
    source: str, path: tuple[str | int, ...], value: str, expected: dict[int, tuple[int, int]]
) -> None:
    scalar = scalar_at(load_json(source.encode(), "d.json"), path)
    assert scalar.value == value == node_at_python(json.loads(source), path)
    assert {offset: scalar.text.positions[offset] for offset in expected} == expected


def node_at_python(data: object, path: tuple[str | int, ...]) -> object:
    for step in path:
        data = data[step]  # type: ignore[index]
    return data


def test_json_nodes_and_non_string_text() -> None:
    root = load_json(b'{\n  "a": [1.50, -0, 1e3, true, null]\n}', "d.json")
    assert isinstance(root, Mapping) and root.location == Location("d.json", 1, 1)
    numbers = root.get("a")
    assert isinstance(numbers, Sequence) and numbers.location == Location("d.json", 2, 8)
    scalars = [item for item in numbers.items if isinstance(item, Scalar)]
    found = [
        (s.value, type(s.value), s.text.value, s.tag.rsplit(":", 1)[1], s.location.column) for s in scalars
    ]
    assert found == [
        (1.5, float, "1.50", "float", 9),
        (0, int, "-0", "int", 15),
        (1000.0, float, "1e3", "float", 19),
        (True, bool, "true", "bool", 24),
        (None, type(None), "null", "null", 30),
    ]
    assert scalars[0].text.positions == ((2, 9), (2, 10), (2, 11), (2, 12), (2, 13))


def test_yaml_scalars_keep_what_was_written() -> None:
    root = load_one_yaml(
        "a: yes\nb: 1.0\nc: 0x1F\nd: 2001-12-14\ne: ~\nf: '1'\ng: !!int \"12\"\nh: !!str 1.5\n"
    )
    assert isinstance(root, Mapping)
    found = {
        key.value: (value.value, value.text.value, value.tag.rsplit(":", 1)[1])
        for key, value in root.items
        if isinstance(value, Scalar)
    }
    assert found == {
        "a": (True, "yes", "bool"),
        "b": (1.0, "1.0", "float"),
        "c": (31, "0x1F", "int"),
        "d": ("2001-12-14", "2001-12-14", "timestamp"),
        "e": (None, "~", "null"),
        "f": ("1", "1", "str"),
        "g": (12, "12", "int"),
        "h": ("1.5", "1.5", "str"),
    }
    assert scalar_at(root, ("b",)).text.positions == ((2, 4), (2, 5), (2, 6), (2, 7))
    assert scalar_at(root, ("g",)).text.positions == ((7, 11), (7, 12), (7, 13))


def test_bom_is_skipped_and_not_counted() -> None:
    (root,) = load_yaml(b"\xef\xbb\xbfa: b\n")
    assert scalar_at(root, ("a",)).location == Location("f.yml", 1, 4)
    json_root = load_json(b'\xef\xbb\xbf{"a": 1}', "d.json")
    assert isinstance(json_root, Mapping) and json_root.items[0][0].location == Location("d.json", 1, 2)


# --- Documents, merges, duplicates, navigation --------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("", [], id="empty"),
        pytest.param("# only a comment\n", [], id="comment-only"),
        pytest.param("---\n---\n", [None, None], id="two-empty-documents"),
        pytest.param("a: 1\n---\n- b\n...\n", [{"a": 1}, ["b"]], id="two-documents"),
        pytest.param("a: &x 1\nb: &x 2\nc: *x\n", [{"a": 1, "b": 2, "c": 2}], id="anchor-redefined"),
    ],
)
def test_yaml_documents(source: str, expected: list[object]) -> None:
    assert [to_python(document) for document in load_yaml(source.encode())] == expected


MERGES = """\
base: &base {a: 1, b: 2}
other: &other
  b: 3
  c: 4
x:
  <<: [*base, *other]
  c: 5
y:
  <<: *other
  <<: *base
"""


def test_merge_keys_follow_the_spec_and_keep_written_locations() -> None:
    root = load_one_yaml(MERGES)
    assert to_python(root) == {
        "base": {"a": 1, "b": 2},
        "other": {"b": 3, "c": 4},
        "x": {"a": 1, "b": 2, "c": 5},
        "y": {"a": 1, "b": 2, "c": 4},
    }
    x = node_at(root, ("x",))
    assert isinstance(x, Mapping)
    assert [(key.value, key.location.line, key.location.column) for key, _ in x.items] == [
        ("a", 1, 14),
        ("b", 1, 20),
        ("c", 7, 3),
    ]
    assert scalar_at(root, ("x", "b")).location == Location("f.yml", 1, 23)


@pytest.mark.parametrize(
    ("source", "where"),
    [
        pytest.param("a: &x 1\nb:\n  <<: *x\n", (3, 3), id="scalar"),
        pytest.param("a: &x 1\nb:\n  <<: [*x]\n", (3, 3), id="list-of-scalars"),
    ],
)
def test_merge_of_a_non_mapping_is_an_error(source: str, where: tuple[int, int]) -> None:
    with pytest.raises(SourceError) as raised:
        load_yaml(source.encode())
    assert (raised.value.location.line, raised.value.location.column) == where
    assert "merge key `<<`" in raised.value.message


def test_duplicate_keys_are_kept_and_the_last_wins() -> None:
    for root in (load_json(b'{"a": 1, "b": 0, "a": 2}', "d.json"), load_one_yaml("a: 1\nb: 0\na: 2\n")):
        assert isinstance(root, Mapping)
        assert [key.value for key, _ in root.items] == ["a", "b", "a"]
        assert scalar_at(root, ("a",)).value == 2
        assert to_python(root) == {"a": 2, "b": 0}


def test_node_at_and_get() -> None:
    root = load_json(b'{"a": [{"b": "x"}, 3], "1": true}', "d.json")
    assert scalar_at(root, ("a", 0, "b")).value == "x"
    assert scalar_at(root, ("1",)).value is True
    assert node_at(root, ()) is root
    for missing in [("z",), ("a", 2), ("a", -1), ("a", "b"), ("a", 1, 0), (0,)]:
        assert node_at(root, missing) is None, missing
    assert isinstance(root, Mapping)
    assert root.string("1") is None and root.get("a") is not None
    yaml_root = load_one_yaml("2: int key\n'2': str key\non: bool key\n")
    assert isinstance(yaml_root, Mapping)
    assert scalar_at(yaml_root, ("2",)).value == "str key"
    assert yaml_root.get("on") is None
    assert to_python(yaml_root) == {2: "int key", "2": "str key", True: "bool key"}


def test_to_python_respects_limits() -> None:
    root = load_one_yaml("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n")
    assert to_python(root) == {"a": [1, 2, 3], "b": [[1, 2, 3]] * 3}
    with pytest.raises(SourceError, match="more than 10 nodes"):
        to_python(root, limits=Limits(max_nodes=10))
    with pytest.raises(SourceError, match="deeper than 2 levels") as raised:
        to_python(root, limits=Limits(max_depth=2))
    assert raised.value.location == Location("f.yml", 1, 7)


# --- Bad input ----------------------------------------------------------------------------------------------

BILLION_LAUGHS = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + b"".join(
    b"%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n" % ((ord("a") + i + 1,) * 2 + (ord("a") + i,) * 9)
    for i in range(8)
)
DEEP_BLOCK = "".join(f"{' ' * i}a:\n" for i in range(150)).encode()

BAD_YAML = [
    pytest.param(b"a: 1\nb: caf\xe9!\n", Limits(), (2, 7), "invalid UTF-8", id="invalid-utf8"),
    pytest.param(
        b"k: \xc3\xa9\xc3\xa9\xff", Limits(), (1, 6), "invalid UTF-8", id="invalid-utf8-after-multibyte"
    ),
    pytest.param(b"a: [1, 2", Limits(), (1, 9), "expected ',' or ']'", id="truncated-flow"),
    pytest.param(b'a: "abc', Limits(), (1, 8), "end of stream", id="truncated-quoted"),
    pytest.param(b"a:\n  b: 'multi\n  line", Limits(), (3, 7), "end of stream", id="truncated-quoted-lines"),
    pytest.param(b"a:\n\tb: 1\n", Limits(), (2, 1), "tab character", id="tab-indentation"),
    pytest.param(b"a: b\x01", Limits(), (1, 5), "U+0001", id="control-character"),
    pytest.param(b"a: *x", Limits(), (1, 4), "alias `*x` refers to no anchor", id="undefined-alias"),
    pytest.param(b"a: &x [1, *x]", Limits(), (1, 11), "contains it", id="recursive-alias"),
    pytest.param(b"? [a]\n: b\n", Limits(), (1, 3), "must be a scalar", id="complex-key"),
    pytest.param(
        b"!!python/object:os.system x", Limits(), (1, 1), "`!!python/object:os.system`", id="python-object"
    ),
    pytest.param(
        b"a: !!python/object/apply:os.system [ls]",
        Limits(),
        (1, 4),
        "!!python/object/apply",
        id="python-apply",
    ),
    pytest.param(b"a: !Ref b", Limits(), (1, 4), "unsupported tag `!Ref`", id="local-tag"),
    pytest.param(b"a: !!binary aGk=", Limits(), (1, 4), "`!!binary`", id="binary"),
    pytest.param(b"!!set {a, b}", Limits(), (1, 1), "`!!set`", id="set"),
    pytest.param(b"a: !!int abc", Limits(), (1, 10), "`abc` is not a valid int", id="bad-int"),
    pytest.param(b'a: "\\U00110000"', Limits(), (1, 7), "escape beyond U+10FFFF", id="escape-out-of-range"),
    pytest.param(b"[" * 100_000, Limits(), (1, 101), "deeper than 100 levels", id="deep-flow"),
    pytest.param(DEEP_BLOCK, Limits(), (101, 101), "deeper than 100 levels", id="deep-block"),
    pytest.param(
        b"a: &a [[[1]]]\nb: [[*a]]", Limits(max_depth=5), (2, 6), "deeper than 5", id="deep-by-alias"
    ),
    pytest.param(BILLION_LAUGHS, Limits(), (7, 8), "more than 1000000 nodes", id="billion-laughs"),
    pytest.param(b"[1, 2, 3, 4, 5]", Limits(max_nodes=5), (1, 14), "more than 5 nodes", id="max-nodes"),
    pytest.param(b"a: 123456", Limits(max_bytes=8), (1, 1), "9 bytes, over the limit of 8", id="max-bytes"),
]


@pytest.mark.parametrize(("data", "limits", "where", "message"), BAD_YAML)
def test_bad_yaml(data: bytes, limits: Limits, where: tuple[int, int], message: str) -> None:
    with pytest.raises(SourceError) as raised:
        load_yaml(data, limits=limits)
    error = raised.value
    assert (error.location.path, error.location.line, error.location.column) == ("f.yml", *where)
    assert message in error.message and error.message.count("\n") == 0
    assert str(error) == f"f.yml:{where[0]}:{where[1]}: {error.message}"


BAD_JSON = [
    pytest.param(b"", Limits(), (1, 1), "Expecting value, found the end of the file", id="empty"),
    pytest.param(b"  \n ", Limits(), (2, 2), "Expecting value", id="whitespace-only"),
    pytest.param(b'{"a": "caf\xe9"}', Limits(), (1, 11), "invalid UTF-8", id="invalid-utf8"),
    pytest.param(b'{"a": [1, 2', Limits(), (1, 12), "Expecting ',' delimiter or `]`", id="truncated-array"),
    pytest.param(b'{"a": 1', Limits(), (1, 8), "Expecting ',' delimiter or `}`", id="truncated-object"),
    pytest.param(b'{"a": "abc', Limits(), (1, 7), "Unterminated string", id="unterminated-string"),
    pytest.param(b'["abc\\', Limits(), (1, 2), "Unterminated string", id="unterminated-escape"),
    pytest.param(
        b'{\n  "a": 1\n  "b": 2\n}', Limits(), (3, 3), "Expecting ',' delimiter", id="missing-comma"
    ),
    pytest.param(b'{"a" 1}', Limits(), (1, 6), "Expecting ':' delimiter", id="missing-colon"),
    pytest.param(b"{'a': 1}", Limits(), (1, 2), "Expecting property name", id="single-quotes"),
    pytest.param(
        b"[1, 2,]", Limits(), (1, 6), "trailing comma before end of array", id="trailing-comma-array"
    ),
    pytest.param(
        b'{"a": 1,}', Limits(), (1, 8), "trailing comma before end of object", id="trailing-comma-object"
    ),
    pytest.param(b'["a\tb"]', Limits(), (1, 4), "Invalid control character", id="tab-in-string"),
    pytest.param(b'["a\nb"]', Limits(), (1, 4), "Invalid control character", id="newline-in-string"),
    pytest.param(b'["a\\qb"]', Limits(), (1, 4), "Invalid \\escape", id="bad-escape"),
    pytest.param(b'["\\u12G4"]', Limits(), (1, 3), "Invalid \\uXXXX escape", id="bad-unicode-escape"),
    pytest.param(b'["\\ud83d\\uZZZZ"]', Limits(), (1, 9), "Invalid \\uXXXX escape", id="bad-low-surrogate"),
    pytest.param(b"{} {}", Limits(), (1, 4), "Extra data", id="extra-data"),
    pytest.param(b"[01]", Limits(), (1, 3), "Expecting ',' delimiter", id="leading-zero"),
    pytest.param(b"[-]", Limits(), (1, 2), "Expecting value", id="lone-minus"),
    pytest.param(b"[1.]", Limits(), (1, 3), "Expecting ',' delimiter", id="bare-fraction"),
    pytest.param(b"[NaN]", Limits(), (1, 2), "`NaN` is not valid JSON", id="nan"),
    pytest.param(b"[1, Infinity]", Limits(), (1, 5), "`Infinity` is not valid JSON", id="infinity"),
    pytest.param(b"[-Infinity]", Limits(), (1, 2), "`-Infinity` is not valid JSON", id="minus-infinity"),
    pytest.param(b"[True]", Limits(), (1, 2), "Expecting value, found `T`", id="python-literal"),
    pytest.param("[\u0661]".encode(), Limits(), (1, 2), "Expecting value", id="arabic-digit"),
    pytest.param(
        b"[" + b"1" * 5000 + b"]", Limits(), (1, 2), "Number too large to read: 5000 digits", id="huge-int"
    ),
    pytest.param(b"[" * 100_000, Limits(), (1, 101), "deeper than 100 levels", id="deep-arrays"),
    pytest.param(b'{"a":' * 200, Limits(), (1, 501), "deeper than 100 levels", id="deep-objects"),
    pytest.param(b"[1, 2, 3]", Limits(max_nodes=3), (1, 8), "more than 3 values", id="max-nodes"),
    pytest.param(b"[1, 2, 3]", Limits(max_bytes=8), (1, 1), "9 bytes, over the limit of 8", id="max-bytes"),
]


@pytest.mark.parametrize(("data", "limits", "where", "message"), BAD_JSON)
def test_bad_json(data: bytes, limits: Limits, where: tuple[int, int], message: str) -> None:
    with pytest.raises(SourceError) as raised:
        load_json(data, "d.json", limits=limits)
    error = raised.value
    assert (error.location.path, error.location.line, error.location.column) == ("d.json", *where)
    assert message in error.message and error.message.count("\n") == 0


@pytest.mark.parametrize("data", [b"", b"[", b'{"a', b'{"a":', b'{"a": [1,', b'"\\u12', b"tru", b"-", b"1e"])
def test_truncated_json_is_a_source_error(data: bytes) -> None:
    with pytest.raises(SourceError):
        load_json(data, "d.json")


def test_json_accepts_what_json_loads_accepts_at_the_edges() -> None:
    source = b' {"a": [1e400, -0.0, 1E+2, "\\/", "\\ud800"], "": {}, "b": []} '
    assert to_python(load_json(source, "d.json")) == json.loads(source)


# --- Round trips ------------------------------------------------------------------------------------------

TRICKY = " \t\n\r\"'\\:#-?{}[],&*!|>%@`~\x85\u2028\u2029\ufeff\x00\x07\x1béñ😀"
texts = st.text(st.one_of(st.sampled_from(TRICKY), st.characters(codec="utf-8")), max_size=30)
pieces = st.sampled_from(["word", "x y", " ", "  ", "\n", "\n\n", " \n ", "\r\n", "é😀", "a: b", "#c", "- d"])
texts_with_words = st.lists(st.one_of(texts, pieces), max_size=8).map("".join)
# A leading space makes PyYAML write an indentation indicator (`|2`), whose meaning depends on the parent.
yaml_texts = st.one_of(texts_with_words, texts_with_words.map(lambda text: " " + text))


def shaped(value: str, shape: str) -> object:
    return {
        "top": value,
        "map": {"k": value},
        "key": {value: "v", "after": value},
        "seq": ["x", value, value],
        "nested": {"a": [{"b": {"c": [value]}}, value]},
        "deep": {"a": {"b": [{"c": {"d": value}}]}},
    }[shape]


def yaml_escape_decodes_to(source: str, offset: int, char: str) -> bool:
    """Whether the double-quoted YAML escape at `offset` stands for `char`, as PyYAML itself reads it."""
    width = {"x": 4, "u": 6, "U": 10}.get(source[offset + 1], 2)
    return bool(yaml.safe_load('"' + source[offset : offset + width] + '"') == char)


def assert_each_character_produced(source: str, text: Text, escape: Callable[[str, int, str], bool]) -> None:
    offsets = offsets_of(source, text)
    assert offsets == sorted(set(offsets)), "positions must strictly increase"
    for char, offset in zip(text.value, offsets, strict=False):
        written = source[offset]
        assert (
            written == char
            or (written == "\\" and escape(source, offset, char))
            or (written in "\r\n\x85" and char in " \n")
        ), (char, offset, written)


dump_options = st.fixed_dictionaries(
    {
        "width": st.sampled_from([4, 20, 80]),
        "indent": st.sampled_from([2, 3, 4, 7, 9]),
        "allow_unicode": st.booleans(),
        "line_break": st.sampled_from([None, "\r\n", "\r"]),
        "default_flow_style": st.booleans(),
    }
)
SHAPES = st.sampled_from(["top", "map", "key", "seq", "nested", "deep"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=yaml_texts, shape=SHAPES, style=st.sampled_from([None, '"', "'", "|", ">"]), options=dump_options
)
def test_yaml_round_trip_positions(
    value: str, shape: str, style: str | None, options: dict[str, Any]
) -> None:
    assert_yaml_round_trip(shaped(value, shape), style, options)


# Printable text only, so that PyYAML's emitter really uses the block and plain styles it is asked for.
printable_texts = st.lists(pieces, min_size=1, max_size=10).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=st.one_of(printable_texts, printable_texts.map(lambda text: " " + text)),
    shape=SHAPES,
    style=st.sampled_from([None, "'", "|", ">"]),
    options=dump_options,
)
def test_yaml_block_and_folded_round_trip_positions(
    value: str, shape: str, style: str | None, options: dict[str, Any]
) -> None:
    assert_yaml_round_trip(shaped(value, shape), style, options)


def assert_yaml_round_trip(data: object, style: str | None, options: dict[str, Any]) -> None:
    source = yaml.safe_dump(data, default_style=style, **options)
    try:
        expected = yaml.safe_load(source)
    except yaml.YAMLError:
        assume(False)  # PyYAML cannot read back what it wrote; nothing to compare against
    (root,) = load_yaml(source.encode())
    assert to_python(root) == expected
    for scalar in string_scalars(root):
        assert scalar.text.value == scalar.value
        assert_each_character_produced(source, scalar.text, yaml_escape_decodes_to)


def json_escape_decodes_to(source: str, offset: int, char: str) -> bool:
    for width in (12, 6, 2):
        try:
            if json.loads('"' + source[offset : offset + width] + '"') == char:
                return True
        except ValueError:
            pass
    return False


json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), texts
    ),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(texts, children, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(value=json_values, ensure_ascii=st.booleans(), indent=st.sampled_from([None, 0, 2, "\t"]))
def test_json_round_trip_positions(value: object, ensure_ascii: bool, indent: int | str | None) -> None:
    source = json.dumps(value, ensure_ascii=ensure_ascii, indent=indent)
    root = load_json(source.encode(), "d.json")
    assert to_python(root) == json.loads(source)
    for scalar in string_scalars(root):
        assert_each_character_produced(source, scalar.text, json_escape_decodes_to)
        assert source[offsets_of(source, scalar.text)[-1]] == '"', "past the end is the closing quote"
        assert source[offsets_of(source, Text.at("", scalar.location))[0]] == '"', (
            "a string is where its quote is"
        )


# --- Speed and the real world -------------------------------------------------------------------------------


def test_a_two_megabyte_dashboard_loads_with_positions() -> None:
    # How fast is bench/'s business; this asserts what comes out.
    panel = {
        "type": "timeseries",
        "title": "Requests “per second”",
        "gridPos": {"h": 8, "w": 12, "x": 0, "y": 4},
        "targets": [
            {"expr": 'sum by (job) (rate(http_requests_total{job=~"$job", code!="200"}[5m]))', "refId": "A"}
        ],
        "fieldConfig": {
            "defaults": {"unit": "reqps", "thresholds": {"steps": [{"color": "red", "value": 80.5}]}}
        },
    }
    data = json.dumps({"panels": [dict(panel, id=i) for i in range(4500)]}, indent=2).encode()
    assert len(data) > 2_000_000
    root = load_json(data, "big.json")
    expr = scalar_at(root, ("panels", 4499, "targets", 0, "expr"))
    line = data.decode().split("\n")[expr.location.line - 1]
    assert line.index('"expr": "') + 9 == expr.location.column and isinstance(expr.value, str)
    job = expr.value.index("$job")  # one `\"` escape before it
    assert expr.text.location(job) == Location("big.json", expr.location.line, expr.location.column + job + 2)


def corpus_files(*folders: str, suffixes: tuple[str, ...]) -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"no corpus at {CORPUS}")
    return sorted(
        path for folder in folders for path in (CORPUS / folder).rglob("*") if path.suffix in suffixes
    )


def test_corpus_dashboards_read_as_json_loads_reads_them() -> None:
    compared = 0
    for path in corpus_files("dashboards", suffixes=(".json",)):
        data = path.read_bytes()
        try:
            expected = json.loads(data)
        except ValueError:
            continue
        assert to_python(load_json(data, str(path))) == expected, path
        compared += 1
    assert compared == 50


def test_corpus_rules_and_tests_read_as_safe_load_all_reads_them() -> None:
    compared = 0
    for path in corpus_files("rules-lint-only", "promtool-tests", suffixes=(".yml", ".yaml")):
        data = path.read_bytes()
        try:
            expected = list(yaml.safe_load_all(data))
        except yaml.YAMLError:
            continue
        assert [to_python(document) for document in load_yaml_documents(data, str(path))] == expected, path
        compared += 1
    assert compared == 488


YAML_FRAGMENTS = [
    "a: ", "b:", "- ", "? ", ": ", "|", ">", "|-", "|+", ">2", "|1", "\n", "\r\n", "  ", "   ", "\t",
    "'", '"', "\\", "\\n", "\\u00e9", "\\\n", "''", "x", "y z", " #c", "!!str ", "[", "]", "{", "}", ", ",
    "é😀", "---\n",
]  # fmt: skip


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(st.lists(st.sampled_from(YAML_FRAGMENTS), min_size=1, max_size=24).map("".join))
def test_hand_written_yaml_reads_as_pyyaml_reads_it(source: str) -> None:
    """YAML no emitter writes (odd indentation, comments, tabs, escaped breaks) still maps every character."""
    try:
        expected = list(yaml.safe_load_all(source))
    except yaml.YAMLError:
        assume(False)
    documents = load_yaml(source.encode())
    assert [to_python(document) for document in documents] == expected
    for document in documents:
        for scalar in string_scalars(document):
            assert_each_character_produced(source, scalar.text, yaml_escape_decodes_to)


JSON_FRAGMENTS = [
    "{", "}", "[", "]", ",", ":", " ", "\n", "\r", "\t", '"', '"a"', "\\", "\\u", "d83d", "\\ude00", "00e9",
    "\\n", "\\x", "0", "1", "-", ".", "5", "e", "E+", "true", "fals", "null", "NaN", "Infinity", "é",
    "\x01", "'",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(JSON_FRAGMENTS), min_size=1, max_size=20).map("".join))
def test_json_accepts_exactly_what_json_loads_accepts(source: str) -> None:
    """Except NaN and the infinities, which RFC 8259 (and Grafana) reject and `json.loads` reads."""
    try:
        expected: object = json.loads(source)
    except ValueError:
        expected = SourceError
    try:
        got = to_python(load_json(source.encode(), "d.json"))
    except SourceError as error:
        assert expected is SourceError or "is not valid JSON" in error.message, error
    else:
        assert got == expected


noise = st.one_of(
    st.binary(max_size=60),
    st.lists(st.sampled_from(YAML_FRAGMENTS + JSON_FRAGMENTS + ["&a ", "*a", "<<: ", "!x ", "%YAML 1.1\n"]))
    .map("".join)
    .map(str.encode),
)


@settings(max_examples=1000, deadline=None)
@given(data=noise)
def test_any_bytes_give_a_tree_or_a_source_error(data: bytes) -> None:
    for load in (load_yaml, lambda data: [load_json(data, "d.json")]):
        try:
            documents = load(data)
        except SourceError as error:
            assert error.location.line >= 1 and error.location.column >= 1 and error.message
        else:
            for document in documents:
                to_python(document)
                for scalar in string_scalars(document):
                    assert len(scalar.text.positions) == len(scalar.value) + 1  # type: ignore[arg-type]
