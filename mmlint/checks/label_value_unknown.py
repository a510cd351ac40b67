"""A label value that the registry never produces for an enumerated label.

Where the registry shows every value a label can take (a constant tuple it loops over, literal
`.labels(...)` calls, Enum states), each matcher on that label is checked against those values: `=` and
`!=` need one of them; `=~` and `!~` regexes (RE2, fully anchored, as Prometheus matches them) must match at
least one of them, and in a regex that is a plain alternation of words (`a|b|c`) every word must be one.
Grafana variables are substituted first, so `$symbol` at `All` is `.*`.

Why: `reason="risk-limit"` for a value that is spelt `risk_limit` selects nothing, forever.

Bad:

    expr: sum(increase(mm_freeze_events_total{reason="max_inventry"}[1h])) > 3

Good:

    expr: sum(increase(mm_freeze_events_total{reason="max_inventory"}[1h])) > 3
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from mmlint.metrics import known_series
from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.promql.regex import RegexError, full_match
from mmlint.promql.selectors import located_selectors

ID = "label-value/unknown"
SEVERITY = Severity.ERROR


# `a|b|c` of plain words: each word is meant as one value, so each must be one (a typo in one of them still
# lets the others match, and would go unseen by the "matches at least one" test).
_WORDS = re.compile(r"[A-Za-z0-9_:-]+(?:\|[A-Za-z0-9_:-]+)+")


def literal_alternatives(regex: str) -> list[str]:
    return regex.split("|") if _WORDS.fullmatch(regex) else []


def check(project: Project) -> Iterator[Finding]:
    known = known_series(project)
    for query in project.queries():
        for selector in located_selectors(query):
            series = known.get(selector.name or "")
            if series is None:
                continue
            for matcher in selector.matchers:
                allowed = series.allowed_values.get(matcher.name)
                if not allowed:
                    continue
                values = ", ".join(f"`{v}`" for v in sorted(allowed))
                where = f"`{selector.name}{{{matcher.name}}}`"
                if matcher.op in ("=", "!="):
                    if matcher.value in allowed:
                        continue
                    close = difflib.get_close_matches(matcher.value, sorted(allowed), n=1, cutoff=0.6)
                    yield Finding(
                        matcher.location,
                        f"value `{matcher.value}` is never set on {where} (values: {values})",
                        f"did you mean `{close[0]}`?" if close else None,
                    )
                    continue
                try:
                    hits = [value for value in allowed if full_match(matcher.value, value)]
                except RegexError as error:
                    yield Finding(matcher.location, f"regex `{matcher.value}` on {where} is not RE2: {error}")
                    continue
                if not hits:
                    yield Finding(
                        matcher.location,
                        f"regex `{matcher.value}` matches none of the values of {where} ({values})",
                    )
                    continue
                for word in literal_alternatives(matcher.value):
                    if word not in allowed:
                        close = difflib.get_close_matches(word, sorted(allowed), n=1, cutoff=0.6)
                        yield Finding(
                            matcher.location,
                            f"alternative `{word}` of regex `{matcher.value}` is never set on {where} "
                            f"(values: {values})",
                            f"did you mean `{close[0]}`?" if close else None,
                        )
