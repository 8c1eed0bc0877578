"""Background jobs: a large import through a job gives the synchronous report, a failing job says why in
Chinese, another user's job is 404, the progress endpoint and the API, and the Redis-backed queue."""

import datetime as dt
import os
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from conftest import make_user
from jigai.accounts.models import Role
from jigai.core.errors import PermissionDeniedError, ValidationError
from jigai.core.models import AuditEvent, Region
from jigai.jobs import kinds, services
from jigai.jobs.models import Job, JobState
from jigai.registry.import_jobs import import_summary
from jigai.registry.models import Project
from jigai.registry.tests.import_books import county_workbook, library

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def dirs(settings, tmp_path):
    settings.JIGAI_IMPORT_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.JIGAI_JOBS_DIR = str(tmp_path / "jobs")
    return tmp_path


@pytest.fixture
def test_kinds():
    """Two kinds for the tests: one that fails with a Chinese reason, one that breaks unexpectedly."""

    def refuse(job, progress):
        progress(1, 4, "已完成第一步")
        raise kinds.JobError("数据截至日期之后没有统计数据，无法生成")

    def crash(job, progress):
        raise RuntimeError("Traceback (most recent call last): secret internals")

    def counts(job, progress):
        for i in range(1, 4):
            progress(i, 3, f"第 {i} 步")
        return {"message": "完成了三步"}

    for name, run in (("t_refuse", refuse), ("t_crash", crash), ("t_count", counts)):
        kinds.register(kinds.Kind(name=name, title="测试任务", operation="home.view", run=run))
    yield
    for name in ("t_refuse", "t_crash", "t_count"):
        kinds._KINDS.pop(name, None)


def upload(client, data, name="恩施市.xlsx", mode="good"):
    return client.post(
        "/imports/upload/", {"table": "projects", "mode": mode, "file": SimpleUploadedFile(name, data)}
    )


def test_a_large_import_runs_as_a_job_and_ends_with_the_synchronous_report(client_for, users, settings):
    lib = library()
    c = client_for("clerk")
    book = county_workbook(lib)

    # The synchronous path first, rolled back, for its report.
    token = upload(c, book).context["token"]
    with transaction.atomic():
        r = c.post("/imports/confirm/", {"token": token, "mode": "good"})
        assert r.status_code == 200 and "已写入：新增 2 行，更新 1 行" in r.content.decode()
        expected = import_summary(r.context["report"])
        transaction.set_rollback(True)
    assert Project.objects.count() == 2 and not Job.objects.exists()

    # The same file over the threshold: the confirmation starts a job and shows its page.
    settings.JIGAI_JOBS_IMPORT_ROWS = 3
    token = upload(c, book).context["token"]
    r = c.post("/imports/confirm/", {"token": token, "mode": "good"})
    job = Job.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "import" and job.user == users["clerk"] and job.unit.code == "422801"
    assert job.state == JobState.DONE and job.error == "" and job.total >= 8 and job.percent == 100
    assert job.result_json == expected
    assert Project.objects.count() == 4
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert (
        "已写入：新增 2 行，更新 1 行" in page
        and "已完成" in page
        and "只能导入本单位（恩施市）的数据" in page
    )
    # Written under the clerk's name, from the job.
    event = AuditEvent.objects.filter(event="import").latest("seq")
    assert event.username == "clerk" and event.outcome == "success"
    assert AuditEvent.objects.filter(object_type="jobs.job", object_id=str(job.pk)).exists()
    # The kept file is gone: the job cannot be replayed.
    again = services.job_start(
        user=users["clerk"], kind="import", params={"token": token, "mode": "good"}, at=NOW
    )
    assert again.state == JobState.FAILED and again.error == "上传的文件已过期或已经导入，请重新上传"


def test_a_failing_job_records_why_in_chinese_and_never_shows_a_traceback(
    client_for, users, test_kinds, caplog
):
    job = services.job_start(user=users["clerk"], kind="t_refuse", params={}, at=NOW)
    assert job.state == JobState.FAILED and job.error == "数据截至日期之后没有统计数据，无法生成"
    assert job.done == 1 and job.total == 4 and job.finished is not None
    c = client_for("clerk")
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "未能完成：" in page and "数据截至日期之后没有统计数据，无法生成" in page

    crashed = services.job_start(user=users["clerk"], kind="t_crash", params={}, at=NOW)
    assert crashed.state == JobState.FAILED
    assert crashed.error == "执行时发生意外错误，已记入系统日志，请联系系统管理员"
    status = c.get(f"/jobs/{crashed.pk}/status.json").json()
    assert status["state"] == "failed" and "Traceback" not in str(status) and "secret" not in str(status)
    assert "secret internals" in caplog.text  # the operator finds it in the log


