import io
import json
import os
import sqlite3
import subprocess
import tarfile
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from conftest import EnterpriseFactory, ProjectFactory
from jigai.core import audit, audit_checkpoint
from jigai.core import backup as backup_module
from jigai.core.models import AuditEvent, AuditHead
from jigai.registry.models import Enterprise, Project


def backup(path) -> str:
    out = io.StringIO()
    call_command("backup", "create", str(path), stdout=out)
    return out.getvalue()


def restore(path) -> str:
    out = io.StringIO()
    call_command("backup", "restore", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_with_row_counts_and_audit_chain_checked(tmp_path, users):
    ProjectFactory.create_batch(3)
    path = tmp_path / "b.tar.gz"
    call_command("backup", "create", str(path), stdout=io.StringIO())
    before = (Project.objects.count(), Enterprise.objects.count())
    Project.objects.all().delete()
    EnterpriseFactory()
    out = io.StringIO()
    call_command("backup", "restore", str(path), stdout=out)
    assert "核对无误" in out.getvalue()
    assert (Project.objects.count(), Enterprise.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_a_restore_from_a_different_engine_is_refused(tmp_path, users):
    path = tmp_path / "b.tar.gz"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"vendor": "oracle", "counts": {}}))
    with tarfile.open(tmp_path / "plain.tar.gz", "w:gz") as tar:
        tar.add(manifest, arcname="manifest.json")
    backup_module.seal(tmp_path / "plain.tar.gz", path)  # archives are encrypted (issue 11, point 15)
    with pytest.raises(CommandError, match="不能恢复"):
        call_command("backup", "restore", str(path), stdout=io.StringIO())


# --- issue 11, point 15: backups you can trust ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_record_written_while_the_backup_is_taken_does_not_break_its_restore(tmp_path, users, monkeypatch):
    ProjectFactory.create_batch(2)
    written = []

    def another_user_writes():
        if not written:  # committed by another request just before the snapshot is taken
            written.append(audit.record("login_failure", actor=audit.Actor(username="busy", source="page")))

    if connection.vendor == "sqlite":
        real = sqlite3.connect
        fake = SimpleNamespace(connect=lambda *a, **k: (another_user_writes(), real(*a, **k))[1])
        monkeypatch.setattr(backup_module, "sqlite3", fake)
    else:
        real = subprocess.run
        fake = SimpleNamespace(run=lambda *a, **k: (another_user_writes(), real(*a, **k))[1])
        monkeypatch.setattr(backup_module, "subprocess", fake)
    path = tmp_path / "b"
    backup(path)
    monkeypatch.undo()
    assert written
    Project.objects.all().delete()
    assert "核对无误" in restore(path)
    assert Project.objects.count() == 2
    assert audit.verify() == []


@pytest.mark.django_db(transaction=True)
def test_a_restore_under_another_audit_key_is_refused_before_anything_is_overwritten(
    tmp_path, users, settings
):
    ProjectFactory.create_batch(3)
    path = tmp_path / "b"
    backup(path)
    Project.objects.all().delete()
    settings.JIGAI_AUDIT_KEY = "not-the-key-the-backup-was-made-with"
    with pytest.raises(CommandError, match="JIGAI_AUDIT_KEY") as refused:
        restore(path)
    assert "未做任何改动" in str(refused.value)
    assert Project.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_restore_under_another_backup_key_is_refused_before_anything_is_overwritten(
    tmp_path, users, settings
):
    ProjectFactory.create_batch(3)
    path = tmp_path / "b"
    backup(path)
    Project.objects.all().delete()
    settings.JIGAI_BACKUP_KEY = "another-backup-key-of-sufficient-length-0123"
    with pytest.raises(CommandError, match="JIGAI_BACKUP_KEY 与备份时不同"):
        restore(path)
    assert Project.objects.count() == 0
    settings.JIGAI_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="JIGAI_BACKUP_KEY 未设置"):
        backup(tmp_path / "c")
    assert not (tmp_path / "c").exists()


@pytest.mark.django_db(transaction=True)
def test_the_archive_is_owner_only_and_encrypted(tmp_path, users):
    ProjectFactory()
    path = tmp_path / "b"
    old = os.umask(0o022)
    try:
        backup(path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o600
    data = path.read_bytes()
    assert not tarfile.is_tarfile(path) and not data.startswith(b"\x1f\x8b")
    header = json.loads(data.split(b"\n", 2)[1])
    assert (header["cipher"], header["kdf"]) == ("SM4-GCM", "PBKDF2-HMAC-SM3")
    tampered = tmp_path / "t"
    tampered.write_bytes(data[:-40] + bytes(b ^ 1 for b in data[-40:-20]) + data[-20:])
    with pytest.raises(CommandError, match="无法解密"):
        restore(tampered)


@pytest.mark.django_db(transaction=True)
def test_the_backup_carries_and_prints_a_signed_checkpoint_of_its_snapshot(tmp_path, users, settings):
    settings.JIGAI_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    ProjectFactory.create_batch(2)
    head = AuditHead.objects.get(id=1)
    out = backup(tmp_path / "b")
    # the first audit write also took the daily checkpoint; the backup's is its own
    (kept,) = [
        cp for cp in audit_checkpoint.load(tmp_path / "checkpoints.jsonl")[0] if cp["reason"] == "backup"
    ]
    assert (kept["seq"], kept["hash"], kept["reason"]) == (head.seq, head.hash, "backup")
    assert audit_checkpoint.line(kept) in out
    restore(tmp_path / "b")
    assert AuditEvent.objects.filter(event="backup_restore").exists()


@pytest.mark.django_db(transaction=True)
def test_after_restoring_an_older_backup_verify_passes_against_the_checkpoints(tmp_path, users, settings):
    settings.JIGAI_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    ProjectFactory()
    backup(tmp_path / "b")
    ProjectFactory.create_batch(2)  # written after the backup, then lost with the restore
    call_command("audit", "checkpoint", stdout=io.StringIO())
    restore(tmp_path / "b")
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=out)
    assert "校验通过" in out.getvalue() and "检查点核对无误" in out.getvalue()
    cps = audit_checkpoint.load(tmp_path / "checkpoints.jsonl")[0]
    assert [cp["reason"] for cp in cps if cp["reason"] != "daily"] == ["backup", "command", "restore"]
    _, command, restored = [cp for cp in cps if cp["reason"] != "daily"]
    assert restored["seq"] < command["seq"]  # the records written after the backup are gone, as reported
