"""Differential test: templates built at random from the pieces alert templates use, expanded by mmlint and by
the real promtool 2.42 (as annotations of alerts in one `promtool test rules` run), must come out the same.

promtool prints each failing alert's annotations as a Go-quoted label set; every expected annotation here
is a placeholder, so every alert fails and promtool shows what Go produced.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mmlint.promql.values import Sample, Vector
from mmlint.ruletest.template_nodes import unquote
from mmlint.ruletest.templates import TemplateData, expand_value

LABELS = {"instance": "db-1.example.com:9187", "job": "postgres"}
EXTERNAL = {"cluster": "eu-1"}
URL = "https://prometheus.example.com/"
VALUES = ["0", "1", "0.25", "-3.5", "1234567.891", "1e-7", "86461.5", "1e21", "NaN", "+Inf"]
OPERANDS = [
    "$value",
    ".Value",
    "1",
    "2.5",
    "-4",
    "0.001",
    "1e6",
    '"text"',
    '"12.5"',
    "$labels.job",
    "$labels.instance",
    "$labels.missing",
    "$externalLabels.cluster",
    "$externalURL",
    "true",
    "(len $labels)",
    '(query "q" | sortByLabel "instance" | first | value)',
]
UNARY = [
    "humanize",
    "humanize1024",
    "humanizeDuration",
    "humanizePercentage",
    "humanizeTimestamp",
    "toUpper",
    "toLower",
    "title",
    "stripPort",
    "stripDomain",
    "len",
    "not",
    "html",
    "js",
    "urlquery",
    "print",
    'printf "%v"',
    'printf "%.2f"',
    'printf "%d"',
    'printf "%s"',
    'printf "%q"',
    'printf "%6.1f|"',
    'printf "%x"',
    'printf "%e"',
    'printf "%g"',
    'reReplaceAll "[.:]" "_"',
    'match "^db"',
]
BINARY = ["eq", "ne", "lt", "le", "gt", "ge", "and", "or"]


# One failed alert in promtool's report: its name, then (after `exp:`) the annotations it got.
FAILURE = re.compile(
    r"alertname: T(\d+), time: 0s, \n.*?got:\[\n\s+0:\n\s+Labels:\{.*?\}\n\s+Annotations:\{a=(\".*?\")\}\n",
    re.S,
)


def operand(rng: random.Random) -> str:
    return rng.choice(OPERANDS)


def pipeline(rng: random.Random) -> str:
    shape = rng.randrange(4)
    if shape == 0:
        return operand(rng)
    if shape == 1:
        return f"{rng.choice(UNARY)} {operand(rng)}"
    if shape == 2:
        return f"{operand(rng)} | {rng.choice(UNARY)}"
    return f"{rng.choice(BINARY)} {operand(rng)} {operand(rng)}"


def template(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 3)):
        shape = rng.randrange(5)
        if shape < 2:
            parts.append(f"{{{{ {pipeline(rng)} }}}}")
        elif shape == 2:
            parts.append(f"{{{{ if {pipeline(rng)} }}}}yes{{{{ else }}}}no{{{{ end }}}}")
        elif shape == 3:
            parts.append(f"{{{{ with {pipeline(rng)} }}}}[{{{{ . }}}}]{{{{ else }}}}none{{{{ end }}}}")
        else:
            parts.append("{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}")
    return rng.choice(["", "x ", "-\n"]).join(parts)


def query(expr: str) -> Vector:
    assert expr == "q"
    return Vector(
        [
            Sample((("__name__", "q"), ("instance", "a")), 0, 0.5),
            Sample((("__name__", "q"), ("instance", "b")), 0, 2.0),
        ]
    )


@pytest.fixture(scope="module")
def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        message = (
            "promtool is not installed: templates were NOT compared with it (scripts/setup.sh installs it)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(f"!!! {message} !!!")
    return path


def promtool_annotations(promtool: str, cases: list[tuple[str, str]], tmp_path: Path) -> dict[int, str]:
    rules = [
        {"alert": f"T{i}", "expr": f"m * 0 + {value}", "annotations": {"a": text}}
        for i, (text, value) in enumerate(cases)
    ]
    tests = [
        {
            "eval_time": "0m",
            "alertname": f"T{i}",
            "exp_alerts": [{"exp_labels": LABELS, "exp_annotations": {"a": "?"}}],
        }
        for i in range(len(cases))
    ]
    series = [
        {"series": 'm{instance="db-1.example.com:9187", job="postgres"}', "values": "1"},
        {"series": 'q{instance="a"}', "values": "0.5"},
        {"series": 'q{instance="b"}', "values": "2"},
    ]
    group = {"interval": "1m", "external_labels": EXTERNAL, "external_url": URL, "input_series": series}
    unit = {"rule_files": ["rules.yml"], "tests": [{**group, "alert_rule_test": tests}]}
    (tmp_path / "rules.yml").write_text(
        json.dumps({"groups": [{"name": "g", "rules": rules}]}), encoding="utf-8"
    )
    (tmp_path / "test.yml").write_text(json.dumps(unit), encoding="utf-8")
    result = subprocess.run(
        [promtool, "test", "rules", "test.yml"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    return {
        int(match.group(1)): unquote(match.group(2))
        for match in FAILURE.finditer(result.stdout + result.stderr)
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_random_templates_expand_as_promtool_expands_them(promtool: str, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    cases = [(template(rng), rng.choice(VALUES)) for _ in range(120)]
    got = promtool_annotations(promtool, cases, tmp_path)
    assert len(got) == len(cases), "promtool did not report every alert's annotations"
    for index, (text, value) in enumerate(cases):
        data = TemplateData(LABELS, float(value.replace("Inf", "inf")), EXTERNAL, URL)
        mine = expand_value(text, data, name=f"__alert_T{index}", query=query)
        assert (text, value, mine) == (text, value, got[index])
