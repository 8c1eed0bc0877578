"""Attachments (issue 12 point 2): content decides the type, files live outside the web root under a
random name with their SHA-256, only those the owner's rule allows may download, every download audited."""

from __future__ import annotations

import hashlib
import io
import os
import stat

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import EnterpriseFactory, make_user
from jigai.accounts.models import Role
from jigai.accounts.permissions import can, in_unit
from jigai.attachments import selectors, services, storage
from jigai.attachments.content import ContentRefused, sniff
from jigai.attachments.http import content_disposition
from jigai.attachments.models import Attachment, FileType
from jigai.attachments.registry import register_owner, unregister_owner
from jigai.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent
from jigai.registry.models import Enterprise

from . import files

pytestmark = pytest.mark.django_db

LOCKED = set()


@pytest.fixture(autouse=True)
def enterprise_owner(settings, tmp_path):
    """The tests attach files to an enterprise record, with the platform's row rule; the enterprise may
    not attach while it is in LOCKED (as an owning app would refuse once a record is submitted)."""
    settings.JIGAI_ATTACHMENT_ROOT = tmp_path / "attachments"
    register_owner(
        Enterprise,
        can_view=lambda user, owner: in_unit(user, owner),
        can_attach=lambda user, owner: in_unit(user, owner) and owner.pk not in LOCKED,
    )
    LOCKED.clear()
    yield
    unregister_owner(Enterprise)


def store(user, owner, name="发票.pdf", data=files.PDF, kind="invoice"):
    return services.attachment_store(
        user=user, owner=owner, kind=kind, upload=files.upload(name, data), at=timezone.now()
    )


@pytest.fixture
def own(users):
    return users["_own_enterprise"]


def test_a_pdf_is_stored_outside_the_web_root_under_a_random_name_with_its_hash(users, own, settings):
    a = store(users["enterprise"], own)
    assert a.file_type == FileType.PDF and a.size == len(files.PDF)
    assert a.sha256 == hashlib.sha256(files.PDF).hexdigest()
    path = storage.path_for(a.stored_name)
    assert path.read_bytes() == files.PDF
    assert str(path).startswith(str(settings.JIGAI_ATTACHMENT_ROOT))
    assert "发票" not in str(path) and ".pdf" not in str(path) and len(a.stored_name) == 64
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert a.original_name == "发票.pdf" and a.uploaded_by == users["enterprise"]
    assert AuditEvent.objects.filter(
        event="create", object_type="attachments.attachment", object_id=str(a.pk)
    )
    assert list(selectors.attachments_for(own)) == [a]


def test_a_program_renamed_pdf_is_refused_and_nothing_is_kept(users, own, settings):
    with pytest.raises(ValidationError) as exc:
        store(users["enterprise"], own, name="发票.pdf", data=files.EXE)
    assert "upload" in exc.value.errors and "可执行程序" in exc.value.errors["upload"][0]
    assert not Attachment.objects.exists()
    root = settings.JIGAI_ATTACHMENT_ROOT
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("scan.jpg", files.JPEG, FileType.JPEG),
        ("photo.png", files.PNG, FileType.PNG),
        ("设备清单.xlsx", files.xlsx_bytes(), FileType.XLSX),
        ("竣工报告.docx", files.docx_bytes(), FileType.DOCX),
        ("名字是错的.txt", files.docx_bytes(), FileType.DOCX),  # the content decides, not the name
    ],
)
def test_accepted_types_are_recognised_by_content(name, data, expected):
    assert sniff(io.BytesIO(data)) == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"hello, world", "无法识别"),
        (b"<html><script>alert(1)</script></html>", "无法识别"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "可执行程序"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Office"),
        (files.zip_bytes({"a.txt": b"x"}), "普通压缩包"),
        (b"PK\x03\x04garbage", "损坏"),
        (
            files.zip_bytes(
                {"[Content_Types].xml": files.content_types(("/word/document.xml", "text/plain"))}
            ),
            "主体部分",
        ),
        (  # declares a workbook main part the zip does not hold
            files.zip_bytes(
                {
                    "[Content_Types].xml": files.content_types(
                        (
                            "/xl/workbook.xml",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                        )
                    )
                }
            ),
            "主体部分",
        ),
        (  # a macro-enabled workbook (.xlsm) renamed .xlsx
            files.zip_bytes(
                {
                    "[Content_Types].xml": files.content_types(
                        ("/xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
                    ),
                    "xl/workbook.xml": b"<workbook/>",
                    "xl/vbaProject.bin": b"\x00",
                }
            ),
            "宏",
        ),
        (  # an XML entity bomb in the content types is refused unparsed
            files.zip_bytes(
                {
                    "[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><Types>&a;</Types>',
                }
            ),
            "无法读取",
        ),
    ],
)
def test_anything_else_is_refused_with_a_chinese_reason(data, message):
    with pytest.raises(ContentRefused) as exc:
        sniff(io.BytesIO(data))
    assert message in exc.value.message and "PDF" in exc.value.message