def test_starting_a_job_needs_the_right_of_its_work(users):
    with pytest.raises(PermissionDeniedError):
        services.job_start(user=users["clerk"], kind="backup", params={}, at=NOW)
    with pytest.raises(ValidationError) as exc:
        services.job_start(user=users["office"], kind="nothing", params={}, at=NOW)
    assert exc.value.errors == {"kind": ["没有“nothing”这种后台任务"]}
    assert not Job.objects.exists()


def test_another_users_job_answers_404_and_the_office_sees_every_job(client, users, test_kinds):
    job = services.job_start(user=users["clerk"], kind="t_count", params={}, at=NOW)
    other_clerk = make_user("clerk_422802", Role.CLERK, region=Region.objects.get(code="422802"))
    for who in (other_clerk, users["finance"], users["leader"], users["sysadmin"]):
        client.force_login(who)
        for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status.json", f"/api/v1/jobs/{job.pk}"):
            assert client.get(url).status_code == 404, (who.username, url)
        assert f"/jobs/{job.pk}/" not in client.get("/jobs/").content.decode()
    client.force_login(users["office"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    assert f"/jobs/{job.pk}/" in client.get("/jobs/").content.decode()
    client.force_login(users["clerk"])
    assert f"/jobs/{job.pk}/" in client.get("/jobs/").content.decode()


def test_the_progress_endpoint_and_the_api_say_how_far_a_job_got(client_for, users, test_kinds):
    job = Job.objects.create(kind="t_count", title="测试任务", user=users["clerk"], created=NOW)
    c = client_for("clerk")
    s = c.get(f"/jobs/{job.pk}/status.json").json()
    assert (s["state"], s["state_label"], s["percent"], s["finished"]) == ("queued", "排队中", 0, False)
    services.job_progress(job=job, done=150, total=600, message="正在读取并检查：已读 150 行")
    s = c.get(f"/jobs/{job.pk}/status.json").json()
    assert (s["done"], s["total"], s["percent"], s["message"]) == (
        150,
        600,
        25,
        "正在读取并检查：已读 150 行",
    )
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert f'data-job-status="/jobs/{job.pk}/status.json"' in page
    assert '<progress id="job-progress" max="100" value="25">' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "<script>" not in page  # the poller is app.js (CSP)

    done = services.job_start(user=users["clerk"], kind="t_count", params={}, at=NOW)
    api = c.get(f"/api/v1/jobs/{done.pk}").json()
    assert api["state"] == "done" and api["percent"] == 100 and api["result"] == {"message": "完成了三步"}
    assert c.get(f"/api/v1/jobs/{done.pk + 1000}").status_code == 404
    page = c.get(f"/jobs/{done.pk}/").content.decode()
    assert "http-equiv" not in page and "完成了三步" in page


def test_a_bulletin_document_job_gives_the_same_docx_as_the_direct_download(client_for, users):
    from jigai.dispatch import services as dispatch_services

    bulletin = dispatch_services.bulletin_publish(
        user=users["office"], year=2019, month=6, at=timezone.now(), issue_date=dt.date(2019, 7, 10)
    )
    c = client_for("leader")
    back = f"/dispatch/bulletins/{bulletin.pk}/"
    assert 'action="/jobs/new/bulletin_docx/"' in c.get(back).content.decode()
    r = c.post("/jobs/new/bulletin_docx/", {"bulletin": bulletin.pk, "back": back})
    job = Job.objects.get()
    assert r["Location"] == f"/jobs/{job.pk}/" and job.state == JobState.DONE
    page = c.get(r["Location"]).content.decode()
    assert f'href="/jobs/{job.pk}/download/"' in page and f'href="{back}"' in page
    got = c.get(f"/jobs/{job.pk}/download/")
    assert got.status_code == 200 and got["Content-Disposition"].startswith("attachment")
    body = b"".join(got.streaming_content)
    assert body[:2] == b"PK" and len(body) > 5000
    # Nobody else downloads it; a bad form says what is wrong and starts nothing.
    client_for("finance")
    assert c.get(f"/jobs/{job.pk}/download/").status_code == 404
    r = c.post("/jobs/new/bulletin_docx/", {"bulletin": "x", "back": back}, follow=True)
    assert "请选择要生成的月通报" in r.content.decode() and Job.objects.count() == 1
    client_for("clerk")  # a clerk may read bulletins, not the enterprise user
    client_for("enterprise")
    assert c.post("/jobs/new/bulletin_docx/", {"bulletin": bulletin.pk}).status_code == 403


def test_a_meeting_pack_job_and_the_reminder_job(client_for, users):
    c = client_for("office")
    r = c.post("/jobs/new/meeting_pack/", {"period": "2019Q2", "as_of": "2019-07-20"})
    job = Job.objects.get()
    assert job.state == JobState.DONE, job.error
    assert job.result_name == "2019年第二季度联席会议材料.docx" and job.summary.startswith("2019年第二季度")
    r = c.post("/jobs/new/meeting_pack/", {"period": "2019Q2", "as_of": "昨天"}, follow=True)
    assert "会议日期（数据截至）不是日期" in r.content.decode() and Job.objects.count() == 1

    page = c.get("/jobs/").content.decode()
    assert "开始发送待办提醒" in page and "开始数据库备份" not in page
    c.post("/jobs/new/remind/")
    remind = Job.objects.get(kind="remind")
    assert remind.state == JobState.DONE and "检查 " in remind.result_json["message"]
    client_for("clerk")
    assert c.post("/jobs/new/remind/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_backup_job_writes_the_encrypted_archive(client_for, users, settings, dirs):
    # Transactional: the backup reads the database from another connection, as the worker's does.
    settings.VAR_DIR = dirs
    c = client_for("office")
    assert "开始数据库备份" not in c.get("/jobs/").content.decode()
    client_for("sysadmin")
    assert "开始数据库备份" in c.get("/jobs/").content.decode()
    c.post("/jobs/new/backup/")
    backup = Job.objects.get(kind="backup")
    assert backup.state == JobState.DONE, backup.error
    assert backup.result_json["path"].startswith(str(dirs)) and os.path.exists(backup.result_json["path"])


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_the_redis_setting_builds_an_rq_backend_and_runs_a_job_through_an_rq_worker(
    users, settings, test_kinds
):
    from config.settings.tasks import tasks_settings

    built = tasks_settings({"JIGAI_TASKS_BACKEND": "redis", "JIGAI_REDIS_URL": "redis://127.0.0.1:6379/15"})
    assert built["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert built["RQ_QUEUES"] == {"default": {"URL": "redis://127.0.0.1:6379/15", "DEFAULT_TIMEOUT": 3600}}
    assert "django_rq" in built["apps"]
    assert tasks_settings({})["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    with pytest.raises(ValueError, match="JIGAI_TASKS_BACKEND"):
        tasks_settings({"JIGAI_TASKS_BACKEND": "celery"})

    settings.RQ_QUEUES = built["RQ_QUEUES"]
    settings.TASKS = built["TASKS"]
    from django_tasks import task_backends

    backend = task_backends["default"]
    assert type(backend).__name__ == "RQBackend" and not [
        m for m in backend.check() if m.level >= 40 and "INSTALLED_APPS" not in m.hint
    ]
    if not _redis_answers():
        pytest.skip("127.0.0.1:6379 没有 Redis，只检查了配置")
    import django_rq
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=RQJob)
    queue.empty()
    job = services.job_start(user=users["clerk"], kind="t_count", params={}, at=NOW)
    assert job.state == JobState.QUEUED and job.task_id  # on Redis, waiting for a worker
    SimpleWorker([queue], connection=queue.connection, job_class=RQJob).work(burst=True)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.result_json == {"message": "完成了三步"}
    assert backend.get_result(job.task_id).status == "SUCCESSFUL"


ROLES = (
    "office",
    "finance",
    "clerk",
    "enterprise",
    "bank",
    "leader",
    "auditor",
    "security_admin",
    "sysadmin",
)
STARTS = {
    "bulletin_docx": {"office", "finance", "clerk", "leader"},
    "meeting_pack": {"office", "finance", "leader"},
    "remind": {"office"},
    "backup": {"sysadmin"},
}


@pytest.mark.parametrize("role", ROLES)
def test_role_by_kind_who_may_start_which_job(client_for, users, role):
    from jigai.dispatch import services as dispatch_services

    bulletin = dispatch_services.bulletin_publish(
        user=users["office"], year=2019, month=6, at=timezone.now(), issue_date=dt.date(2019, 7, 10)
    )
    forms = {
        "bulletin_docx": {"bulletin": bulletin.pk},
        "meeting_pack": {"period": "2019Q2", "as_of": "2019-07-20"},
        "remind": {},
    }
    c = client_for(role)
    assert c.get("/jobs/").status_code == 200  # every role has a job list (its own jobs)
    for kind, form in forms.items():
        r = c.post(f"/jobs/new/{kind}/", form)
        if role in STARTS[kind]:
            assert r.status_code == 302 and Job.objects.filter(kind=kind, user=users[role]).exists(), kind
        else:
            assert r.status_code == 403 and not Job.objects.filter(kind=kind, user=users[role]).exists(), kind
    if role not in STARTS["backup"]:
        assert c.post("/jobs/new/backup/").status_code == 403
    # The import job starts only from the import page's confirmation, never from this form.
    assert c.post("/jobs/new/import/").status_code == 404
