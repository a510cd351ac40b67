"""Grafana template variables: read from a dashboard's `templating.list` into one model, and substituted
into query text the way Grafana does, keeping each character's source offset (`substitute`).

Each variable type gives its options the way Grafana builds them:

- `query` and `datasource`: the `options` saved in the JSON (present when the variable never refreshes);
  the linter runs no query, so a freshly exported query variable usually has none.
- `custom`: the comma-separated `query`; `\\,` is a literal comma and an entry `key : value` (spaces
  around the colon) shows `key` and substitutes `value`.
- `interval`: the durations in `query`, with `auto` first when `auto` is on; the `auto` option's value is
  `$__auto_interval_<name>`, which Grafana resolves to the interval it computes from the time range.
- `constant`: `query`, always. `textbox`: the saved `current` value, else `query` (its default).
- `adhoc`: no options; Grafana adds its filters to every selector, and a reference in text expands to
  nothing.

`current` is what the dashboard was saved with; `$__all` as a value means All. An empty `current`
(`""`, `[]`, `{}`) is what an exported dashboard carries before the variable ever loaded: it counts as
absent. The value the linter substitutes is chosen by `select`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from mmlint.sources.grafana_formats import (
    ALL_TEXT,
    DEFAULT_SCRAPE_INTERVAL_S,
    FORMATS,
    INTERVAL,
    FormatSubject,
    Value,
    builtin,
    format_value,
)

JsonPath = tuple[str | int, ...]
Context = Literal["promql", "text"]
IssueKind = Literal["malformed", "unknown", "adhoc", "format"]

ALL_VALUE = "$__all"
KNOWN_TYPES = frozenset({"query", "custom", "interval", "constant", "textbox", "datasource", "adhoc"})

# Grafana's CustomVariable: entries split on commas not preceded by a backslash; `key : value` pairs.
_CUSTOM_ENTRY = re.compile(r"(?:\\,|[^,])+")
_CUSTOM_PAIR = re.compile(r"^\s*(.+)\s:\s(.+)$")
# Grafana's IntervalVariable: quoted entries or word runs.
_INTERVAL_ENTRY = re.compile(r"([\"'])(.*?)\1|\w+", re.ASCII)
_NAME = re.compile(r"\w+", re.ASCII)
# Grafana's variable reference regex: $name | [[name:format]] | ${name.field:format}.
_REFERENCE = re.compile(
    r"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}", re.ASCII
)
_CAPTURE_GROUP = re.compile(r"\(\?P?<(\w+)>", re.ASCII)
_MAX_DEPTH = 4


@dataclass(frozen=True)
class Issue:
    """Something wrong found while reading a dashboard: the JSON path of the culprit and, when the culprit
    is inside a string, the offset of the offending text in it."""

    path: JsonPath
    message: str
    offset: int | None = None
    # For a reference in substituted text: "unknown" (no such variable or built-in), "adhoc" (an ad hoc
    # filter written into text), "format" (an unknown format); "malformed" for the rest.
    kind: IssueKind = "malformed"


@dataclass(frozen=True)
class Variable:
    """One templating entry. `values` are its known option values in order (All excluded), `texts` what the
    picker shows for each; `current` is the saved selection, `("$__all",)` for All."""

    name: str
    type: str
    values: tuple[str, ...]
    include_all: bool
    all_value: str | None
    multi: bool
    path: JsonPath
    texts: tuple[str, ...] = ()
    current: tuple[str, ...] = ()
    current_texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Selection:
    """The values substituted for a variable. `is_list` says Grafana holds them as an array (a multi-value
    variable), which changes a few formats (`json`, `lucene`) even for one value."""

    values: tuple[str, ...]
    texts: tuple[str, ...]
    is_all: bool
    is_list: bool


def select(variable: Variable) -> Selection:
    """The value the linter substitutes, chosen deterministically as Grafana would on load:

    1. a constant's `query` (Grafana overwrites its `current` with it);
    2. the saved `current` value (All if it is `$__all`);
    3. else the first option;
    4. else All, if the variable includes All;
    5. else the variable's own name, a stand-in that is a valid label value, metric name and label name.

    All substitutes `allValue` verbatim when set; otherwise every option, joined by the format. When no
    option is known (a query variable never refreshed), the joined list is the name stand-in: Grafana
    always has options by then, and an empty alternation `()` would misrepresent the dashboard.
    """
    as_list = variable.multi
    if variable.type == "constant" and variable.values:
        return Selection(variable.values[:1], variable.texts[:1], False, False)
    if variable.current and variable.current[0] != ALL_VALUE:
        texts = variable.current_texts if len(variable.current_texts) == len(variable.current) else ()
        return Selection(variable.current, texts or variable.current, False, as_list)
    if variable.values and not variable.current:
        return Selection(variable.values[:1], variable.texts[:1] or variable.values[:1], False, as_list)
    if variable.current or variable.include_all:
        return Selection(variable.values or (variable.name,), (ALL_TEXT,), True, True)
    return Selection((variable.name,), (variable.name,), False, as_list)


def pin_repeat(variables: Mapping[str, Variable], name: str | None) -> dict[str, Variable]:
    """The variables as one clone of a panel repeated by `name` sees them.

    Grafana repeats the panel once per selected value (per option when All is selected) and scopes the
    variable to that single value in the clone's queries; the linter keeps the first clone.
    """
    pinned = dict(variables)
    variable = variables.get(name) if name else None
    if variable is None:
        return pinned
    chosen = select(variable)
    value = chosen.values[0]
    text = value
    if value in variable.values and len(variable.texts) == len(variable.values):
        text = variable.texts[variable.values.index(value)]
    elif not chosen.is_all and chosen.texts:
        text = chosen.texts[0]
    pinned[variable.name] = replace(variable, current=(value,), current_texts=(text,))
    return pinned


def read_variables(dashboard: Mapping[str, object]) -> tuple[dict[str, Variable], list[Issue]]:
    """Every variable of `dashboard` by name, and what was malformed on the way. Never raises."""
    issues: list[Issue] = []
    variables: dict[str, Variable] = {}
    templating = dashboard.get("templating") if isinstance(dashboard, Mapping) else None
    if templating is None:
        return variables, issues
    if not isinstance(templating, Mapping):
        return variables, [Issue(("templating",), "`templating` is not an object")]
    entries = templating.get("list", [])
    if not isinstance(entries, list):
        return variables, [Issue(("templating", "list"), "`templating.list` is not a list")]
    for index, entry in enumerate(entries):
        path: JsonPath = ("templating", "list", index)
        variable = _read_variable(entry, path, issues)
        if variable is None:
            continue
        if variable.name in variables:
            # Grafana indexes variables by name, the later entry winning.
            issues.append(Issue(path, f"variable `{variable.name}` is defined twice"))
        variables[variable.name] = variable
    return variables, issues


def _read_variable(entry: object, path: JsonPath, issues: list[Issue]) -> Variable | None:
    if not isinstance(entry, Mapping):
        issues.append(Issue(path, "templating entry is not an object"))
        return None
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        issues.append(Issue(path, "templating entry has no `name`"))
        return None
    if not _NAME.fullmatch(name):
        issues.append(Issue(path, f"variable name `{name}` cannot be referenced: use letters, digits, `_`"))
    kind = entry.get("type")
    if not isinstance(kind, str) or kind not in KNOWN_TYPES:
        issues.append(Issue(path, f"variable `{name}` has unknown type `{kind}`"))
        kind = kind if isinstance(kind, str) else "unknown"
    all_value = entry.get("allValue")
    options = _options(entry, kind, name, path, issues)
    current = _current(entry.get("current"), path, issues)
    return Variable(
        name=name,
        type=kind,
        values=tuple(value for value, _ in options),
        include_all=entry.get("includeAll") is True,
        all_value=all_value if isinstance(all_value, str) and all_value else None,
        multi=entry.get("multi") is True,
        path=path,
        texts=tuple(text for _, text in options),
        current=current[0],
        current_texts=current[1],
    )


def _options(
    entry: Mapping[str, object], kind: str, name: str, path: JsonPath, issues: list[Issue]
) -> list[tuple[str, str]]:
    query = entry.get("query")
    if kind in ("custom", "interval", "constant", "textbox"):
        if query is None:
            return []
        if not isinstance(query, str):
            issues.append(Issue((*path, "query"), f"variable `{name}` has a `query` that is not a string"))
            return []
        if kind == "custom":
            return [_custom_option(match.group(0)) for match in _CUSTOM_ENTRY.finditer(query)]
        if kind == "interval":
            found = [m.group(2) if m.group(1) else m.group(0) for m in _INTERVAL_ENTRY.finditer(query)]
            auto = [(f"$__auto_interval_{name}", "auto")] if entry.get("auto") is True else []
            return auto + [(value.strip(), value.strip()) for value in found]
        return [(query, query)]
    if kind == "adhoc":
        return []
    saved = entry.get("options", [])
    if not isinstance(saved, list):
        issues.append(Issue((*path, "options"), f"variable `{name}` has `options` that is not a list"))
        return []
    options = []
    for option in saved:
        if isinstance(option, Mapping) and isinstance(option.get("value"), str):
            value = str(option["value"])
            text = option.get("text")
            if value != ALL_VALUE:
                options.append((value, text if isinstance(text, str) else value))
    return options


def _custom_option(entry: str) -> tuple[str, str]:
    entry = entry.replace("\\,", ",")
    pair = _CUSTOM_PAIR.match(entry)
    if pair:
        return pair.group(2).strip(), pair.group(1).strip()
    return entry.strip(), entry.strip()


def _current(current: object, path: JsonPath, issues: list[Issue]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if current is None:
        return (), ()
    if not isinstance(current, Mapping):
        issues.append(Issue((*path, "current"), "`current` is not an object"))
        return (), ()
    values = _strings(current.get("value"))
    if values is None:
        issues.append(
            Issue((*path, "current", "value"), "`current.value` is not a string or list of strings")
        )
        return (), ()
    return values, _strings(current.get("text")) or ()


def _strings(value: object) -> tuple[str, ...] | None:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(str(item) for item in value if item != "")
    return None


def references(raw: str) -> list[tuple[str, str | None]]:
    """Each variable reference in `raw`, left to right: its name and its format (None: the default)."""
    return [
        (match.group(1) or match.group(2) or match.group(4), match.group(3) or match.group(6))
        for match in _REFERENCE.finditer(raw)
    ]


@dataclass(frozen=True)
class Substituted:
    """`text` after substitution; `source_offsets[i]` is the offset in the raw string of `text[i]`, the
    start of the reference for a substituted character. One extra entry, one past the raw end."""

    text: str
    source_offsets: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.source_offsets) != len(self.text) + 1:
            raise ValueError("Substituted needs one offset per character plus one past the end")


def substitute(
    raw: str,
    variables: Mapping[str, Variable],
    *,
    context: Context = "promql",
    path: JsonPath = (),
    scrape_interval_s: float = DEFAULT_SCRAPE_INTERVAL_S,
) -> tuple[Substituted, list[Issue]]:
    """Every variable reference in `raw` substituted as Grafana does, with each character's raw offset.

    References (Grafana's template service regex, left to right): `$name`, `${name}`, `${name:format}`,
    `${name.field}`, `[[name]]`, `[[name:format]]`, a name being `\\w+`; a format may take arguments
    after further colons (`${__from:date:seconds}`). With no format, `context` "promql" writes values as the
    Prometheus data source does, "text" (titles, legends, links) as Grafana's default, glob; built-in
    values and formats are in grafana_formats.

    All with an `allValue` substitutes it verbatim (itself substituted once more, with no format, as
    Grafana does), except for the `text` (`All`) and `percentencode` formats; All without one writes every
    option. An ad hoc filter variable expands to nothing, as in Grafana (its filters go into every
    selector), with an Issue. Left as is, with an Issue: a reference to an unknown variable or to another
    `$__name` (`$__timeFilter` and the other SQL macros, `$__field` and the other data-link macros) --
    except a name starting with a digit (`$1`, `${1}`: a group in label_replace's replacement) or naming a
    capture group of the same text (`(?P<host>...)` then `$host`). An unknown format writes glob, with an
    Issue. Issues carry `path` and the offset of the reference. `$__rate_interval` follows from
    `scrape_interval_s`, the data source's scrape interval.
    """
    issues: list[Issue] = []
    text, offsets = _substitute(raw, variables, context == "promql", issues, 0, scrape_interval_s)
    return Substituted(text, (*offsets, len(raw))), [replace(i, path=path) for i in issues]


def _substitute(
    raw: str,
    variables: Mapping[str, Variable],
    promql: bool,
    issues: list[Issue],
    depth: int,
    scrape_s: float,
) -> tuple[str, list[int]]:
    captures = set(_CAPTURE_GROUP.findall(raw))
    parts: list[str] = []
    offsets: list[int] = []
    done = 0
    for match in _REFERENCE.finditer(raw):
        name = match.group(1) or match.group(2) or match.group(4)
        found: list[tuple[IssueKind, str]] = []
        value = _expand(
            name, match.group(5), match.group(3) or match.group(6), variables, promql, found, depth, scrape_s
        )
        if value is not None or not (name[0].isdigit() or name in captures):
            issues.extend(Issue((), message, match.start(), kind) for kind, message in found)
        parts.append(raw[done : match.start()])
        offsets.extend(range(done, match.start()))
        if value is None:
            parts.append(match.group(0))
            offsets.extend(range(match.start(), match.end()))
        else:
            parts.append(value)
            offsets.extend([match.start()] * len(value))
        done = match.end()
    parts.append(raw[done:])
    offsets.extend(range(done, len(raw)))
    return "".join(parts), offsets


def _expand(
    name: str,
    field: str | None,
    fmt: str | None,
    variables: Mapping[str, Variable],
    promql: bool,
    found: list[tuple[IssueKind, str]],
    depth: int,
    scrape_s: float,
) -> str | None:
    variable = variables.get(name)
    value: Value | None
    known = variable is not None or builtin(name, field, scrape_interval_s=scrape_s) is not None
    if fmt is not None and fmt.split(":")[0] not in FORMATS and known:
        found.append(("format", f"unknown format `{fmt.split(':')[0]}` for `${name}`: Grafana uses glob"))
    if variable is None:
        value = builtin(name, field, scrape_interval_s=scrape_s)
        if value is None:
            found.append(
                (
                    "unknown",
                    f"`${name}` is not a built-in variable of Grafana's Prometheus data source"
                    if name.startswith("__")
                    else f"unknown variable `${name}`",
                )
            )
            return None
        subject = FormatSubject(name, (value,))
    elif variable.type == "adhoc":
        found.append(
            ("adhoc", f"`${name}` is an ad hoc filter: Grafana adds its filters to every selector, not here")
        )
        return ""
    else:
        chosen = select(variable)
        values = [INTERVAL if _is_auto(item) else item for item in chosen.values]
        subject = FormatSubject(name, chosen.texts, chosen.is_all, variable.multi, variable.include_all)
        value = values if chosen.is_list or len(values) != 1 else values[0]
        if chosen.is_all and variable.all_value is not None:
            value = variable.all_value
            if (fmt or "").split(":")[0] not in ("text", "percentencode"):
                if depth >= _MAX_DEPTH:
                    return value
                nested: list[Issue] = []
                text = _substitute(value, variables, False, nested, depth + 1, scrape_s)[0]
                found.extend((issue.kind, issue.message) for issue in nested)
                return text
    return format_value(subject, value, fmt, promql=promql)


def _is_auto(value: str) -> bool:
    # An interval variable's `auto` option, which Grafana replaces with the interval it computes.
    return value == "$__auto" or value.startswith("$__auto_interval_")
