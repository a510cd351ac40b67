"""How Grafana writes a variable's value into a query: built-in variables and formats.

Built-ins are fixed so that they are valid where Grafana's own values are (durations stay PromQL
durations). Grafana's default time range is the last 6 hours, which sets:

- `$__interval` = `30s` (6h over the ~720 data points of a typical panel), `$__interval_ms` = `30000`;
  `$__auto`, `$__auto_interval_<var>` and an interval variable's `auto` option take the same value.
- `$__rate_interval`: Grafana computes max(`$__interval` + scrape interval, 4 x scrape interval) from the
  data source's scrape interval (`scrape-interval` in `[tool.mmlint]`); with Grafana's default of 15s that
  is max(45s, 60s) = `1m`, `$__rate_interval_ms` = `60000`.
- `$__range` = `21600s` (Grafana writes the range in whole seconds with an `s`, not `6h`),
  `$__range_s` = `21600`, `$__range_ms` = `21600000`.
- `$__from`/`$__to` = epoch milliseconds of 2024-01-01 00:00 and 06:00 UTC; `:date` and `:date:iso` give
  ISO 8601, `:date:seconds` epoch seconds, `:date:ms` milliseconds, `:date:<pattern>` a moment-style
  pattern (YYYY MM DD HH mm ss SSS, in UTC).
- `$__dashboard` (`.name`, `.uid`), `$__user` (`.id`, `.login`, `.email`), `$__org` (`.id`, `.name`):
  fixed stand-ins. `$__searchFilter` = `.*`, as in a variable query with an empty search box.

Formats. With none given, a PromQL query uses the Prometheus data source's own: a variable that is neither
multi-value nor includes All has `\\` doubled and `'` escaped; otherwise each value is regex-escaped for
use inside a PromQL string (`.` becomes `\\\\.`) and several values become `(a|b)`. Other text uses
Grafana's default, `glob` (`{a,b}`). Explicit formats: `csv`, `date`, `distributed`, `doublequote`, `glob`,
`html`, `join`, `json`, `lucene`, `percentencode`, `pipe`, `queryparam`, `raw`, `regex`, `singlequote`,
`sqlstring`, `text`, `uriencode`, each as Grafana's format registry writes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from mmlint.duration import format_duration

Value = str | list[str]

INTERVAL = "30s"
INTERVAL_S = 30.0
DEFAULT_SCRAPE_INTERVAL_S = 15.0  # the Prometheus data source's default scrape interval
ALL_TEXT = "All"

_TO = datetime(2024, 1, 1, 6, tzinfo=UTC)
_FROM = _TO - timedelta(hours=6)
BUILTINS: Mapping[str, str] = {
    "__interval": INTERVAL,
    "__interval_ms": "30000",
    "__range": "21600s",
    "__range_s": "21600",
    "__range_ms": "21600000",
    "__auto": INTERVAL,
    "__searchFilter": ".*",
    "__from": str(int(_FROM.timestamp() * 1000)),
    "__to": str(int(_TO.timestamp() * 1000)),
}
_OBJECTS: Mapping[str, Mapping[str, str]] = {
    "__dashboard": {"": "dashboard", "name": "dashboard", "uid": "dashboard-uid"},
    "__user": {"": "1", "id": "1", "login": "user", "email": "user@example.com"},
    "__org": {"": "1", "id": "1", "name": "org"},
}


@dataclass(frozen=True)
class FormatSubject:
    """What a format needs to know of the variable being written: `texts` are the selected values' display
    texts, for the `text` format."""

    name: str
    texts: tuple[str, ...]
    is_all: bool = False
    multi: bool = False
    include_all: bool = False


def rate_interval_s(scrape_interval_s: float) -> float:
    """Grafana's `$__rate_interval`: a range that holds four samples, and at least one `$__interval` step
    more than one scrape."""
    return max(INTERVAL_S + scrape_interval_s, 4 * scrape_interval_s)


def builtin(
    name: str, field: str | None, *, scrape_interval_s: float = DEFAULT_SCRAPE_INTERVAL_S
) -> str | None:
    """The value of built-in variable `name` (`field` for `${__user.login}` and the like), None if not one."""
    if name == "__rate_interval":
        return format_duration(rate_interval_s(scrape_interval_s))
    if name == "__rate_interval_ms":
        return str(round(rate_interval_s(scrape_interval_s) * 1000))
    if name in BUILTINS:
        return BUILTINS[name]
    if name.startswith("__auto_interval_"):
        return INTERVAL
    if name in _OBJECTS:
        fields = _OBJECTS[name]
        return fields.get(field or "", fields[""])
    return None


def format_value(subject: FormatSubject, value: Value, fmt: str | None, *, promql: bool) -> str:
    """`value` (a list for a multi-value variable) written in format `fmt` (`id[:arg...]`); with no format,
    the Prometheus data source's in a PromQL query, else `glob`, which also stands in for an unknown one."""
    if fmt is None:
        if promql:
            return _prometheus(subject, value)
        fmt = "glob"
    format_id, *args = fmt.split(":")
    return FORMATS.get(format_id, _glob)(value, args, subject)


