"""A YAML file that cannot be read.

Every YAML file mmlint looks at (rule files, unit-test files, Kubernetes manifests) must parse as YAML,
be UTF-8, and stay within mmlint's limits (size, nesting depth, alias expansion). A file that fails is
reported at the offending line and column, and the run goes on with the other files.

Why: Prometheus refuses to load a rule file it cannot parse, so every rule in it is silently gone.

Bad:

    groups:
      - name: mm-bot
        rules:
        - alert: X
          expr: up == 0
         labels: {}      # indentation breaks the mapping

Good: consistent indentation, as `promtool check rules` accepts it.
"""

from __future__ import annotations

from collections.abc import Iterator

from mmlint.checks._loaded import loaded
from mmlint.problem import Finding, Severity
from mmlint.project import Project

ID = "syntax/yaml"
SEVERITY = Severity.ERROR


def check(project: Project) -> Iterator[Finding]:
    yield from loaded(project, ID)
