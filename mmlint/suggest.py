"""Did-you-mean suggestions over many names: an index of character trigrams picks a few candidates
sharing the most trigrams with the unknown name, and difflib ranks those. Comparing each unknown name
with thousands of recording-rule names by difflib alone takes minutes on a large rule repository."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable

# How many trigram-nearest names difflib ranks: enough that the best difflib match is among them.
SHORTLIST = 32


def trigrams(name: str) -> list[str]:
    """The name's distinct character trigrams, sorted so that everything built from them is ordered the
    same way whatever the hash seed."""
    padded = f"  {name} "
    return sorted({padded[i : i + 3] for i in range(len(padded) - 2)})


class Suggester:
    def __init__(self, names: Iterable[str], cutoff: float) -> None:
        self.names = sorted(set(names))
        self.cutoff = cutoff
        self.index: defaultdict[str, list[int]] = defaultdict(list)
        for position, name in enumerate(self.names):
            for gram in trigrams(name):
                self.index[gram].append(position)
        self.memo: dict[str, str | None] = {}

    def closest(self, name: str) -> str | None:
        if name not in self.memo:
            shared: Counter[int] = Counter()
            for gram in trigrams(name):
                shared.update(self.index.get(gram, ()))
            shortlist = sorted(position for position, _ in shared.most_common(SHORTLIST))
            close = difflib.get_close_matches(name, [self.names[p] for p in shortlist], 1, self.cutoff)
            self.memo[name] = close[0] if close else None
        return self.memo[name]
