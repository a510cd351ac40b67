"""libyaml's events and PyYAML's pure-Python ones build the same trees: same nodes, locations, character
positions, and the same errors (mmlint.sources.yaml_reader reads with libyaml and falls back on errors)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmlint.sources import yaml_reader
from mmlint.sources.positions import Limits, Node, Scalar, Sequence, SourceError, to_python
from mmlint.sources.yaml_reader import YamlReader

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML was built without libyaml")


def scalars(node: Node) -> Iterator[Scalar]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Scalar):
            yield current
        elif isinstance(current, Sequence):
            stack.extend(current.items)
        else:
            for key, value in current.items:
                stack.extend((key, value))


def read(source: str, *, libyaml: bool) -> object:
    """What the reader makes of `source`: each document with every scalar's character positions, or the
    error as it would be reported."""
    try:
        documents = YamlReader(source, "f.yml", Limits(), libyaml=libyaml).documents()
    except SourceError as error:
        return str(error)
    # repr, not ==: a `.nan` scalar is not equal to itself.
    return [(repr(d), [(s.location, s.text.value, s.text.positions) for s in scalars(d)]) for d in documents]


# Block scalars are re-scanned with an indentation libyaml does not report: the cases where the innermost
# collection's start is not where its event starts (anchors, tags, comments), indentless sequences, keys.
SAME = [
    pytest.param("a: &m\n  b: |\n    x\n", id="anchored-mapping-on-the-line-before"),
    pytest.param("a: !!map\n  b: |\n    x\n", id="tagged-mapping"),
    pytest.param("a: &m !!map # note\n  # more\n\n  b: >\n    x\n    y\n", id="properties-and-comments"),
    pytest.param("key:\n- |\n  text\n- >-\n  a\n  b\n", id="indentless-sequence"),
    pytest.param("seq: &s\n- |\n  x\n", id="anchored-indentless-sequence"),
    pytest.param("- - |\n    x\n  - y\n", id="nested-sequences"),
    pytest.param("- a: |\n    x\n  b: |2\n     y\n", id="mapping-in-sequence-with-indicator"),
    pytest.param("a:\n  b:\n    c: |1\n      x\n", id="indentation-indicator-nested"),
    pytest.param("? |\n  block key\n: v\n", id="block-scalar-key"),
    pytest.param("--- |\n  top\n--- >\n top2\n", id="top-level-documents"),
    pytest.param("a:\n  |\n  x\n", id="block-scalar-on-its-own-line"),
    pytest.param("- !!str |\n  x\n", id="tagged-block-scalar"),
    pytest.param("a: |\r\n  x\r\n  y\r\n", id="crlf"),
    pytest.param("k: 'it''s' # c\nl: \"é😀\\u00e9\"\nm: plain\n  folded\n", id="flow-scalars"),
    pytest.param("a: &x {b: [1, 2.5, .nan, ~, yes]}\nc: *x\n<<: {d: 1}\n", id="aliases-merge-and-types"),
    pytest.param("{a: [x, 'y z']}", id="flow"),
    pytest.param("", id="empty"),
]
ERRORS = [
    pytest.param("a: [1, 2", id="truncated-flow"),
    pytest.param("a: *x", id="undefined-alias"),
    pytest.param("a:\n\tb: 1\n", id="tab"),
    pytest.param("a: b\x01", id="control-character"),
    pytest.param("a: !Ref b", id="local-tag"),
    pytest.param('a: "\\U00110000"', id="escape-out-of-range"),
    pytest.param("a: !!int abc", id="bad-int"),
    pytest.param("a: 1\n  b: 2\n", id="bad-indentation"),
]


@pytest.mark.parametrize("source", SAME)
def test_libyaml_reads_without_the_pure_loader_as_it_reads(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = read(source, libyaml=False)
    assert not isinstance(expected, str), expected
    monkeypatch.setattr(yaml_reader, "_Loader", None)  # any fallback to the pure loader would fail
    assert read(source, libyaml=True) == expected


@pytest.mark.parametrize("source", ERRORS)
def test_errors_are_pure_pyyamls(source: str) -> None:
    expected = read(source, libyaml=False)
    assert isinstance(expected, str)
    assert read(source, libyaml=True) == expected


# Texts libyaml reads otherwise than PyYAML and Go's yaml do, or whose columns are not the scanner's.
PURE_ONLY = [
    pytest.param("a: x\u2028 y\nb: |\n  z\n", id="yaml-only-line-break"),
    pytest.param("a: 1\n\ufeffb: 2\n", id="byte-order-mark-after-the-start"),
    pytest.param("a: [x?y]\n", id="question-mark-in-flow-plain-scalar"),
    pytest.param("a: {b: c?}\n", id="question-mark-ending-flow-plain-scalar"),
    pytest.param("a: !\n", id="empty-non-specific-tag"),
]


@pytest.mark.parametrize("source", PURE_ONLY)
def test_what_libyaml_reads_otherwise_is_read_by_the_pure_loader(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert read(source, libyaml=True) == read(source, libyaml=False)
    monkeypatch.setattr(yaml_reader, "_Loader", None)
    with pytest.raises(TypeError):
        read(source, libyaml=True)


# libyaml and Go's yaml (promtool) read these; PyYAML rejects them (see yaml_reader's docstring).
LIBYAML_READS = [
    pytest.param("a: x\t\n", {"a": "x"}, id="tab-after-a-value"),
    pytest.param("a:\t1\n", {"a": 1}, id="tab-after-a-colon"),
    pytest.param("a: |\t\n  x\n", {"a": "x\n"}, id="tab-after-block-indicator"),
    pytest.param("a: >#c\n  x\n", {"a": "x\n"}, id="comment-right-after-block-indicator"),
]


@pytest.mark.parametrize(("source", "value"), LIBYAML_READS)
def test_libyaml_reads_what_go_yaml_reads(source: str, value: object) -> None:
    assert isinstance(read(source, libyaml=False), str)
    (document,) = YamlReader(source, "f.yml", Limits()).documents()
    assert to_python(document) == value


FRAGMENTS = [
    "a: ", "b:", "- ", "? ", ": ", "|", ">", "|-", "|+", ">2", "|1", "\n", "\r\n", "  ", "   ", "\t",
    "'", '"', "\\", "\\n", "\\u00e9", "\\\n", "''", "x", "y z", " #c", "!!str ", "[", "]", "{", "}", ", ",
    "é😀", "---\n", "&a ", "*a", "<<: ", "!!map\n", "\u2028", "...\n", "?", "!", "\ufeff", "#",
]  # fmt: skip


@settings(
    max_examples=1500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30).map("".join))
def test_both_loaders_read_any_text_alike(source: str) -> None:
    fast, pure = read(source, libyaml=True), read(source, libyaml=False)
    if isinstance(pure, str) and not isinstance(fast, str):
        # Only where libyaml and Go's yaml agree against PyYAML (LIBYAML_READS).
        assert "tab character" in pure or "indicators, but found '#'" in pure, (source, pure)
    else:
        assert fast == pure
