"""Retention: records older than the retention period are archived to a file, then purged; the chain
that stays still verifies, and so does the archive on its own."""

import datetime as dt
import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from conftest import make_user
from jigai.accounts.models import Role
from jigai.core import audit
from jigai.core.audit_archive import AuditRetentionError, plan, purge, verify_archive
from jigai.core.models import AuditEvent, AuditHead

NOW = dt.datetime(2020, 12, 31, 12, 0, tzinfo=dt.UTC)
OPS = audit.Actor(username="auditor", role="auditor", source="command")


def days_ago(n: int) -> dt.datetime:
    return NOW - dt.timedelta(days=n)


def history(*ages: int) -> list[AuditEvent]:
    """One record per age (days before NOW), in this order."""
    return [
        audit.record("update", object_type="registry.project", object_id=str(i), at=days_ago(age))
        for i, age in enumerate(ages)
    ]


def go(tmp_path, before=None, **kwargs):
    return purge(before=before or days_ago(200), now=NOW, archive_dir=tmp_path, actor=OPS, **kwargs)


def archived_lines(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def rewrite(path, lines: list[dict]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")


@pytest.mark.django_db
def test_a_purge_inside_the_retention_period_is_refused(settings, tmp_path):
    settings.JIGAI_AUDIT_RETENTION_DAYS = 183
    history(400, 300)
    with pytest.raises(AuditRetentionError, match="至少保留 183 天"):
        go(tmp_path, before=days_ago(100))
    assert AuditEvent.objects.count() == 2 and not list(tmp_path.iterdir())


@pytest.mark.django_db
def test_old_records_are_archived_then_removed_and_the_chain_still_verifies(tmp_path):
    old = history(500, 400, 300)
    history(100, 10)
    result = go(tmp_path)
    assert result.done and (result.from_seq, result.through_seq, result.count) == (1, 3, 3)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5, 6]
    head = AuditHead.objects.get(id=1)
    assert (head.purged_seq, head.purged_hash) == (3, old[-1].hash)
    # the purge is itself a chained record that states the anchor and the archive
    stated = AuditEvent.objects.get(seq=6)
    assert stated.event == "audit_purge" and stated.source == "command"
    assert stated.after["through_seq"] == 3 and stated.after["through_hash"] == old[-1].hash
    assert stated.after["archive_sha256"] == result.archive_sha256 and stated.after["count"] == 3
    assert audit.verify() == []
    lines = archived_lines(result.archive)
    assert lines[0]["kind"] == "jigai-audit-archive" and lines[0]["prev_hash"] == audit.GENESIS
    assert [r["seq"] for r in lines[1:]] == [1, 2, 3]
    assert [r["hash"] for r in lines[1:]] == [e.hash for e in old]
    report = verify_archive(result.archive)
    assert report.ok and report.count == 3 and report.last_hash == old[-1].hash


@pytest.mark.django_db
def test_a_younger_record_stops_the_purge_even_if_older_ones_follow_it(tmp_path):
    history(500, 100, 400)  # the third was written later with an earlier time: it stays
    result = go(tmp_path)
    assert (result.from_seq, result.through_seq) == (1, 1)
    assert AuditEvent.objects.filter(seq__in=[2, 3]).count() == 2
    assert audit.verify() == []


@pytest.mark.django_db
def test_nothing_old_enough_means_nothing_happens(tmp_path):
    history(50, 10)
    result = go(tmp_path)
    assert result.empty and not result.done
    assert AuditEvent.objects.count() == 2 and not list(tmp_path.iterdir())


@pytest.mark.django_db
def test_a_dry_run_says_what_would_go_and_changes_nothing(tmp_path):
    history(500, 400, 10)
    result = go(tmp_path, dry_run=True)
    assert (result.count, result.through_seq, result.done) == (2, 2, False)
    assert AuditEvent.objects.count() == 3 and not list(tmp_path.iterdir())


@pytest.mark.django_db
def test_a_second_purge_archives_from_the_previous_anchor(tmp_path):
    rows = history(600, 500)
    first = go(tmp_path, before=days_ago(550))
    history(400)
    # the first purge's own record (seq 3) is dated today, so the second purge stops before it
    second = go(tmp_path, before=days_ago(300))
    assert (first.through_seq, second.from_seq, second.through_seq) == (1, 2, 2)
    header = archived_lines(second.archive)[0]
    assert header["prev_hash"] == rows[0].hash  # the first purge's anchor
    assert verify_archive(second.archive).ok and verify_archive(first.archive).ok
    assert AuditHead.objects.get(id=1).purged_seq == 2
    assert [e.event for e in AuditEvent.objects.order_by("seq")] == ["audit_purge", "update", "audit_purge"]
    assert audit.verify() == []


@pytest.mark.django_db
def test_a_record_edited_behind_the_apps_back_blocks_the_purge(tmp_path):
    rows = history(500, 400, 10)
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET username = %s WHERE id = %s", ["mallory", rows[1].id]
        )
    with pytest.raises(AuditRetentionError, match="第 2 条"):
        go(tmp_path)
    assert AuditEvent.objects.count() == 3 and not list(tmp_path.iterdir())
    assert AuditHead.objects.get(id=1).purged_seq == 0


