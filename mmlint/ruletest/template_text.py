"""String functions of alert templates as Go implements them: Go regexps (RE2, as grafana/regexp), their
`$1`/`${name}` replacement, strings.Title/ToUpper/ToLower, net.SplitHostPort, url.QueryEscape and
strconv.ParseFloat."""

from __future__ import annotations

import functools
import ipaddress
import math
import re

import re2

from mmlint.ruletest.goformat import go_quote


class FuncError(Exception):
    """The error a template function returns (or the panic it raises), in Go's words."""


# RE2's C++ error codes, worded as Go's regexp/syntax words them.
_REGEXP_ERRORS = {
    "missing )": "missing closing )",
    "missing ]": "missing closing ]",
    "bad repetition operator": "invalid nested repetition operator",
    "no argument for repetition operator": "missing argument to repetition operator",
    "trailing \\": "trailing backslash at end of expression",
    "invalid repetition size": "invalid repeat count",
    "invalid named capture group": "invalid named capture",
    "invalid perl operator": "invalid or unsupported Perl syntax",
}


def _backquote(text: str) -> str:
    """regexp's quote(): `text` in backquotes when it can be, else strconv.Quote."""
    if "`" not in text and all(char == "\t" or char.isprintable() for char in text):
        return f"`{text}`"
    return go_quote(text)


def go_regexp(pattern: str, *, must: bool = True) -> re2._Regexp[str]:
    """regexp.MustCompile(pattern) (or regexp.Compile when not `must`); FuncError with Go's panic (error)
    text when Go's parser rejects it."""
    compiled = _compile(pattern)
    if isinstance(compiled, str):
        raise FuncError(f"regexp: Compile({_backquote(pattern)}): {compiled}" if must else compiled)
    return compiled


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re2._Regexp[str] | str:
    options = re2.Options()
    options.log_errors = False
    error = ""
    if "(?<" in pattern and "(?<=" not in pattern and "(?<!" not in pattern:
        error = "invalid or unsupported Perl syntax: `(?<`"  # Go 1.19 knows only (?P<name>)
    else:
        try:
            compiled = re2.compile(pattern, options=options)
        except re2.error as exc:
            raw = exc.args[0] if exc.args else b""
            text = raw.decode() if isinstance(raw, bytes) else str(raw)
            code, _, arg = text.partition(": ")
            if code == "trailing \\":
                arg = ""
            error = f"{_REGEXP_ERRORS.get(code, code)}: `{arg}`"
        else:
            return compiled
    return f"error parsing regexp: {error}"


def _expand(template: str, match: re2._Match[str], groups: int, names: dict[str, int]) -> str:
    """regexp.Expand: $1, ${1}, $name, ${name}, $$; a name is as long as it can be ($1x is ${1x});
    a reference to no group, or to one that did not take part, is empty; a malformed one stays as is."""
    out: list[str] = []
    while (dollar := template.find("$")) >= 0:
        out.append(template[:dollar])
        template = template[dollar + 1 :]
        if template.startswith("$"):
            out.append("$")
            template = template[1:]
            continue
        found = re.match(r"\{(\w+)\}|(\w+)", template)
        if found is None:
            out.append("$")
            continue
        name = found.group(1) or found.group(2)
        template = template[found.end() :]
        number = int(name) if name.isdigit() and (name == "0" or not name.startswith("0")) else -1
        index = number if number >= 0 else names.get(name, -1)
        if 0 <= index <= groups and match.span(index)[0] >= 0:
            out.append(match.group(index) or "")
    return "".join(out) + template


def re_replace_all(pattern: str, replacement: str, text: str) -> str:
    """Regexp.ReplaceAllString: every leftmost match replaced, an empty match right after a match skipped."""
    regexp = go_regexp(pattern)
    out: list[str] = []
    last_end = search = 0
    while search <= len(text):
        match = regexp.search(text, search)
        if match is None:
            break
        start, end = match.span()
        out.append(text[last_end:start])
        if end > last_end or start == 0:
            out.append(_expand(replacement, match, regexp.groups, dict(regexp.groupindex)))
        last_end = end
        search = end if end > search else search + 1
    return "".join(out) + text[last_end:]


def title(text: str) -> str:
    """strings.Title: upper-case every letter that follows a separator (not an ASCII letter, digit or
    underscore; beyond ASCII, only spaces separate)."""
    out, previous = [], " "
    for char in text:
        out.append(_single(char.upper(), char) if _separator(previous) else char)
        previous = char
    return "".join(out)


def _separator(char: str) -> bool:
    if char.isascii():
        return not (char.isalnum() or char == "_")
    return not (char.isalpha() or char.isdecimal()) and char.isspace()


def _single(mapped: str, char: str) -> str:
    """Go maps one rune to one rune: a case mapping that yields several characters leaves it unchanged."""
    return mapped if len(mapped) == 1 else char


def to_upper(text: str) -> str:
    return "".join(_single(char.upper(), char) for char in text)


def to_lower(text: str) -> str:
    return "".join(_single(char.lower(), char) for char in text)


def split_host_port(hostport: str) -> tuple[str, str] | None:
    """net.SplitHostPort: (host, port), or None where Go returns an error."""
    colon = hostport.rfind(":")
    if colon < 0:
        return None
    first, after = 0, 0
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0 or end + 1 != colon:
            return None
        host, first, after = hostport[1:end], 1, end + 1
    else:
        host = hostport[:colon]
        if ":" in host:
            return None
    if "[" in hostport[first:] or "]" in hostport[after:]:
        return None
    return host, hostport[colon + 1 :]


def strip_port(hostport: str) -> str:
    split = split_host_port(hostport)
    return hostport if split is None else split[0]


def strip_domain(hostport: str) -> str:
    """The first label of the host name, the port kept; an IP address is returned unchanged."""
    host, port = split_host_port(hostport) or (hostport, "")
    if _is_ip(host):
        return hostport
    host = host.split(".")[0]
    if port:
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return host


def _is_ip(host: str) -> bool:
    """net.ParseIP accepts it (no zone, no leading zeros in IPv4)."""
    if "%" in host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def url_query_escape(text: str) -> str:
    """url.QueryEscape: space as +, unreserved bytes kept, every other byte %XX."""
    out = []
    for byte in text.encode():
        char = chr(byte)
        out.append(char if char in _URL_SAFE else "+" if char == " " else f"%{byte:02X}")
    return "".join(out)


_GO_FLOAT = re.compile(
    r"[+-]?(?:(?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?"
    r"|0[xX](?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?\.?(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?[pP][+-]?\d(?:_?\d)*)"
)


def parse_go_float(text: str) -> float:
    """strconv.ParseFloat(text, 64), with its error text."""
    lowered = text.lower().lstrip("+-")
    sign = -1.0 if text.startswith("-") else 1.0
    if lowered in ("inf", "infinity"):
        return sign * math.inf
    if lowered == "nan" and text == text.lstrip("+-"):
        return math.nan
    if _GO_FLOAT.fullmatch(text) and any(char.isdigit() for char in text):
        cleaned = text.replace("_", "")
        try:
            value = float.fromhex(cleaned) if "x" in cleaned.lower() else float(cleaned)
        except (ValueError, OverflowError):
            value = sign * math.inf
        if not math.isinf(value) or lowered.startswith("inf"):
            return value
        raise FuncError(f"strconv.ParseFloat: parsing {go_quote(text)}: value out of range")
    raise FuncError(f"strconv.ParseFloat: parsing {go_quote(text)}: invalid syntax")
