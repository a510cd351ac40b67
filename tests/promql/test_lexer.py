from __future__ import annotations

import time

import promql_parser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmlint.promql.lexer import Kind, Token, tokenize

ID, MID, KW, AGG = Kind.IDENTIFIER, Kind.METRIC_IDENTIFIER, Kind.KEYWORD, Kind.AGGREGATOR
NUM, DUR, STR, OP, PUN = Kind.NUMBER, Kind.DURATION, Kind.STRING, Kind.OPERATOR, Kind.PUNCTUATION


def spaced(text: str) -> list[tuple[Kind, str]]:
    """`kind:text` pairs separated by spaces, kinds abbreviated: the expected tokens, compactly."""
    kinds = {
        "id": ID,
        "mid": MID,
        "kw": KW,
        "agg": AGG,
        "num": NUM,
        "dur": DUR,
        "str": STR,
        "op": OP,
        "p": PUN,
    }
    return [(kinds[kind], token) for kind, token in (pair.split(":", 1) for pair in text.split())]


TOKENS = [
    pytest.param("foo", "id:foo", id="identifier"),
    pytest.param("job:up:rate5m :a", "mid:job:up:rate5m mid::a", id="metric-identifiers-with-colons"),
    pytest.param("foo and bar", "id:foo kw:and id:bar", id="set-operator-keyword"),
    pytest.param("a OR b atan2 c", "id:a kw:OR id:b kw:atan2 id:c", id="keywords-ignore-case"),
    pytest.param(
        "x > bool on(a) group_left(b) y",
        "id:x op:> kw:bool kw:on p:( id:a p:) kw:group_left p:( id:b p:) id:y",
        id="binary-modifiers",
    ),
    pytest.param("sum by (job) (x)", "agg:sum kw:by p:( id:job p:) p:( id:x p:)", id="aggregation"),
    pytest.param("limitk(1, x)", "agg:limitk p:( num:1 p:, id:x p:)", id="limitk-aggregator"),
    pytest.param("x offset 5m @ start()", "id:x kw:offset dur:5m p:@ kw:start p:( p:)", id="modifiers"),
    pytest.param("a + fill (0) b", "id:a op:+ kw:fill p:( num:0 p:) id:b", id="fill-before-paren-is-keyword"),
    pytest.param("fill + fill_left", "id:fill op:+ id:fill_left", id="fill-alone-is-identifier"),
    pytest.param(
        "0x1F 1e-3 .5 5. 017 1E+2", "num:0x1F num:1e-3 num:.5 num:5. num:017 num:1E+2", id="numbers"
    ),
    pytest.param("Inf nan NaN123", "num:Inf num:nan id:NaN123", id="inf-nan"),
    pytest.param("-1 +Inf", "op:- num:1 op:+ num:Inf", id="sign-is-an-operator"),
    pytest.param("1h30m 5ms 2y 1e", "dur:1h30m dur:5ms dur:2y num:1e", id="durations"),
    pytest.param("x[5m:1m]", "id:x p:[ dur:5m p:: dur:1m p:]", id="subquery"),
    pytest.param("x[ 5 : ]", "id:x p:[ num:5 p:: p:]", id="number-range"),
    pytest.param(
        "{a=\"1\", b!~'x' or c=~`y`}",
        "p:{ id:a op:= str:\"1\" p:, id:b op:!~ str:'x' kw:or id:c op:=~ str:`y` p:}",
        id="matchers-with-or",
    ),
    pytest.param(
        '{or="x",by!="y"}', 'p:{ id:or op:= str:"x" p:, id:by op:!= str:"y" p:}', id="words-are-labels"
    ),
    pytest.param('{"a.b"="c"}', 'p:{ str:"a.b" op:= str:"c" p:}', id="quoted-label"),
    pytest.param(r'"a\"b\n" ' + r"'\''", r'str:"a\"b\n" ' + r"str:'\''", id="escapes"),
    pytest.param(
        "a == b != c <= d >= e", "id:a op:== id:b op:!= id:c op:<= id:d op:>= id:e", id="comparisons"
    ),
    pytest.param(
        "1*2/3%4^5<6>7",
        "num:1 op:* num:2 op:/ num:3 op:% num:4 op:^ num:5 op:< num:6 op:> num:7",
        id="arithmetic-without-spaces",
    ),
    pytest.param(" \t\r\n\f", "", id="only-white-space"),
]


def test_comment_is_a_token_to_the_end_of_the_line() -> None:
    assert [(t.kind, t.text) for t in tokenize("a # c\r\n+ b")] == [
        (ID, "a"),
        (Kind.COMMENT, "# c"),
        (OP, "+"),
        (ID, "b"),
    ]


@pytest.mark.parametrize(("text", "expected"), TOKENS)
def test_tokens(text: str, expected: str) -> None:
    tokens = tokenize(text)
    assert [(t.kind, t.text) for t in tokens] == spaced(expected)
    assert all(text[t.start : t.end] == t.text for t in tokens)


