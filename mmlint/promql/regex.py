"""PromQL label-matcher regexes: RE2 syntax, fully anchored, as Prometheus compiles them
(labels.NewFastRegexMatcher wraps the pattern in `^(?:...)$`)."""

from __future__ import annotations

import functools

import re2

MAX_PATTERN_CHARS = 4096
MAX_PROGRAM_BYTES = 8 << 20


class RegexError(ValueError):
    pass


@functools.lru_cache(maxsize=4096)
def compile_matcher(pattern: str) -> re2._Regexp[str]:
    """The anchored RE2 program for `pattern`; RegexError when RE2 rejects it or it is too large."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise RegexError(f"regex of {len(pattern)} characters is longer than {MAX_PATTERN_CHARS}")
    options = re2.Options()
    options.log_errors = False
    options.max_mem = MAX_PROGRAM_BYTES
    try:
        return re2.compile(f"^(?:{pattern})$", options=options)
    except re2.error as error:
        raise RegexError(str(error.args[0] if error.args else error).removeprefix("b'").rstrip("'")) from None


def full_match(pattern: str, value: str) -> bool:
    return compile_matcher(pattern).match(value) is not None