@pytest.mark.django_db
def test_moving_the_anchor_to_hide_more_deletions_is_found(tmp_path):
    history(500, 400, 300, 200)
    go(tmp_path, before=days_ago(450))  # purges seq 1
    assert audit.verify() == []
    victim = AuditEvent.objects.get(seq=2)
    with connection.cursor() as cur:  # delete record 2 and move the anchor over it
        cur.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [victim.id])
        cur.execute(
            f"UPDATE {AuditHead._meta.db_table} SET purged_seq = %s, purged_hash = %s WHERE id = 1",
            [2, victim.hash],
        )
    problems = audit.verify()
    assert problems and "清理位置" in problems[0].reason


@pytest.mark.django_db
def test_an_edited_or_shortened_archive_is_found(tmp_path):
    history(500, 400, 300, 10)
    result = go(tmp_path)
    lines = archived_lines(result.archive)
    edited = [dict(line) for line in lines]
    edited[2]["username"] = "mallory"
    rewrite(result.archive, edited)
    report = verify_archive(result.archive)
    assert not report.ok and any("第 2 条" in p and "篡改" in p for p in report.problems)
    rewrite(result.archive, lines[:2] + lines[3:])  # record 2 removed
    report = verify_archive(result.archive)
    assert any("缺失" in p for p in report.problems) and any("实有 2 条" in p for p in report.problems)
    (tmp_path / "not-an-archive.gz").write_bytes(b"plain text")
    assert not verify_archive(tmp_path / "not-an-archive.gz").ok


@pytest.mark.django_db
def test_the_plan_never_reaches_into_the_retention_period(settings):
    settings.JIGAI_AUDIT_RETENTION_DAYS = 183
    history(184, 182)
    p = plan(before=days_ago(183), now=NOW)
    assert p.through_seq == 1 and p.keep_from == days_ago(183)


# --- the command -----------------------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.mark.django_db
def test_only_an_auditor_may_purge_from_the_command_line(tmp_path):
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    audit.record("update", object_type="x", at=old)
    make_user("sys", Role.SYSADMIN)
    make_user("aud", Role.AUDITOR)
    before = (old + dt.timedelta(days=2)).date().isoformat()
    with pytest.raises(CommandError, match="不是有效的审计员"):
        run("purge", "--before", before, "--user", "sys", "--archive-dir", str(tmp_path))
    with pytest.raises(CommandError, match="--before"):
        run("purge", "--user", "aud")
    assert "未做任何改动" in run(
        "purge", "--before", before, "--user", "aud", "--archive-dir", str(tmp_path), "--dry-run"
    )
    assert AuditEvent.objects.filter(event="audit_purge").count() == 0
    out = run("purge", "--before", before, "--user", "aud", "--archive-dir", str(tmp_path))
    assert "已归档并清理：第 1–1 条，共 1 条" in out
    stated = AuditEvent.objects.get(event="audit_purge")
    assert (
        stated.username == "aud" and stated.role == "auditor" and stated.source_detail == "jigai audit purge"
    )
    assert "已归档清理" in run("verify")
    (archive,) = tmp_path.glob("*.jsonl.gz")
    assert "归档文件校验通过：第 1–1 条" in run("verify-archive", str(archive))
    young = timezone.localdate().isoformat()
    with pytest.raises(CommandError, match="至少保留"):
        run("purge", "--before", young, "--user", "aud", "--archive-dir", str(tmp_path))
    with pytest.raises(CommandError, match="格式不对"):
        run("purge", "--before", "2019/01/01", "--user", "aud")


@pytest.mark.django_db
def test_the_auditor_is_told_where_the_chain_now_starts(tmp_path, client):
    history(500, 400)
    assert go(tmp_path, before=days_ago(450)).done
    client.force_login(make_user("aud", Role.AUDITOR))
    page = client.get("/audit/")
    assert page.status_code == 200
    assert "第 1 条及以前的记录已超过保留期" in page.content.decode()
