"""Truncation of the audit log is found: signed checkpoints kept outside the database say how far the
chain reached, and the head carries a signature that cannot be made without the key (issue 11, point 2)."""

import datetime as dt
import hmac
import io
import json
import socket

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jigai.core import audit, audit_checkpoint
from jigai.core.audit_archive import purge
from jigai.core.models import AuditEvent, AuditHead

NOW = dt.datetime(2020, 12, 31, 12, 0, tzinfo=dt.UTC)
OPS = audit.Actor(username="auditor", role="auditor", source="command")
EVENTS = AuditEvent._meta.db_table
HEAD = AuditHead._meta.db_table


@pytest.fixture
def cp_file(settings, tmp_path):
    path = tmp_path / "kept-elsewhere" / "audit-checkpoints.jsonl"
    settings.JIGAI_AUDIT_CHECKPOINT_FILE = str(path)
    return path


def write(n: int, *, at: dt.datetime = NOW) -> list[AuditEvent]:
    return [audit.record("update", object_type="registry.project", object_id=str(i), at=at) for i in range(n)]


def checkpoint(path) -> dict:
    cp = audit_checkpoint.take(now=NOW, reason="command")
    audit_checkpoint.publish(cp, to=path)
    return cp


def verify_with(path) -> list[audit.VerifyProblem]:
    checkpoints, bad = audit_checkpoint.load(path)
    assert bad == []
    return audit.verify(checkpoints=checkpoints)


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except CommandError as exc:
        raise CommandError(f"{exc}\n{err.getvalue()}") from None
    return out.getvalue() + err.getvalue()


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cur:
        cur.execute(statement, params)


# --- the three attacks ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deleting_the_last_records_and_rewinding_the_head_is_reported_with_what_is_missing(cp_file):
    rows = write(5)
    checkpoint(cp_file)
    sql(f"DELETE FROM {EVENTS} WHERE seq > 3")
    sql(f"UPDATE {HEAD} SET seq = 3, hash = %s WHERE id = 1", [rows[2].hash])
    reasons = [p.reason for p in verify_with(cp_file)]
    assert any("第 4–5 条记录缺失" in r and "库中只到第 3 条" in r for r in reasons)
    assert any("链头在第 3 条" in r and "退回" in r for r in reasons)
    with pytest.raises(CommandError, match="第 4–5 条记录缺失"):
        run("verify")  # the configured file is read by default


@pytest.mark.django_db
def test_deleting_the_head_is_reported(cp_file):
    write(3)
    checkpoint(cp_file)
    sql(f"DELETE FROM {HEAD}")
    assert any("链头缺失" in p.reason for p in audit.verify())
    with pytest.raises(CommandError, match="链头缺失"):
        run("verify", "--checkpoint", str(cp_file))


@pytest.mark.django_db
def test_wiping_the_table_and_the_head_is_reported_with_every_missing_record(cp_file):
    write(4)
    checkpoint(cp_file)
    sql(f"DELETE FROM {EVENTS}")
    sql(f"DELETE FROM {HEAD}")
    (problem,) = verify_with(cp_file)
    assert "审计记录表是空的" in problem.reason and "链头也已删除" in problem.reason
    assert "第 1–4 条记录全部缺失" in problem.reason
    with pytest.raises(CommandError, match="第 1–4 条记录全部缺失"):
        run("verify")


@pytest.mark.django_db
def test_a_head_moved_back_without_the_key_is_found_even_without_checkpoints():
    rows = write(4)
    sql(f"DELETE FROM {EVENTS} WHERE seq = 4")
    forged = hmac.new(
        b"a-guessed-key", f"jigai-audit-head|3|{rows[2].hash}|0|{audit.GENESIS}".encode(), "sm3"
    )
    sql(f"UPDATE {HEAD} SET seq = 3, hash = %s, mac = %s WHERE id = 1", [rows[2].hash, forged.hexdigest()])
    assert [p.reason for p in audit.verify()] == [
        "链头签名不符（链头被改动，或 JIGAI_AUDIT_KEY 与写入时不同）"
    ]


@pytest.mark.django_db
def test_a_checkpoint_edited_or_written_without_the_key_is_refused(cp_file):
    write(2)
    cp = checkpoint(cp_file)
    raised = dict(cp, seq=1)
    home_made = audit_checkpoint.sign(seq=9, digest="f" * 64, at=NOW, reason="command")
    home_made["sig"] = hmac.new(b"other", b"x", "sm3").hexdigest()
    with open(cp_file, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(raised) + "\n" + json.dumps(home_made) + "\nnot json\n")
    good, bad = audit_checkpoint.load(cp_file)
    assert good == [cp]
    assert [f"第 {n} 行" in b for n, b in zip((2, 3, 4), bad, strict=True)] == [True, True, True]
    assert "签名不符" in bad[0] and "签名不符" in bad[1] and "不是审计检查点" in bad[2]
    with pytest.raises(CommandError, match="签名不符"):
        run("verify")


@pytest.mark.django_db
def test_a_record_rewritten_under_a_checkpoint_is_found(cp_file):
    write(3)
    checkpoint(cp_file)
    sql(f"UPDATE {EVENTS} SET hash = %s WHERE seq = 3", ["e" * 64])
    sql(f"UPDATE {HEAD} SET hash = %s WHERE id = 1", ["e" * 64])
    reasons = [p.reason for p in verify_with(cp_file)]
    assert any(r.startswith("第 3 条记录的哈希与检查点") for r in reasons)


