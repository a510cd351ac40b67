"""A `runbook_url` into this repository that names a missing file or a missing heading.

A `runbook_url` annotation that is a relative path (`RUNBOOK.md#anchor`, resolved against the repository
root, else against the rule file's folder) or a URL starting with one of the option
`repository_urls` (prefixes that stand for the repository root, such as
`https://github.com/<owner>/<repo>/blob/main/`) must name a file or folder that exists in the
repository. An `#anchor` into a Markdown file must be the anchor GitHub gives one of its headings
(lowercased, punctuation dropped, spaces as `-`, `-1`, `-2` for repeats) or an explicit `<a name>`.
Other URLs, and templated values (`{{ ... }}`), are not checked.

Why: the runbook link is what the person paged clicks first; a renamed file or heading leaves them on a
404 or at the top of a long page.

Bad:

    runbook_url: RUNBOOK_SHADOW.md#mm-net-pnl-negative

Good:

    runbook_url: RUNBOOK_SHADOW.md#mmnetpnlnegative
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mmlint.problem import Finding, Severity
from mmlint.project import Project
from mmlint.sources.markdown import anchors

ID = "rule/runbook-url"
SEVERITY = Severity.WARNING
ANNOTATION = "runbook_url"
MARKDOWN = (".md", ".markdown")


@dataclass(frozen=True, kw_only=True)
class Options:
    repository_urls: tuple[str, ...] = ()


def check(project: Project, options: Options) -> Iterator[Finding]:
    cache: dict[Path, set[str] | None] = {}
    for rule_file in project.rule_files:
        for rule in rule_file.rules():
            value = rule.annotations.get(ANNOTATION)
            url = value.written.strip() if value is not None else ""
            if value is None or not url or "{{" in url:
                continue
            relative = _in_repository(url, options.repository_urls)
            if relative is None:
                continue
            path, _, anchor = relative.partition("#")
            path = unquote(path.split("?", 1)[0])
            target = _resolve(project.root, Path(rule_file.path).parent, path)
            if target is None:
                yield Finding(
                    value.location,
                    f"`{ANNOTATION}` of alert `{rule.name}` names `{path or url}`, which is not a file "
                    f"in the repository",
                )
                continue
            if not anchor:
                continue
            known = _anchors(target, cache)
            anchor = unquote(anchor)
            if known is None or anchor in known:
                continue
            close = difflib.get_close_matches(anchor.lower(), sorted(known), n=1, cutoff=0.6)
            yield Finding(
                value.text.location(value.written.find("#") + 1),
                f"`{path or target.name}` has no heading with anchor `#{anchor}` "
                f"(`{ANNOTATION}` of alert `{rule.name}`)",
                f"did you mean `#{close[0]}`?" if close else None,
            )


def _in_repository(url: str, prefixes: tuple[str, ...]) -> str | None:
    """The path (and #anchor) into the repository that `url` names, None for a URL elsewhere."""
    for prefix in prefixes:
        if url.startswith(prefix):
            return url[len(prefix) :].lstrip("/")
    parts = urlsplit(url)
    return None if parts.scheme or parts.netloc else url


def _resolve(root: Path, rule_dir: Path, path: str) -> Path | None:
    """The existing file or folder `path` names inside `root`: from the root, else from the rule file's
    folder (a relative path in the working directory, as the rule file's own path is)."""
    root = root.resolve()
    if not path:
        return None
    for base in (root, rule_dir.resolve()) if not path.startswith("/") else (root,):
        try:
            candidate = (base / path.lstrip("/")).resolve()
            if candidate.is_relative_to(root) and candidate.exists():
                return candidate
        except (OSError, ValueError):  # a name the file system cannot hold (a NUL byte, too long)
            return None
    return None


def _anchors(target: Path, cache: dict[Path, set[str] | None]) -> set[str] | None:
    """The anchors of a Markdown file (of a folder's README.md, as GitHub shows it); None: not checked."""
    if target.is_dir():
        target = target / "README.md"
    if target not in cache:
        cache[target] = None
        if target.suffix.lower() in MARKDOWN and target.is_file():
            try:
                cache[target] = anchors(target.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                cache[target] = None
    return cache[target]
