"""The layer contract (`.importlinter`, docs/architecture.md) holds, and a broken layer is named.

`make test` runs `lint-imports` itself; these tests prove the contract is the one written down: that it passes on
the tree as it is, that an import across a layer fails it with the importer and the line named, and that no module
of the package imports the benchmarks.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed by make install")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 — our own lint-imports, on our own tree
        [str(LINT_IMPORTS), "--config", str(root / ".importlinter"), "--no-cache"],
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_tree_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_an_import_of_a_module_from_the_framework_fails_the_contract_and_names_it(tmp_path):
    shutil.copytree(ROOT / "hitechzone", tmp_path / "hitechzone", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    (tmp_path / "hitechzone" / "common" / "shortcut.py").write_text(
        '"""A shortcut nobody should take."""\n\nfrom hitechzone.liaison.models import Visit  # noqa: F401\n'
    )
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "hitechzone.common is not allowed to import hitechzone.liaison" in result.stdout
    assert "hitechzone.common.shortcut -> hitechzone.liaison.models (l.3)" in result.stdout


def test_no_module_of_the_package_imports_the_benchmarks():
    offenders = []
    for path in (ROOT / "hitechzone").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names if n.split(".")[0] == "bench"]
    assert offenders == []
