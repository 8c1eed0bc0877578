#!/usr/bin/env python3
"""Set-up and everyday commands for a fresh machine with only Python 3.11 and pip.

    python3 dev.py start   # install the locked dependencies, build the demo database, serve on :8000
                           # (with a background-job worker beside the web server)
    python3 dev.py test    # install, then lint (ruff), check import boundaries, and run every test

Standard library only: this runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".jigai-lock-sha256"


def run(*cmd, env=None, check=True) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=check).returncode


def ensure_env() -> None:
    if sys.version_info[:2] < (3, 11):
        sys.exit("需要 Python 3.11 或更高版本 / Python 3.11+ is required")
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != digest:
        run(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "--require-hashes", "-r", LOCK)
        run(
            PY,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-e",
            ".",
        )
        STAMP.write_text(digest)


def django_env(settings: str) -> dict:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", settings)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def start(args: list[str]) -> None:
    ensure_env()
    env = django_env("config.settings.local")
    jigai = BIN / "jigai"
    run(jigai, "migrate", "--noinput", "-v", "0", env=env)
    run(jigai, "demo", env=env)
    run(jigai, "collectstatic", "--noinput", "-v", "0", env=env)
    bind = os.environ.get("JIGAI_BIND", "127.0.0.1:8000")
    # Background jobs (large imports, documents, backups, reminders) run in a worker beside the web
    # server, from the database queue (docs/operator-guide.md, 后台任务); it stops with the server.
    worker = None
    if os.environ.get("JIGAI_TASKS_BACKEND", "database") == "database":
        print("+ jigai db_worker（后台任务）", flush=True)
        worker = subprocess.Popen([str(jigai), "db_worker", "--interval", "1"], cwd=ROOT, env=env)
    print(f"\n技改通已启动：http://{bind}/  （按 Ctrl+C 停止）\n", flush=True)
    server = [
        BIN / "gunicorn",
        "config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        os.environ.get("JIGAI_WORKERS", "2"),
        "--threads",
        "4",
        "--access-logfile",
        "-",
        *args,
    ]
    try:
        code = subprocess.run([str(c) for c in server], cwd=ROOT, env=env, check=False).returncode
    except KeyboardInterrupt:
        code = 0
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
    sys.exit(code)


def test(args: list[str]) -> None:
    ensure_env()
    env = django_env("config.settings.test")
    env.pop("DJANGO_SETTINGS_MODULE", None)  # pytest.ini names the test settings
    # ruff and the import-boundary contracts run inside the suite (tests/test_quality.py).
    code = run(BIN / "pytest", *(args or ["-q"]), env=env, check=False)
    sys.exit(code)


def main() -> None:
    commands = {"start": start, "test": test, "setup": lambda _a: ensure_env()}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
