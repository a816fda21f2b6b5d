"""The house plan holds: faces over features over core (docs/architecture.md).

`lint-imports` checks the contracts in pyproject.toml (CI runs it too); these tests show that it
would catch a feature importing a face, and check what its contracts cannot say: no import
cycle among modules, and no feature reading the request or rendering pages.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
FEATURES = (
    "orgs",
    "sso",
    "auth",
    "instruments",
    "bookings",
    "billing",
    "orders",
    "challenges",
    "training",
    "notices",
    "assessment",
    "needs",
    "vouchers",
    "funding",
    "agents",
    "loans",
    "cruises",
)
# The faces over the features, the floor under them, and what is not code of the platform.
NOT_FEATURES = {"web", "api", "feeds", "demo", "core", "util", "translations"}
# The house plan's size of a module (docs/architecture.md): past it, a module holds two jobs.
MOST_LINES = 400
# What only the faces may use: the request, page rendering, forms.
FACE_ONLY = {("flask", "request"), ("flask", "render_template"), ("flask_wtf", None)}
FACE_ONLY_MODULES = {"flask_wtf", "wtforms"}


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(cwd / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_contracts_hold():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_feature_importing_a_face_breaks_the_contracts(tmp_path):
    shutil.copytree(ROOT / "sharing", tmp_path / "sharing", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    probe = tmp_path / "sharing" / "bookings" / "probe.py"
    probe.write_text('"""A back-arrow."""\n\nfrom sharing.web.forms import show_domain_error\n')
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "sharing.bookings.probe -> sharing.web.forms" in result.stdout


def test_no_import_cycle_among_modules():
    graph = grimp.build_graph("sharing")
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    assert _cycles(imports) == []


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan; the package is shallow)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for child in sorted(imports[node] & imports.keys()):
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            group = stack[stack.index(node) :]
            del stack[stack.index(node) :]
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return groups


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_features_neither_read_the_request_nor_render_pages():
    offenders = []
    for feature in FEATURES:
        for path in sorted((ROOT / "sharing" / feature).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = {(node.module, alias.name) for alias in node.names}
                    if names & FACE_ONLY or node.module.split(".")[0] in FACE_ONLY_MODULES:
                        offenders.append(f"{path.relative_to(ROOT)}: from {node.module}")
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.split(".")[0] in FACE_ONLY_MODULES:
                            offenders.append(f"{path.relative_to(ROOT)}: import {alias.name}")
    assert offenders == []


def test_every_package_of_the_platform_is_a_feature_or_a_face_or_the_floor():
    packages = {p.name for p in (ROOT / "sharing").iterdir() if (p / "__init__.py").exists()}
    assert packages - NOT_FEATURES == set(FEATURES)


def test_no_module_is_over_the_house_size():
    """Code modules of the platform, its scripts and benchmarks; data lives in data files."""
    too_long = {
        str(path.relative_to(ROOT)): lines
        for folder in ("sharing", "scripts", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert too_long == {}
