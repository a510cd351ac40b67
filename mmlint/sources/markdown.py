"""The anchors GitHub gives a Markdown file's headings, for checking `file.md#anchor` links.

GitHub renders each heading (ATX `# Title`, or setext: a line underlined with `===` or `---`) with an id
made from its text: inline markup reduced to its text, lowercased, every character that is punctuation
or a symbol removed except `-` and `_`, each space made a `-`. A repeated anchor gets `-1`, `-2`, ... in
document order. Explicit `<a name="x">` and `<a id="x">` anchors count too. Headings inside fenced code
blocks are not headings.
"""

from __future__ import annotations

import re
import unicodedata

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HTML_ANCHOR = re.compile(r"<a\s[^>]*?\b(?:name|id)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")


def slug(heading: str) -> str:
    """The anchor GitHub makes of a heading's text (before de-duplication)."""
    text = _TAG.sub("", _LINK.sub(r"\1", heading)).strip().lower()
    kept = (c for c in text if c in "-_ " or not unicodedata.category(c).startswith(("P", "S")))
    return "".join(kept).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """Every anchor a link into `markdown` can name."""
    found: set[str] = set(_HTML_ANCHOR.findall(markdown))
    counts: dict[str, int] = {}
    fence = ""
    previous = ""
    for line in markdown.splitlines():
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = ""
            previous = ""
            continue
        if opener:
            fence, previous = opener.group(1), ""
            continue
        heading = None
        if (atx := _ATX.match(line)) is not None:
            heading = atx.group(2) or ""
        elif _SETEXT.match(line) and previous.strip() and not _ATX.match(previous):
            heading = previous.strip()
        if heading is not None:
            base = slug(heading)
            count = counts.get(base, 0)
            counts[base] = count + 1
            found.add(f"{base}-{count}" if count else base)
        previous = "" if heading is not None else line
    return found
