"""JUnit XML for CI systems: a test suite per file, a test case per test group (promtool 3's layout), the
failure text as promtool prints it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from mmlint.ruletest.render import failure_text
from mmlint.ruletest.runner import FileResult


def junit_xml(results: Sequence[FileResult]) -> str:
    root = ET.Element("testsuites")
    for result in results:
        suite = ET.SubElement(root, "testsuite", name=result.shown)
        cases = 0
        failed = 0
        if result.file_failures:
            cases += 1
            failed += 1
            case = ET.SubElement(suite, "testcase", name=result.shown)
            add_failure(case, "\n".join(failure_text(f) for f in result.file_failures))
        for index, group in enumerate(result.groups):
            cases += 1
            # promtool 3 names an unnamed test group `unnamed#<index>`.
            case = ET.SubElement(suite, "testcase", name=group.group.name or f"unnamed#{index}")
            if group.failures:
                failed += 1
                add_failure(case, "\n\n".join(failure_text(f) for f in group.failures))
        suite.set("tests", str(cases))
        suite.set("failures", str(failed))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def add_failure(case: ET.Element, text: str) -> None:
    failure = ET.SubElement(case, "failure", message=text.strip().split("\n", 1)[0].strip())
    failure.text = text
