"""月调度, 月通报, 考核督办 and the month screen switch to English, and so do the month screen's domain
error messages (jigai/locale/en)."""

import pytest
from django.utils import translation

from jigai.core.tests.test_i18n import switch
from jigai.dispatch.tests.helpers import project, report

from .test_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    """LocaleMiddleware leaves the last request's language active in the thread; don't leak English."""
    yield
    translation.deactivate()


def test_the_dispatch_and_assessment_pages_read_in_english(users, client_for):
    project(name="项目甲")
    c = client_for("office")
    switch(c, "en", "/dispatch/")
    page = c.get("/dispatch/?month=2019-06").content.decode()
    assert (
        "Monthly progress and bulletins" in page
        and "Reporting by unit" in page
        and "月调度与月通报" not in page
    )
    assert "Published monthly bulletins" in c.get("/dispatch/bulletins/").content.decode()
    page = c.get("/assessment/").content.decode()
    assert "oversight" in page and "Accountability list" in page and "问责清单" not in page


def test_the_month_screen_and_its_errors_read_in_english(users, client_for):
    a = project(name="项目甲")
    report(users["clerk"], a, 2019, 5, 50, 300)
    c = client_for("clerk")
    switch(c, "en", "/dispatch/2019/6/report/")
    page = c.get("/dispatch/2019/6/report/").content.decode()
    assert "Cumulative since start" in page and "Save (Enter)" in page and "On schedule" in page
    data = form_data(page)
    data.update({"form-0-month_investment_wan": "0", "form-0-cumulative_investment_wan": "250",
                 "form-0-progress_pct": "40"})  # fmt: skip
    page = c.post("/dispatch/2019/6/report/", data).content.decode()
    assert "cumulative investment falling" in page and "累计投资回落）" not in page