def _prometheus(subject: FormatSubject, value: Value) -> str:
    """The Prometheus data source's interpolateQueryExpr, with the feature toggle for special characters in
    label values off (its default)."""
    if not subject.multi and not subject.include_all:
        return _prometheus_escape(value) if isinstance(value, str) else ",".join(value)
    if isinstance(value, str):
        return _prometheus_regex_escape(value)
    escaped = [_prometheus_regex_escape(item) for item in value]
    return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"


def _prometheus_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\\\'")


def _prometheus_regex_escape(value: str) -> str:
    # Backslash first, then RE2 metacharacters, each behind a backslash escaped for the PromQL string.
    return re.sub(r"([$^*{}\[\]+?.()|])", r"\\\\\1", value.replace("\\", "\\\\\\\\"))


def _regex_escape(value: str) -> str:
    return re.sub(r"([\\^$*+?.()|\[\]{}/])", r"\\\1", value)


def _lucene_escape(value: str) -> str:
    if re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*|\s*", value):
        return value  # Grafana leaves what JavaScript reads as a number alone
    return re.sub(r"([!*+\-=<>\s&|()\[\]{}^~?:\\/\"])", r"\\\1", value)


def _encode(value: str, safe: str = "") -> str:
    # encodeURIComponent, plus the sub-delimiters !'()* that Grafana's strict variant also encodes.
    return quote(value, safe=safe)


def _html(value: str) -> str:
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#39;")):
        value = value.replace(char, entity)
    return value


def _quoted(value: Value, quote_char: str, escape: Callable[[str], str]) -> str:
    items = value if isinstance(value, list) else [value]
    return ",".join(f"{quote_char}{escape(item)}{quote_char}" for item in items)


def _date(epoch_ms: int, args: list[str]) -> str:
    moment = datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)
    arg = args[0] if args else "iso"
    if arg == "ms":
        return str(epoch_ms)
    if arg == "seconds":
        return str(round(epoch_ms / 1000))
    if arg == "iso":
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    tokens = {"YYYY": "%Y", "YY": "%y", "MM": "%m", "DD": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}
    millis = f"{moment.microsecond // 1000:03d}"
    return re.sub(
        r"YYYY|YY|MM|DD|HH|mm|ss|SSS",
        lambda token: millis if token.group(0) == "SSS" else moment.strftime(tokens[token.group(0)]),
        ":".join(args),
    )


def _js_parse_int(value: Value) -> int | None:
    match = re.match(r"\s*([+-]?\d+)", value if isinstance(value, str) else ",".join(value))
    return int(match.group(1)) if match else None


def _join(value: Value, sep: str) -> str:
    return sep.join(value) if isinstance(value, list) else value


def _lucene(value: Value, args: list[str], subject: FormatSubject) -> str:
    if isinstance(value, str):
        return _lucene_escape(value)
    return "(" + " OR ".join(f'"{_lucene_escape(item)}"' for item in value) + ")" if value else "__empty__"


def _regex(value: Value, args: list[str], subject: FormatSubject) -> str:
    if isinstance(value, str):
        return _regex_escape(value)
    escaped = [_regex_escape(item) for item in value]
    return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"


def _distributed(value: Value, args: list[str], subject: FormatSubject) -> str:
    if isinstance(value, str):
        return value
    return ",".join(value[:1] + [f"{subject.name}={item}" for item in value[1:]])


def _query_param(value: Value, args: list[str], subject: FormatSubject) -> str:
    items = ["$__all"] if subject.is_all else [value] if isinstance(value, str) else value
    return "&".join(f"var-{subject.name}={_encode(item)}" for item in items)


def _glob(value: Value, args: list[str], subject: FormatSubject) -> str:
    return "{" + ",".join(value) + "}" if isinstance(value, list) and len(value) > 1 else _join(value, ",")


def _text(value: Value, args: list[str], subject: FormatSubject) -> str:
    return ALL_TEXT if subject.is_all else " + ".join(subject.texts)


def _date_format(value: Value, args: list[str], subject: FormatSubject) -> str:
    epoch_ms = _js_parse_int(value)
    return "NaN" if epoch_ms is None else _date(epoch_ms, args)


def _braced(value: Value) -> str:
    return "{" + ",".join(value) + "}" if isinstance(value, list) else value


Formatter = Callable[[Value, list[str], FormatSubject], str]
FORMATS: Mapping[str, Formatter] = {
    "csv": lambda value, args, subject: _join(value, ","),
    "date": _date_format,
    "distributed": _distributed,
    "doublequote": lambda value, args, subject: _quoted(value, '"', lambda item: item.replace('"', '\\"')),
    "glob": _glob,
    "html": lambda value, args, subject: _html(_join(value, ", ")),
    "join": lambda value, args, subject: _join(value, args[0] if args else ","),
    "json": lambda value, args, subject: (
        value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    ),
    "lucene": _lucene,
    "percentencode": lambda value, args, subject: _encode(_braced(value)),
    "pipe": lambda value, args, subject: _join(value, "|"),
    "queryparam": _query_param,
    "raw": lambda value, args, subject: _join(value, ","),
    "regex": _regex,
    "singlequote": lambda value, args, subject: _quoted(value, "'", lambda item: item.replace("'", "\\'")),
    "sqlstring": lambda value, args, subject: _quoted(
        value, "'", lambda item: item.replace("'", "''").replace('"', '\\"')
    ),
    "text": _text,
    "uriencode": lambda value, args, subject: _encode(_braced(value), ";,/?:@&=+$#"),
}
