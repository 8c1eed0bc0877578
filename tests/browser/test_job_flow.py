import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import PASSWORD, make_user
from jigai.accounts.models import Role
from jigai.jobs.models import Job, JobState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_office_generates_the_bulletins_word_in_the_background_and_downloads_it(
    live_server, page, settings, tmp_path
):
    """生成 → the job page (排队中, a progress bar) → a worker runs it → the poller shows the download."""
    import datetime as dt

    from jigai.dispatch import services as dispatch_services

    settings.JIGAI_JOBS_DIR = str(tmp_path / "jobs")
    # The database queue, as `python3 dev.py start` runs it: the job waits until the worker takes it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    office = make_user("office_b", Role.OFFICE)
    bulletin = dispatch_services.bulletin_publish(
        user=office, year=2019, month=6, at=timezone.now(), issue_date=dt.date(2019, 7, 10)
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "office_b")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#todo-list")

    page.goto(f"{live_server.url}/dispatch/bulletins/{bulletin.pk}/")
    page.click("#bulletin-generate button[type=submit]")
    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    job = Job.objects.get()
    assert page.inner_text("#job-state") == "排队中" and page.is_hidden("#job-result")
    assert page.get_attribute("#job-progress", "value") == "0"

    call_command("db_worker", "--batch", "--no-startup-delay")  # the worker beside the web server
    job.refresh_from_db()
    assert job.state == JobState.DONE

    # The poller (app.js) moves the bar to 100 % and shows the link without reloading the page.
    page.wait_for_selector("#job-result:not([hidden])")
    assert page.inner_text("#job-state") == "已完成"
    assert page.get_attribute("#job-progress", "value") == "100"
    link = page.locator("#job-download")
    assert link.inner_text() == "下载 2019年6月技改项目推进情况通报.docx"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "2019年6月技改项目推进情况通报.docx"
