"""Backups (docs/security.md, Platform): SQLite through its online backup API, PostgreSQL through pg_dump -Fc.

An archive holds password hashes and TOTP secrets, so it is one file, owner-only (0600), encrypted with
SM4-GCM (GB/T 39786: the national algorithms) under a key derived from ``JIGAI_BACKUP_KEY``. Inside: the
database dump and a manifest with the row count of every table and a signed audit checkpoint
(audit_checkpoint), both read from the snapshot itself — the SQLite copy, or PostgreSQL's exported
snapshot that pg_dump reads — so a backup taken while others write restores.

A restore checks what it can before it overwrites anything: the backup key (the archive decrypts and
authenticates), the engine, and the audit key (the checkpoint's signature). Only then does it restore,
and it reports success after checking the restored row counts and the audit chain against the checkpoint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import audit, audit_checkpoint
from .models import AuditHead

MAGIC = b"JIGAI-BACKUP\n"
CIPHER = "SM4-GCM"
KDF = "PBKDF2-HMAC-SM3"
ITERATIONS = 20_000
MIN_KEY_LENGTH = 32
TAG_BYTES = 16
CHUNK = 1 << 20


class BackupError(Exception):
    pass


def _tables() -> list[str]:
    return [
        m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy
    ]  # table names come from the models, never from input


def _read_snapshot(cur) -> tuple[dict[str, int], tuple[int, str]]:
    """Row counts and the audit head, read through ``cur`` inside the snapshot being backed up."""
    counts = {}
    for table in _tables():
        cur.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
        counts[table] = cur.fetchone()[0]
    cur.execute(f'SELECT seq, hash FROM "{AuditHead._meta.db_table}" WHERE id = 1')  # noqa: S608
    row = cur.fetchone()
    return counts, (int(row[0]), row[1]) if row else (0, audit.GENESIS)


def table_counts() -> dict[str, int]:
    with connection.cursor() as cur:
        return _read_snapshot(cur)[0]


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


def _secret() -> bytes:
    secret = getattr(settings, "JIGAI_BACKUP_KEY", "")
    if len(secret) < MIN_KEY_LENGTH:
        raise BackupError(
            f"JIGAI_BACKUP_KEY 未设置或过短（至少 {MIN_KEY_LENGTH} 个字符）：备份含密码哈希和动态口令密钥，"
            "必须加密，请在执行备份与恢复的环境中设置该密钥（见运维手册）"
        )
    return secret.encode("utf-8")


def _cipher(secret: bytes, header: dict, tag: bytes | None = None) -> Cipher:
    key = hashlib.pbkdf2_hmac("sm3", secret, bytes.fromhex(header["salt"]), header["iterations"], dklen=16)
    return Cipher(algorithms.SM4(key), modes.GCM(bytes.fromhex(header["nonce"]), tag))


def seal(src: Path, dest: Path) -> None:
    """Encrypt ``src`` into an archive at ``dest`` under JIGAI_BACKUP_KEY, as a backup is written."""
    _encrypt(src, dest, _secret())


def _encrypt(src: Path, dest: Path, secret: bytes) -> None:
    header = {
        "cipher": CIPHER,
        "kdf": KDF,
        "iterations": ITERATIONS,
        "salt": os.urandom(16).hex(),
        "nonce": os.urandom(12).hex(),
    }
    preamble = MAGIC + json.dumps(header, sort_keys=True).encode("ascii") + b"\n"
    enc = _cipher(secret, header).encryptor()
    enc.authenticate_additional_data(preamble)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    # Owner-only from its creation, whatever the umask; renamed into place only when complete.
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
        out.write(preamble)
        while chunk := inp.read(CHUNK):
            out.write(enc.update(chunk))
        out.write(enc.finalize())
        out.write(enc.tag)
        out.flush()
        os.fsync(out.fileno())
    part.replace(dest)


def _decrypt(src: Path, dest: Path, secret: bytes) -> None:
    unchanged = "当前数据库未做任何改动"
    with open(src, "rb") as inp:
        if inp.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{src} 不是技改通的加密备份文件；{unchanged}")
        line = inp.readline(4096)
        try:
            header = json.loads(line)
            if header["cipher"] != CIPHER or header["kdf"] != KDF:
                raise ValueError(header["cipher"])
            cipher = _cipher(secret, header, _tag(inp))
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"备份文件头无法识别（{exc}）；{unchanged}") from None
        dec = cipher.decryptor()
        dec.authenticate_additional_data(MAGIC + line)
        remaining = os.fstat(inp.fileno()).st_size - len(MAGIC) - len(line) - TAG_BYTES
        with open(dest, "wb") as out:
            while remaining > 0:
                chunk = inp.read(min(CHUNK, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                out.write(dec.update(chunk))
            try:
                out.write(dec.finalize())  # nothing decrypted is used before the tag is checked here
            except InvalidTag:
                raise BackupError(
                    f"备份无法解密：JIGAI_BACKUP_KEY 与备份时不同，或文件已损坏；{unchanged}"
                ) from None


def _tag(inp) -> bytes:
    here = inp.tell()
    size = os.fstat(inp.fileno()).st_size
    if size - here < TAG_BYTES:
        raise ValueError("文件不完整")
    inp.seek(size - TAG_BYTES)
    tag = inp.read(TAG_BYTES)
    inp.seek(here)
    return tag


def _snapshot_sqlite(dump: Path) -> tuple[dict[str, int], tuple[int, str]]:
    dest = sqlite3.connect(dump)
    connection.ensure_connection()
    with dest:
        connection.connection.backup(dest)
    try:
        return _read_snapshot(dest.cursor())
    finally:
        dest.close()


def _snapshot_postgresql(dump: Path) -> tuple[dict[str, int], tuple[int, str]]:
    if shutil.which("pg_dump") is None:
        raise BackupError("未找到 pg_dump，请安装 PostgreSQL 客户端工具")
    # Count in the very snapshot pg_dump reads: a second connection exports it and keeps it open.
    snap = connection.copy()
    try:
        with snap.cursor() as cur:
            cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot_id = cur.fetchone()[0]
            found = _read_snapshot(cur)
            args, env = _pg_env_args()
            done = subprocess.run(
                [shutil.which("pg_dump"), "-Fc", f"--snapshot={snapshot_id}", *args, "-f", str(dump),
                 connection.settings_dict["NAME"]],
                env={**os.environ, **env}, capture_output=True, text=True,
            )  # fmt: skip
            cur.execute("ROLLBACK")
    finally:
        snap.close()
    if done.returncode:
        raise BackupError(f"pg_dump 失败：{done.stderr.strip()[:500]}")
    return found


def backup_create(*, path: Path, now: dt.datetime | None = None) -> dict:
    """Write the encrypted archive; return its manifest (row counts and the audit checkpoint)."""
    now = now or timezone.now()
    secret = _secret()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if connection.vendor == "sqlite":
            dump = tmp_path / "db.sqlite3"
            counts, (seq, digest) = _snapshot_sqlite(dump)
        elif connection.vendor == "postgresql":
            dump = tmp_path / "db.pgdump"
            counts, (seq, digest) = _snapshot_postgresql(dump)
        else:
            raise BackupError(f"不支持的数据库：{connection.vendor}")
        checkpoint = audit_checkpoint.sign(seq=seq, digest=digest, at=now, reason="backup")
        manifest = {"vendor": connection.vendor, "counts": counts, "audit_checkpoint": checkpoint}
        (tmp_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        plain = tmp_path / "backup.tar.gz"
        with tarfile.open(plain, "w:gz") as tar:
            tar.add(dump, arcname=dump.name)
            tar.add(tmp_path / "manifest.json", arcname="manifest.json")
        _encrypt(plain, Path(path), secret)
    if audit_checkpoint.configured():
        audit_checkpoint.publish(checkpoint)
    return manifest


def backup_restore(*, path: Path, now: dt.datetime | None = None) -> dict:
    """Restore into the configured database (which must be the same engine), then verify it."""
    now = now or timezone.now()
    unchanged = "当前数据库未做任何改动"
    secret = _secret()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        plain = tmp_path / "backup.tar.gz"
        _decrypt(Path(path), plain, secret)
        with tarfile.open(plain, "r:gz") as tar:
            tar.extractall(tmp_path / "x", filter="data")
        content = tmp_path / "x"
        manifest = json.loads((content / "manifest.json").read_text())
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"备份来自 {manifest['vendor']}，不能恢复到 {connection.vendor}；{unchanged}")
        checkpoint = manifest.get("audit_checkpoint")
        if not audit_checkpoint.valid(checkpoint):
            raise BackupError(
                "备份中审计检查点的签名与当前 JIGAI_AUDIT_KEY 不符：恢复后审计日志将无法校验。"
                f"请在环境中设置备份时使用的 JIGAI_AUDIT_KEY 后再恢复；{unchanged}"
            )
        if connection.vendor == "sqlite":
            _restore_sqlite(content / "db.sqlite3", manifest, checkpoint)
        else:
            _restore_postgresql(content / "db.pgdump")
    counts = table_counts()
    diffs = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
    if diffs:
        raise BackupError(
            "恢复后行数与备份清单不符：" + "；".join(f"{t} 应为 {a}，实为 {b}" for t, (a, b) in diffs.items())
        )
    problems = audit.verify(checkpoints=[checkpoint])
    if problems:
        raise BackupError(f"恢复后审计日志校验失败：{problems[0].reason}")
    # From here on the chain continues from the backup's state; checkpoints taken after the backup
    # are no longer compared with the database (audit_checkpoint.current).
    if audit_checkpoint.configured():
        audit_checkpoint.publish(audit_checkpoint.take(now=now, reason=audit_checkpoint.RESTORE))
    return manifest


def _restore_sqlite(db: Path, manifest: dict, checkpoint: dict) -> None:
    src = sqlite3.connect(db)
    try:
        counts, head = _read_snapshot(src.cursor())
        if counts != manifest["counts"] or head != (checkpoint["seq"], checkpoint["hash"]):
            raise BackupError("备份中的数据库与其清单不符（行数或审计链头）；当前数据库未做任何改动")
        connection.ensure_connection()
        with src:
            src.backup(connection.connection)
    finally:
        src.close()


def _restore_postgresql(dump: Path) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError("未找到 pg_restore，请安装 PostgreSQL 客户端工具；当前数据库未做任何改动")
    args, env = _pg_env_args()
    subprocess.run(
        [shutil.which("pg_restore"), "--clean", "--if-exists", "--no-owner", *args,
         "-d", connection.settings_dict["NAME"], str(dump)],
        check=True, env={**os.environ, **env},
    )  # fmt: skip
