"""RE2 regexes, as Prometheus and Go compile them: label matchers fully anchored (labels.NewFastRegexMatcher
wraps the pattern in `^(?:...)$`), label_replace's likewise, `--run` unanchored. Every compile goes through
`compile_re2`, which bounds the pattern and the program and turns RE2's errors into plain sentences."""

from __future__ import annotations

import functools

import re2

MAX_PATTERN_CHARS = 4096
MAX_PROGRAM_BYTES = 8 << 20


class RegexError(ValueError):
    pass


@functools.lru_cache(maxsize=4096)
def compile_re2(pattern: str, written: str | None = None) -> re2._Regexp[str]:
    """The RE2 program for `pattern`; RegexError when RE2 rejects it or it is too large. `written` is what
    the user wrote, when `pattern` wraps it (anchors): its length is the one a message gives."""
    size = len(pattern if written is None else written)
    if size > MAX_PATTERN_CHARS:
        raise RegexError(f"regex of {size} characters is longer than {MAX_PATTERN_CHARS}")
    options = re2.Options()
    options.log_errors = False
    options.max_mem = MAX_PROGRAM_BYTES
    try:
        return re2.compile(pattern, options=options)
    except re2.error as error:
        raw = error.args[0] if error.args else error
        raise RegexError(raw.decode() if isinstance(raw, bytes) else str(raw)) from None


def compile_matcher(pattern: str) -> re2._Regexp[str]:
    """The anchored RE2 program for the matcher regex `pattern`."""
    return compile_re2(f"^(?:{pattern})$", pattern)


def full_match(pattern: str, value: str) -> bool:
    return compile_matcher(pattern).match(value) is not None
