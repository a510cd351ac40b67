"""The signature table and the implementation table agree, and match what the parser knows."""

from __future__ import annotations

import re

import promql_parser
import pytest

from mmlint.promql.functions import IMPLEMENTATIONS, lookup
from mmlint.promql.signatures import (
    INSTANT,
    RANGE,
    SCALAR,
    SIGNATURES,
    STRING,
    UNSUPPORTED,
    Signature,
    render,
)

TYPES = f"({SCALAR}|{STRING}|{INSTANT}|{RANGE})"
# promql_parser's names for the value types.
PARSER_TYPES = {"Scalar": SCALAR, "String": STRING, "Vector": INSTANT, "Matrix": RANGE}


@pytest.mark.parametrize("compat", [2, 3])
def test_same_functions_in_both_tables(compat: int) -> None:
    available = {name for name, signature in SIGNATURES.items() if signature.available(compat)}
    assert available <= set(IMPLEMENTATIONS)
    assert set(IMPLEMENTATIONS) == set(SIGNATURES)


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_docstring_is_the_signature(name: str) -> None:
    doc = (IMPLEMENTATIONS[name].__doc__ or "").strip().splitlines()[0]
    without_parameter_names = re.sub(rf"\b\w+ (?={TYPES}\b)", "", doc)
    assert without_parameter_names == render(SIGNATURES[name])


# Functions of 2.42 that Prometheus 3 dropped, and the ones 3.x added, as their release notes say.
ONLY_2 = {"holt_winters"}
ADDED_IN_3 = {
    "double_exponential_smoothing", "first_over_time", "histogram_avg", "histogram_quantiles",
    "histogram_stddev", "histogram_stdvar", "mad_over_time", "max_of", "min_of", "sort_by_label",
    "sort_by_label_desc", "ts_of_first_over_time", "ts_of_last_over_time", "ts_of_max_over_time",
    "ts_of_min_over_time",
}  # fmt: skip


@pytest.mark.parametrize(("compat", "absent"), [(2, ADDED_IN_3), (3, ONLY_2)])
def test_dialects(compat: int, absent: set[str]) -> None:
    missing = {name for name, signature in SIGNATURES.items() if not signature.available(compat)}
    assert missing == absent


@pytest.mark.parametrize("name", sorted(set(SIGNATURES) - ONLY_2))
def test_types_match_the_parser(name: str) -> None:
    """promql_parser (the parser mmlint runs) declares the same argument and return types."""
    signature = SIGNATURES[name]
    examples = {SCALAR: "1", STRING: '"a"', INSTANT: "x", RANGE: "x[5m]"}
    text = ", ".join(examples[signature.arg_type(i)] for i in range(signature.min_args))
    call = promql_parser.parse(f"{name}({text})")
    assert isinstance(call, promql_parser.Call)
    function = call.func
    parser_types = tuple(PARSER_TYPES[str(t).rsplit(".", 1)[-1]] for t in function.arg_types)
    assert (parser_types, PARSER_TYPES[str(function.return_type).rsplit(".", 1)[-1]]) == (
        signature.arg_types,
        signature.return_type,
    )
    assert function.variadic == signature.variadic


ARITY = [
    pytest.param("rate", 1, 1, id="rate-exactly-one"),
    pytest.param("round", 1, 2, id="round-optional-to-nearest"),
    pytest.param("year", 0, 1, id="year-optional-vector"),
    pytest.param("label_join", 3, None, id="label_join-unbounded"),
    pytest.param("histogram_quantiles", 3, 12, id="histogram_quantiles-up-to-ten-quantiles"),
    pytest.param("time", 0, 0, id="time-no-arguments"),
]


@pytest.mark.parametrize(("name", "least", "most"), ARITY)
def test_arity(name: str, least: int, most: int | None) -> None:
    signature = SIGNATURES[name]
    assert (signature.min_args, signature.max_args) == (least, most)


def test_repeated_argument_takes_the_last_type() -> None:
    signature = Signature("f", (INSTANT, STRING), INSTANT, variadic=-1)
    assert [signature.arg_type(i) for i in range(4)] == [INSTANT, STRING, STRING, STRING]


@pytest.mark.parametrize(
    ("name", "compat", "found"),
    [("rate", 2, True), ("rate", 3, True), ("holt_winters", 2, True), ("holt_winters", 3, False),
     ("sort_by_label", 2, False), ("sort_by_label", 3, True), ("no_such_function", 2, False)],
)  # fmt: skip
def test_lookup_by_dialect(name: str, compat: int, found: bool) -> None:
    assert (lookup(name, compat) is not None) == found


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_functions_are_real_and_absent(name: str) -> None:
    """Each is a function the parser knows (Prometheus 3 has it) and neither table lists."""
    assert name not in SIGNATURES and name not in IMPLEMENTATIONS
    call = promql_parser.parse(f"{name}({'x' if name in ('info', 'start_timestamp') else ''})")
    assert isinstance(call, promql_parser.Call) and call.func.name == name