ERRORS = [
    pytest.param("(foo", 0, "unclosed left parenthesis", id="unclosed-paren-at-opener"),
    pytest.param("sum(rate(x[5m])", 3, "unclosed left parenthesis", id="innermost-unclosed-paren"),
    pytest.param("foo)", 3, "unexpected right parenthesis", id="stray-right-paren"),
    pytest.param('x{a="b"', 1, "unexpected end of input inside braces", id="unclosed-brace-at-opener"),
    pytest.param("x[5m", 1, "unexpected end of input inside brackets", id="unclosed-bracket-at-opener"),
    pytest.param("x}", 1, "unexpected right brace", id="stray-right-brace"),
    pytest.param("x]", 1, "unexpected right bracket", id="stray-right-bracket"),
    pytest.param('x{a="b"{', 7, "unexpected left brace", id="brace-in-braces"),
    pytest.param("x[5m[", 4, "unexpected left brace '['", id="bracket-in-brackets"),
    pytest.param('a + "abc', 4, "unterminated quoted string", id="unterminated-string-at-quote"),
    pytest.param("`abc", 0, "unterminated quoted string `", id="unterminated-raw-string"),
    pytest.param(r'"ab\qc"', 3, "unknown escape sequence 'q'", id="bad-escape-at-backslash"),
    pytest.param("'ab\\", 3, "escape sequence not terminated", id="escape-at-end"),
    pytest.param("a $ b", 2, "unexpected character: '$'", id="bad-character"),
    pytest.param("a ! b", 2, "unexpected character after '!'", id="lone-bang"),
    pytest.param("a =~ b", 2, "unexpected character after '='", id="regex-op-outside-braces"),
    pytest.param("a.b", 1, "unexpected character after '.'", id="dot"),
    pytest.param('x{a~"b"}', 3, "unexpected character inside braces", id="bad-character-in-braces"),
    pytest.param('x{a!"b"}', 3, "unexpected character after '!' inside braces", id="bang-in-braces"),
    pytest.param("x[-5m]", 2, "unexpected character inside brackets", id="sign-in-brackets"),
    pytest.param("x[5m:1m:]", 7, "unexpected second colon", id="second-colon"),
    pytest.param("x[:5m]", 2, "expect duration before first colon", id="colon-first"),
    pytest.param("5x", 0, "bad number or duration syntax: 5x", id="bad-number"),
    pytest.param("x[5m1]", 2, "bad number or duration syntax: 5m1", id="duration-count-without-unit"),
    pytest.param("1_000", 0, "bad number or duration syntax: 1_", id="underscore-in-number"),
    pytest.param("a é", 2, "unexpected character: 'é'", id="non-ascii"),
]


@pytest.mark.parametrize(("text", "offset", "message"), ERRORS)
def test_errors(text: str, offset: int, message: str) -> None:
    tokens = tokenize(text)
    assert tokens[-1].kind is Kind.ERROR
    assert [t for t in tokens if t.kind is Kind.ERROR] == tokens[-1:]
    assert tokens[-1].start == offset
    with pytest.raises(ValueError) as raised:
        promql_parser.parse(text)
    assert message in str(raised.value)
    assert tokens[-1].message == str(raised.value)


PIECES = [*"(){}[],:@+-*/%^=!<>~\"'`\\#.\n _\f\v", "or ", r"\q", r"\n"]
WORDS = "foo a:b 5m 1h30m 0x1f 1e3 sum by offset Inf rate \"s\" 'x' `r` é 5 3. .5 ms x fill( on( bool"
PIECES += WORDS.split()
promqlish = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


def _check_layout(text: str, tokens: list[Token]) -> None:
    """Tokens are ordered and between them there is only white space."""
    body = tokens[:-1] if tokens and tokens[-1].kind is Kind.ERROR else tokens
    position = 0
    for token in body:
        assert token.text == text[token.start : token.end] and token.start < token.end
        assert text[position : token.start].strip(" \t\n\r\f") == ""
        position = token.end
    if body is tokens:
        assert text[position:].strip(" \t\n\r\f") == ""
    else:
        error = tokens[-1]
        assert error.text == text[error.start : error.end] and error.message


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(promqlish)
def test_lexer_agrees_with_promql_parser_on_lexical_errors(text: str) -> None:
    """An error token exactly when promql_parser's own lexer rejects the text, with the same message class."""
    tokens = tokenize(text)
    _check_layout(text, tokens)
    try:
        promql_parser.parse(text)
        message = ""
    except ValueError as error:
        message = str(error)
    if tokens and tokens[-1].kind is Kind.ERROR:
        assert message.split(":")[0] == tokens[-1].message.split(":")[0]
    else:
        assert not message.startswith(("unclosed", "unexpected character", "unterminated", "bad number"))


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_any_text_tokenizes(text: str) -> None:
    _check_layout(text, tokenize(text))


EXPR = (
    'sum by (job, instance) (rate(http_requests_total{job=~"api|web", code!="500"}[5m] offset 1h))'
    " / on(job) group_left(team) max(up{env='prod'}) > bool 0.5 # ratio\n"
)


def test_one_megabyte_tokenizes() -> None:
    text = EXPR * (1_000_000 // len(EXPR))
    assert len(tokenize(text)) == len(tokenize(EXPR)) * (1_000_000 // len(EXPR))


@pytest.mark.parametrize("unit", ["(", "1+", '{a="b",', "a ", '"' + "a" * 99, "#" * 100, "1" * 100], ids=repr)
def test_time_is_linear(unit: str) -> None:
    """Ten times the input costs about ten times the time, even for inputs that are one long token."""

    def seconds(size: int) -> float:
        # CPU time, best of three, so that other processes on a busy machine do not make a linear lexer
        # look quadratic; the bound below is 30 times looser than linear, quadratic would be 100 times.
        text = unit * (size // len(unit))
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            tokenize(text)
            best = min(best, time.process_time() - started)
        return best

    small, large = seconds(20_000), seconds(200_000)
    assert large < 10 * small * 3 + 0.05