def test_a_file_over_the_size_limit_is_refused(users, own, settings):
    settings.JIGAI_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="不能超过"):
        store(users["enterprise"], own, data=files.PDF + b"\x00" * 200)
    assert not Attachment.objects.exists()


def test_the_request_limit_admits_the_largest_attachment():
    from django.conf import settings

    assert settings.JIGAI_REQUEST_MAX_BYTES > settings.JIGAI_ATTACHMENT_MAX_BYTES


def test_unknown_kind_and_empty_file_are_refused(users, own):
    with pytest.raises(ValidationError) as exc:
        store(users["enterprise"], own, kind="secret")
    assert "kind" in exc.value.errors
    with pytest.raises(ValidationError, match="空"):
        store(users["enterprise"], own, data=b"")


def test_only_who_may_attach_stores_and_another_enterprise_is_404(users, own):
    other = EnterpriseFactory()
    with pytest.raises(NotFoundError):
        store(users["enterprise"], other)
    with pytest.raises(PermissionDeniedError):
        store(users["leader"], own)
    LOCKED.add(own.pk)
    with pytest.raises(ConflictError):
        store(users["enterprise"], own)
    assert not Attachment.objects.exists()


def test_an_unregistered_owner_owns_no_attachment(users, own):
    unregister_owner(Enterprise)
    with pytest.raises(NotFoundError):
        store(users["office"], own)


def test_the_owner_downloads_it_with_safe_headers_and_the_download_is_audited(users, own, client_for):
    a = store(users["enterprise"], own, name="发票 2019.exe", data=files.PDF)
    r = client_for("enterprise").get(reverse("attachments:download", kwargs={"pk": a.pk}))
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == files.PDF
    assert r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff"
    cd = r["Content-Disposition"]
    assert cd.startswith("attachment; ")
    assert "filename*=UTF-8''%E5%8F%91%E7%A5%A8%202019.exe.pdf" in cd  # what it is, not what it was called
    assert 'filename="2019.exe.pdf"' in cd
    assert "no-store" in r["Cache-Control"]
    ev = AuditEvent.objects.get(event="download", object_id=str(a.pk))
    assert ev.username == "enterprise" and ev.after["sha256"] == a.sha256


def test_another_enterprise_and_another_county_get_404_and_nothing_is_served(
    users, own, client_for, other_region
):
    a = store(users["office"], own)
    stranger = make_user("stranger", Role.ENTERPRISE, credit_code=EnterpriseFactory().credit_code)
    far_clerk = make_user("farclerk", Role.CLERK, region=other_region)
    url = reverse("attachments:download", kwargs={"pk": a.pk})
    for user in (stranger, far_clerk):
        c = client_for("office")
        c.force_login(user)
        r = c.get(url)
        assert r.status_code == 404
        assert b"PDF" not in r.content
    assert not AuditEvent.objects.filter(event="download").exists()
    denied = AuditEvent.objects.filter(event="access_denied", object_id=str(a.pk))
    assert sorted(denied.values_list("username", flat=True)) == ["farclerk", "stranger"]
    for role in ("office", "finance", "clerk", "leader"):
        assert client_for(role).get(url).status_code == 200
    assert AuditEvent.objects.filter(event="download").count() == 4


@pytest.mark.parametrize(
    ("role", "download", "upload"),
    [
        ("office", True, True),
        ("finance", True, True),
        ("clerk", True, True),
        ("enterprise", True, True),
        ("leader", True, False),
        ("bank", False, False),
        ("auditor", False, False),
        ("security_admin", False, False),
        ("sysadmin", False, False),
    ],
)
def test_role_by_operation(users, own, client_for, role, download, upload):
    assert can(users[role], "attachment.download") is download
    assert can(users[role], "attachment.upload") is upload
    a = store(users["office"], own)
    r = client_for(role).get(reverse("attachments:download", kwargs={"pk": a.pk}))
    assert r.status_code == (200 if download else 403)


def test_a_hostile_name_cannot_inject_a_header():
    cd = content_disposition('a"\r\nSet-Cookie: x=1;.pdf')
    assert "\r" not in cd and "\n" not in cd
    fallback = cd.split('filename="', 1)[1].split('"', 1)[0]
    assert all(ch.isalnum() or ch in "._-" for ch in fallback)
    assert services.clean_name('..\\..\\etc/pass"wd\r\n.pdf') == "pass_wd.pdf"
    assert services.clean_name("") == "附件"


