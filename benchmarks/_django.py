"""Shared set-up for benchmarks: a throw-away database (SQLite file or PostgreSQL), migrated."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# JIGAI_BENCH_DB names the throw-away PostgreSQL database, so two people benchmarking on one server do not
# drop each other's.
BENCH_DB = os.environ.get("JIGAI_BENCH_DB", "jigai_bench")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"


def setup(engine: str) -> None:
    """Point Django at a fresh database for `engine` ("sqlite" or "postgres") and migrate it."""
    if engine == "sqlite":
        tmp = tempfile.mkdtemp(prefix="jigai-bench-")
        os.environ["JIGAI_SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
        os.environ.pop("DATABASE_URL", None)
    else:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
        os.environ["DATABASE_URL"] = PG_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            return True
    except Exception:
        return False