# --- a log that is whole passes ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_whole_log_with_checkpoints_between_its_writes_passes(cp_file):
    assert "没有可核对的检查点" in run("verify")
    write(2)
    checkpoint(cp_file)
    write(3)
    checkpoint(cp_file)
    write(1)
    assert verify_with(cp_file) == []
    out = run("verify")
    assert "校验通过：共 6 条记录" in out and "与 2 个检查点核对无误（最远：" in out and "第 5 条" in out


@pytest.mark.django_db
def test_the_checkpoint_command_appends_a_signed_line_owner_only(cp_file, tmp_path):
    write(2)
    out = run("checkpoint")
    assert "已记下审计检查点" in out and str(cp_file) in out
    run("checkpoint")
    lines = cp_file.read_text(encoding="utf-8").splitlines()
    assert (
        len(lines) == 2 and json.loads(lines[1])["seq"] == 2 and json.loads(lines[1])["reason"] == "command"
    )
    assert cp_file.stat().st_mode & 0o777 == 0o600
    elsewhere = tmp_path / "other.jsonl"
    run("checkpoint", "--to", str(elsewhere))
    (cp,) = audit_checkpoint.load(elsewhere)[0]
    assert audit_checkpoint.valid(cp) and cp["hash"] == AuditHead.objects.get(id=1).hash


@pytest.mark.django_db
def test_the_checkpoint_command_says_where_to_configure_when_nothing_is_set(settings):
    settings.JIGAI_AUDIT_CHECKPOINT_FILE = ""
    with pytest.raises(CommandError, match="JIGAI_AUDIT_CHECKPOINT_FILE"):
        run("checkpoint")


@pytest.mark.django_db
def test_a_checkpoint_is_also_sent_to_syslog(cp_file, settings):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    settings.JIGAI_AUDIT_CHECKPOINT_SYSLOG = f"127.0.0.1:{sock.getsockname()[1]}"
    try:
        write(1)
        run("checkpoint")
        message = sock.recv(4096).decode("utf-8")
    finally:
        sock.close()
    assert "jigai-audit-checkpoint: " in message
    (cp,) = audit_checkpoint.load(cp_file)[0]
    assert audit_checkpoint.line(cp) in message


# --- taken automatically at least daily ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_write_a_day_after_the_last_checkpoint_takes_the_next(
    cp_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write(1, at=NOW)  # the first ever: a checkpoint
        write(2, at=NOW + dt.timedelta(hours=23))
        ev = audit.record("login_success", at=NOW + dt.timedelta(hours=24))
        audit.record_many([{"event": "create", "object_type": "x"}] * 2, at=NOW + dt.timedelta(hours=47))
        audit.record_many([{"event": "create", "object_type": "x"}] * 2, at=NOW + dt.timedelta(hours=48))
    cps, bad = audit_checkpoint.load(cp_file)
    assert bad == [] and [(cp["seq"], cp["reason"]) for cp in cps] == [
        (1, "daily"),
        (4, "daily"),
        (8, "daily"),
    ]
    assert cps[1]["hash"] == ev.hash
    assert verify_with(cp_file) == []


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_no_checkpoint(cp_file, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            write(1)
            raise RuntimeError
    assert not cp_file.exists()


# --- purge and restore ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_checkpoints_still_verify_after_a_purge_anchors_the_chain(
    cp_file, tmp_path, django_capture_on_commit_callbacks
):
    for age in (500, 400, 300, 10):
        audit.record("update", object_type="x", at=NOW - dt.timedelta(days=age))
    checkpoint(cp_file)  # at seq 4: its record stays
    with django_capture_on_commit_callbacks(execute=True):
        result = purge(before=NOW - dt.timedelta(days=350), now=NOW, archive_dir=tmp_path / "a", actor=OPS)
    assert (result.through_seq, AuditHead.objects.get(id=1).purged_seq) == (2, 2)
    cps = audit_checkpoint.load(cp_file)[0]
    # the purge's record may also take the daily one (it is dated by the clock, the rest by NOW)
    assert (cps[0]["seq"], cps[0]["reason"]) == (4, "command") and (cps[-1]["seq"], cps[-1]["reason"]) == (
        5,
        "purge",
    )
    assert verify_with(cp_file) == [] and f"与 {len(cps)} 个检查点核对无误" in run("verify")
    with django_capture_on_commit_callbacks(execute=True):  # a second purge archives a checkpointed record
        purge(before=NOW - dt.timedelta(days=250), now=NOW, archive_dir=tmp_path / "a", actor=OPS)
    checkpoint(cp_file)
    assert AuditHead.objects.get(id=1).purged_seq == 3
    assert verify_with(cp_file) == []
    sql(f"DELETE FROM {EVENTS} WHERE seq > 5")  # truncation after a purge is still found
    assert any("记录缺失" in p.reason for p in verify_with(cp_file))


@pytest.mark.django_db
def test_a_restore_checkpoint_starts_the_comparison_again(cp_file):
    write(5)
    checkpoint(cp_file)
    sql(f"DELETE FROM {EVENTS} WHERE seq > 2")  # as if an older backup were restored
    head = AuditEvent.objects.get(seq=2)
    sql(
        f"UPDATE {HEAD} SET seq = 2, hash = %s, mac = %s WHERE id = 1",
        [head.hash, audit.head_mac(2, head.hash, 0, audit.GENESIS)],
    )
    assert any("第 3–5 条记录缺失" in p.reason for p in verify_with(cp_file))
    audit_checkpoint.publish(audit_checkpoint.sign(seq=2, digest=head.hash, at=NOW, reason="restore"))
    assert verify_with(cp_file) == []
