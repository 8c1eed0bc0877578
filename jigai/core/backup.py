"""Backups (docs/security.md, Platform): SQLite through its online backup API, PostgreSQL through pg_dump -Fc.

A restore is only reported good after it checks the restored database: the row count of every table
recorded in the backup's manifest, and the audit chain.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.db import connection


class BackupError(Exception):
    pass


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cur:
        for model in apps.get_models():
            table = model._meta.db_table
            if model._meta.managed and not model._meta.proxy:
                cur.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (table names come from models)
                counts[table] = cur.fetchone()[0]
    return counts


def _pg_env_args() -> tuple[list[str], dict]:
    s = connection.settings_dict
    args = [
        "-h",
        s.get("HOST") or "127.0.0.1",
        "-p",
        str(s.get("PORT") or 5432),
        "-U",
        s.get("USER") or "postgres",
    ]
    env = {"PGPASSWORD": s.get("PASSWORD") or ""}
    return args, env


def backup_create(*, path: Path) -> dict:
    """Write a .tar.gz with the database dump and a manifest of row counts; return the manifest."""
    manifest = {"vendor": connection.vendor, "counts": table_counts()}
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if connection.vendor == "sqlite":
            dump = tmp_path / "db.sqlite3"
            connection.ensure_connection()
            dest = sqlite3.connect(dump)
            with dest:
                connection.connection.backup(dest)
            dest.close()
        elif connection.vendor == "postgresql":
            if shutil.which("pg_dump") is None:
                raise BackupError("未找到 pg_dump，请安装 PostgreSQL 客户端工具")
            import os

            dump = tmp_path / "db.pgdump"
            args, env = _pg_env_args()
            subprocess.run(
                [shutil.which("pg_dump"), "-Fc", *args, "-f", str(dump), connection.settings_dict["NAME"]],
                check=True,
                env={**os.environ, **env},
            )
        else:
            raise BackupError(f"不支持的数据库：{connection.vendor}")
        (tmp_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        with tarfile.open(path, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            tar.add(tmp_path / "manifest.json", arcname="manifest.json")
    return manifest


def backup_restore(*, path: Path) -> dict:
    """Restore into the configured database (which must be the same engine), then verify it."""
    from . import audit

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(tmp_path, filter="data")
        manifest = json.loads((tmp_path / "manifest.json").read_text())
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"备份来自 {manifest['vendor']}，不能恢复到 {connection.vendor}")
        if connection.vendor == "sqlite":
            src = sqlite3.connect(tmp_path / "db.sqlite3")
            connection.ensure_connection()
            with src:
                src.backup(connection.connection)
            src.close()
        else:
            import os

            args, env = _pg_env_args()
            if shutil.which("pg_restore") is None:
                raise BackupError("未找到 pg_restore，请安装 PostgreSQL 客户端工具")
            subprocess.run(
                [
                    shutil.which("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    *args,
                    "-d",
                    connection.settings_dict["NAME"],
                    str(tmp_path / "db.pgdump"),
                ],
                check=True,
                env={**os.environ, **env},
            )
    counts = table_counts()
    diffs = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
    if diffs:
        raise BackupError(
            "恢复后行数与备份清单不符：" + "；".join(f"{t} 应为 {a}，实为 {b}" for t, (a, b) in diffs.items())
        )
    problems = audit.verify()
    if problems:
        raise BackupError(f"恢复后审计日志校验失败：{problems[0].reason}")
    return manifest
