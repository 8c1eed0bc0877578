"""jigai.policy is pure: standard library, PyYAML, NumPy and itself, nothing else (no Django, no clock)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ALLOWED = {"yaml", "numpy"}


def _modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "tests" not in p.relative_to(PACKAGE).parts]


def test_the_policy_package_imports_only_the_standard_library_yaml_numpy_and_itself() -> None:
    bad = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    continue  # relative: inside jigai.policy
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if name.startswith("jigai.policy") or top in ALLOWED or top in sys.stdlib_module_names:
                    continue
                bad.append(f"{path.name}:{node.lineno} imports {name}")
    assert bad == []


def test_the_policy_package_never_reads_the_clock() -> None:
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        for call in ("date.today(", "datetime.now(", "datetime.utcnow(", "time.time("):
            assert call not in text, f"{path.name} calls {call}"
