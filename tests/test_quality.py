"""Lint (ruff) and the import boundaries (import-linter) are part of the suite, so one command checks all."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_ruff_finds_nothing_to_fix():
    r = subprocess.run([BIN / "ruff", "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_import_boundaries_hold():
    r = subprocess.run([BIN / "lint-imports", "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_code_is_formatted_as_ruff_formats_it():
    r = subprocess.run(
        [BIN / "ruff", "format", "--check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0, "run `.venv/bin/ruff format .`\n" + r.stdout + r.stderr
