"""The core loop: find files by content, read them into one Project, run every enabled check, stamp each
finding with its check's ID and configured severity, drop suppressed ones (comments, suppress-panels), and
sort."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from mmlint.checks import ALL
from mmlint.config import Config, build_options
from mmlint.problem import Finding, Location, Problem, sort_key
from mmlint.project import Dashboard, Project, RuleFile, UnitTestFile
from mmlint.sources.dashboard import dashboard_root, read_dashboard, structure_findings
from mmlint.sources.positions import Mapping, Node, SourceError, load_json, load_yaml_documents
from mmlint.sources.registry import LABELS_CALL, UNRESOLVED, read_registry
from mmlint.sources.rules import is_rule_document, read_rule_file
from mmlint.suppress import Suppressions, read_suppressions, unsuppressed
from mmlint.suppress_panels import outside_panels, panel_spans

YAML_SUFFIXES = (".yml", ".yaml")
SKIPPED_DIRS = frozenset({".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"})
DEFAULT_REGISTRY = Path("tools/obs/metrics.py")
# A YAML file that is none of the kinds mmlint reads is ignored, unless its path says it holds rules.
RULE_PATH_RE = re.compile(r"rule|alert|prometheus", re.IGNORECASE)


def discover(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_file():
            yield path
            continue
        for directory, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
            for name in sorted(files):
                if name.endswith((*YAML_SUFFIXES, ".json")):
                    yield Path(directory) / name


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def repository_root(start: Path) -> Path:
    start = start.resolve()
    for directory in (start if start.is_dir() else start.parent, *start.parents):
        if (directory / ".git").exists() or (directory / "pyproject.toml").is_file():
            return directory
    return start if start.is_dir() else start.parent


def is_unit_test_document(node: Node) -> bool:
    return isinstance(node, Mapping) and node.get("rule_files") is not None and node.get("tests") is not None


def unreadable(shown: str, message: str) -> str:
    """A reader's error with the file it is about as the culprit: the reader's words name no file."""
    return f"cannot read `{shown}`: {message[:1].lower()}{message[1:]}"


def load_project(
    paths: Sequence[Path], config: Config, root: Path
) -> tuple[Project, dict[str, Suppressions]]:
    findings: dict[str, list[Finding]] = {}
    rule_files: list[RuleFile] = []
    dashboards: list[Dashboard] = []
    unit_tests: list[UnitTestFile] = []
    suppressions: dict[str, Suppressions] = {}

    def add(pairs: list[tuple[str, Finding]]) -> None:
        for check_id, finding in pairs:
            findings.setdefault(check_id, []).append(finding)

    for path in discover(paths):
        shown = display_path(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            add([("syntax/yaml", Finding(Location(shown, 1, 1), f"cannot read `{shown}`: {error.strerror}"))])
            continue
        if path.suffix == ".json":
            try:
                node = load_json(data, shown)
            except SourceError as error:
                add([("syntax/json", Finding(error.location, unreadable(shown, error.message)))])
                continue
            root_node = dashboard_root(node)
            if root_node is not None:
                scrape = config.scrape_interval_s
                dashboard = read_dashboard(shown, root_node, scrape_interval_s=scrape)
                dashboards.append(dashboard)
                issues = structure_findings(shown, root_node, data=dashboard.data)
                add([("syntax/dashboard", finding) for finding in issues])
            continue
        try:
            documents = load_yaml_documents(data, shown)
        except SourceError as error:
            add([("syntax/yaml", Finding(error.location, unreadable(shown, error.message)))])
            continue
        suppressions[shown] = read_suppressions(data.decode("utf-8", errors="replace"))
        if any(is_rule_document(d) for d in documents):
            rule_file, found = read_rule_file(shown, documents)
            rule_files.append(rule_file)
            add(found)
        elif any(is_unit_test_document(d) for d in documents):
            test_node = next(d for d in documents if is_unit_test_document(d))
            assert isinstance(test_node, Mapping)
            unit_tests.append(UnitTestFile(shown, test_node))
        elif documents and RULE_PATH_RE.search(shown) and not isinstance(documents[0], Mapping):
            message = f"`{shown}` is not a rule file: its top level is not a mapping with `groups`"
            add([("syntax/rule-file", Finding(documents[0].location, message))])

    registry = None
    registry_path = root / (config.registry or DEFAULT_REGISTRY)
    if registry_path.is_file():
        registry, found = read_registry(registry_path.read_bytes(), display_path(registry_path))
        # A registry that does not parse is reported under registry/unresolved too: either way the checks
        # that need it are blind to what it could not read. Calls it would refuse: registry/labels-call.
        add([(check_id if check_id == LABELS_CALL else UNRESOLVED, finding) for check_id, finding in found])
    elif config.registry is not None:
        add(
            [
                (
                    "registry/unresolved",
                    Finding(Location(display_path(registry_path), 1, 1), "registry file not found"),
                )
            ]
        )

    project = Project(
        root=root,
        config=config,
        rule_files=tuple(rule_files),
        dashboards=tuple(dashboards),
        unit_test_files=tuple(unit_tests),
        registry=registry,
        load_findings={check_id: tuple(items) for check_id, items in findings.items()},
    )
    return project, suppressions


def run_checks(project: Project, suppressions: dict[str, Suppressions]) -> list[Problem]:
    config = project.config
    problems: set[Problem] = set()
    for module in ALL:
        if module.ID in config.disable:
            continue
        severity = config.severity.get(module.ID, module.SEVERITY)
        if hasattr(module, "Options"):
            options = build_options(
                module.Options, config.check_options.get(module.ID, {}), module.ID, config.source
            )
            found = module.check(project, options)
        else:
            found = module.check(project)
        for finding in found:
            problems.add(Problem(finding.location, module.ID, severity, finding.message, finding.hint))
    return sorted(outside_panels(unsuppressed(problems, suppressions), panel_spans(project)), key=sort_key)
