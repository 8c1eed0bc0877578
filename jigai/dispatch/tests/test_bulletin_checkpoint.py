"""A published bulletin carries a signed checkpoint of the audit chain (issue 11, point 2): it is kept
with the bulletin's record, shown on its page, and appended where checkpoints are kept."""

import io

import pytest
from django.core.management import call_command

from jigai.core import audit_checkpoint
from jigai.core.models import AuditHead
from jigai.dispatch import services

from .helpers import bj

pytestmark = pytest.mark.django_db


def test_a_published_bulletin_keeps_and_shows_a_signed_audit_checkpoint(
    world, users, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.JIGAI_AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    head = AuditHead.objects.get(id=1)
    with django_capture_on_commit_callbacks(execute=True):
        b = services.bulletin_publish(
            user=users["office"], year=2019, month=6, at=bj(2019, 7, 12), issue_date=bj(2019, 7, 12).date()
        )
    cp = b.snapshot["audit_checkpoint"]
    assert audit_checkpoint.valid(cp) and (cp["seq"], cp["hash"], cp["reason"]) == (
        head.seq,
        head.hash,
        "bulletin",
    )
    assert b.snapshot_sha256 == services.snapshot_digest(b.snapshot)  # the digest covers the checkpoint
    kept = audit_checkpoint.load(tmp_path / "checkpoints.jsonl")[0]
    assert cp in kept
    client.force_login(users["office"])
    page = client.get(f"/dispatch/bulletins/{b.pk}/").content.decode()
    assert f"发布时的审计检查点（第 {cp['seq']} 条" in page
    line = audit_checkpoint.line(cp).replace('"', "&quot;")
    assert line in page
    # the line copied from the page is a checkpoint `jigai audit verify --checkpoint` accepts
    (tmp_path / "from-page.txt").write_text(audit_checkpoint.line(cp) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("audit", "verify", "--checkpoint", str(tmp_path / "from-page.txt"), stdout=out, stderr=out)
    assert "检查点核对无误" in out.getvalue()
