"""What a function implementation receives besides its argument values (Prometheus passes the same through
its EvalNodeHelper and the argument expressions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import promql_parser

from mmlint.promql.values import Value


@dataclass(frozen=True, slots=True)
class Call:
    ts: int  # evaluation timestamp, ms
    exprs: tuple[promql_parser.Expr, ...]  # the argument expressions as parsed (absent() reads matchers)
    # For a range-vector argument (matrix selector or subquery): the window it was selected over, in ms,
    # offset and @ applied. rate()/increase()/delta() extrapolate to these bounds.
    range_start: int | None = None
    range_end: int | None = None
    compat: int = 2  # 2: Prometheus 2.42; 3: Prometheus 3 (left-open windows, its extra functions)


# An implementation takes the evaluated arguments in order and returns a Vector, Scalar or String.
Implementation = Callable[[list[Value], Call], Value]
