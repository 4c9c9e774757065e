"""The shape of the code (README, Architecture): modules and functions of a readable size,
SQL only in the store, and imports that point down the pipeline, checked by import-linter."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "storylens"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# SQL in a string: the statements the store writes, in capitals as it writes them.
SQL = re.compile(
    r"\b(SELECT\b[\s\S]+\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(VIRTUAL\s+)?(TABLE|INDEX|VIEW|TRIGGER)|DROP\s+(TABLE|INDEX)|PRAGMA\s+\w+"
    r"|BEGIN\s+IMMEDIATE|ROLLBACK|COMMIT)\b"
)
CONNECTION_CALLS = {"execute", "executemany", "executescript"}


def _modules(folder: Path = PACKAGE) -> Iterator[Path]:
    yield from sorted(folder.rglob("*.py"))


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def test_architecture_modules_at_most_500_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_architecture_functions_at_most_60_lines() -> None:
    """Counted from the ``def`` line to the function's last line, docstring included."""
    long = []
    for path in _modules():
        for node in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines})")
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def _sql_uses(path: Path) -> list[str]:
    """Where a module imports sqlite3, calls a connection's execute* or holds SQL text."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any(name.split(".")[0] == "sqlite3" for name in names):
                found.append(f"{node.lineno}: imports sqlite3")
        elif isinstance(node, ast.Attribute) and node.attr in CONNECTION_CALLS:
            found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(
            node.value
        ):
            found.append(f"{node.lineno}: SQL text {node.value[:40]!r}")
    return found


def test_architecture_only_the_store_runs_sql() -> None:
    store = PACKAGE / "store"
    outside = {
        str(path.relative_to(ROOT)): uses
        for path in _modules()
        if store not in path.parents and (uses := _sql_uses(path))
    }
    assert not outside, f"SQL outside storylens/store/: {outside}"
    assert any(_sql_uses(path) for path in _modules(store)), "the check finds the store's SQL"


def test_architecture_sql_check_finds_sql_in_a_module(tmp_path: Path) -> None:
    module = tmp_path / "reads.py"
    module.write_text(
        'import sqlite3\n\ndef count(db: sqlite3.Connection) -> int:\n'
        '    return db.execute("SELECT count(*) FROM articles").fetchone()[0]\n'
    )
    assert len(_sql_uses(module)) == 3


def _lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """import-linter over the package found in ``folder``, with the project's contracts."""
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=folder, env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("copy")
    shutil.copytree(PACKAGE, folder / "storylens", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def test_architecture_imports_point_down_the_pipeline() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def _lint_with_import(package_copy: Path, module_path: str, line: str) -> str:
    """import-linter's output over the copy with ``line`` added to one module (then removed);
    the check must fail."""
    module = package_copy / "storylens" / module_path
    original = module.read_text()
    module.write_text(original + f"\n{line}  # noqa: E402,F401\n")
    try:
        result = _lint_imports(package_copy)
    finally:
        module.write_text(original)
    assert result.returncode == 1, result.stdout
    return result.stdout


def test_architecture_upward_import_breaks_the_contract(package_copy: Path) -> None:
    output = _lint_with_import(package_copy, "ingest/sources.py", "from ..web import api")
    assert "storylens.ingest is not allowed to import storylens.web" in output


def test_architecture_import_cycle_breaks_the_contract(package_copy: Path) -> None:
    """ingest.parse imports ingest.dates: dates importing parse closes a circle."""
    output = _lint_with_import(package_copy, "ingest/dates.py", "from . import parse")
    assert "No cycles are allowed in storylens.ingest" in output


def test_architecture_readme_names_every_stage_package() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    packages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    missing = [name for name in packages if f"`{name}/`" not in section]
    assert not missing, f"README's Architecture section does not name {missing}"
