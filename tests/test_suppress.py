from __future__ import annotations

from mmlint.problem import Location, Problem, Severity
from mmlint.suppress import read_suppressions, unsuppressed

TEXT = """\
groups:
  - name: g  # mmlint: disable=syntax/rule-file
    rules:
      # mmlint: disable=metric/unknown,label/unknown

      - alert: A
        expr: x
# mmlint: disable-file=label-value/unknown
"""


def problem(line: int, check_id: str) -> Problem:
    return Problem(Location("r.yml", line, 1), check_id, Severity.ERROR, "m")


def test_same_line_next_line_and_file() -> None:
    s = read_suppressions(TEXT)
    assert s.covers(problem(2, "syntax/rule-file"))
    assert not s.covers(problem(3, "syntax/rule-file"))
    assert s.covers(problem(6, "metric/unknown")) and s.covers(problem(6, "label/unknown"))
    assert not s.covers(problem(7, "metric/unknown"))
    assert s.covers(problem(1, "label-value/unknown"))


def test_unsuppressed_keeps_the_rest() -> None:
    problems = [problem(2, "syntax/rule-file"), problem(7, "metric/unknown")]
    assert unsuppressed(problems, {"r.yml": read_suppressions(TEXT)}) == [problems[1]]