def test_pdf_and_images_may_be_shown_inline_documents_never(users, own, client_for):
    pdf = store(users["enterprise"], own)
    doc = store(users["enterprise"], own, name="报告.docx", data=files.docx_bytes(), kind="completion_report")
    c = client_for("enterprise")
    r = c.get(reverse("attachments:download", kwargs={"pk": pdf.pk}) + "?inline=1")
    assert (
        r["Content-Disposition"].startswith("inline; ") and "script-src" not in r["Content-Security-Policy"]
    )
    assert "default-src 'none'" in r["Content-Security-Policy"]
    r = c.get(reverse("attachments:download", kwargs={"pk": doc.pk}) + "?inline=1")
    assert r["Content-Disposition"].startswith("attachment; ")
    assert r["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_delete_is_soft_needs_a_reason_and_is_audited(users, own, client_for):
    a = store(users["enterprise"], own)
    with pytest.raises(ValidationError) as exc:
        services.attachment_delete(user=users["enterprise"], attachment=a, reason=" ", at=timezone.now())
    assert "reason" in exc.value.errors
    c = client_for("enterprise")
    r = c.post(
        reverse("attachments:delete", kwargs={"pk": a.pk}), {"reason": "传错了文件", "next": "/projects/"}
    )
    assert r.status_code == 302 and r["Location"] == "/projects/"
    a.refresh_from_db()
    assert (
        a.deleted_at is not None and a.deleted_by == users["enterprise"] and a.deleted_reason == "传错了文件"
    )
    assert storage.path_for(a.stored_name).exists()  # kept for the record
    assert list(selectors.attachments_for(own)) == []
    assert AuditEvent.objects.filter(event="attachment_delete", object_id=str(a.pk)).exists()
    assert c.get(reverse("attachments:download", kwargs={"pk": a.pk})).status_code == 404


def test_delete_respects_the_owner_rule(users, own):
    a = store(users["enterprise"], own)
    LOCKED.add(own.pk)
    with pytest.raises(ConflictError):
        services.attachment_delete(user=users["enterprise"], attachment=a, reason="x", at=timezone.now())
    other = make_user("stranger", Role.ENTERPRISE, credit_code=EnterpriseFactory().credit_code)
    with pytest.raises(NotFoundError):
        services.attachment_delete(user=other, attachment=a, reason="x", at=timezone.now())


def test_the_api_uploads_lists_and_downloads_with_the_same_rules(users, own, client_for):
    c = client_for("enterprise")
    r = c.post(
        "/api/v1/attachments",
        {
            "owner_type": "registry.enterprise",
            "owner_id": own.pk,
            "kind": "certificate",
            "file": files.upload("证书.pdf", files.PDF),
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["file_type"] == "pdf" and body["sha256"] == hashlib.sha256(files.PDF).hexdigest()
    r = c.post(
        "/api/v1/attachments",
        {
            "owner_type": "registry.enterprise",
            "owner_id": own.pk,
            "kind": "certificate",
            "file": files.upload("证书.pdf", files.EXE),
        },
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "upload"
    listed = c.get(f"/api/v1/attachments?owner_type=registry.enterprise&owner_id={own.pk}").json()["items"]
    assert [i["id"] for i in listed] == [body["id"]]
    r = c.get(f"/api/v1/attachments/{body['id']}/content")
    assert r.status_code == 200 and b"".join(r.streaming_content) == files.PDF
    assert AuditEvent.objects.filter(event="download", object_id=str(body["id"])).exists()
    stranger = make_user("stranger", Role.ENTERPRISE, credit_code=EnterpriseFactory().credit_code)
    c.force_login(stranger)
    assert c.get(f"/api/v1/attachments/{body['id']}/content").status_code == 404
    assert c.get(f"/api/v1/attachments/{body['id']}").status_code == 404
    r = c.post(
        "/api/v1/attachments",
        {
            "owner_type": "registry.enterprise",
            "owner_id": own.pk,
            "kind": "certificate",
            "file": files.upload("a.pdf", files.PDF),
        },
    )
    assert r.status_code == 404
    r = c.post(
        "/api/v1/attachments",
        {
            "owner_type": "accounts.user",
            "owner_id": 1,
            "kind": "certificate",
            "file": files.upload("a.pdf", files.PDF),
        },
    )
    assert r.status_code == 400 and "owner_type" in r.content.decode()


def test_the_check_command_finds_a_changed_file_and_an_orphan(users, own, capsys):
    a = store(users["enterprise"], own)
    call_command("attachments", "check")
    assert "缺失 0，被改动 0，孤立文件 0" in capsys.readouterr().out
    storage.path_for(a.stored_name).write_bytes(files.PDF + b"tampered")
    orphan, _size, _sha = storage.write([b"%PDF-1.4 orphan"], limit=1000)
    with pytest.raises(Exception, match="附件检查未通过"):
        call_command("attachments", "check")
    out = capsys.readouterr().out
    assert "被改动：附件" in out and orphan in out


def test_the_list_include_links_each_file(users, own, rf):
    from django.template.loader import render_to_string

    a = store(users["enterprise"], own)
    html = render_to_string(
        "attachments/_list.html",
        {"attachments": selectors.attachments_for(own), "may_delete": True, "next": "/x/"},
    )
    assert f"/attachments/{a.pk}/" in html and "?inline=1" in html and "发票.pdf" in html
    assert f"/attachments/{a.pk}/delete/" in html
