"""A string value read from a file, with the file position of each of its characters."""

from __future__ import annotations

from dataclasses import dataclass

from mmlint.problem import Location


@dataclass(frozen=True)
class Text:
    """`value` as decoded from its source (YAML scalar, JSON string), and where each character came from.

    `positions[i]` is the (line, column) in `path` of the source character that produced `value[i]`; one
    extra entry gives the position just past the value, so an error at the end of the text has a place.
    Escapes (`\\n` in JSON, `''` in YAML) and folded line breaks map to the first source character of the
    sequence that produced them.
    """

    value: str
    path: str
    positions: tuple[tuple[int, int], ...]

    def __post_init__(self) -> None:
        if len(self.positions) != len(self.value) + 1:
            raise ValueError("Text needs one position per character plus one past the end")

    def location(self, offset: int = 0) -> Location:
        line, column = self.positions[max(0, min(offset, len(self.positions) - 1))]
        return Location(self.path, line, column)

    @classmethod
    def at(cls, value: str, location: Location) -> Text:
        """A text whose characters all sit on one line from `location` on, as in a plain one-line scalar."""
        return cls(
            value,
            location.path,
            tuple((location.line, location.column + i) for i in range(len(value) + 1)),
        )
