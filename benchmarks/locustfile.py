"""The month-end peak of the monthly dispatch (programme 4.2 月调度), as a locust scenario.

benchmarks/loadtest.py builds the demo database, starts gunicorn and runs this file; by hand, against a
server started with `python3 dev.py start`:

    .venv/bin/locust -f benchmarks/locustfile.py --headless -u 40 -r 2 -t 90s --host http://127.0.0.1:8000

The situation: the first days of February 2021 (the demo's data end in December 2020). Every county unit
enters its projects' January figures before the 5th (4.2: 每月5日前报送), the programme office watches
who is late, leaders read the dashboard and the rankings. ``JIGAI_LOAD_MONTH`` (default 2021-01) names
the month being reported.

Each simulated user logs in once, through the login form with its CSRF token and the demo password, and
never with a wrong one (five failures lock an account). The demo has one account per unit and role;
the simulated clerks of a unit share their unit's account, as the office staff share ``office``.

Who, what and how often (task weights; a user picks its next task by weight after its think time):

  county clerk (县市经办人): every user not counted below, spread over the nine units in turn
      6  page: month screen        GET  /dispatch/2021/1/report/
      4  save: month screen        GET the screen, then POST 1–5 of its rows; follows the redirect to the
                                   saved screen, which must say 已保存 (a form error is a failure)
      3  page: library list        GET  /projects/?page=1|2
      2  page: library search      GET  /projects/?q=中药饮片 … (a few words that occur in the demo)
      3  page: project             GET  /projects/<id>/ (an id seen in the list)
      1  page: reporting status    GET  /dispatch/?month=2021-01 (the unit's own late/missing list)
      1  export: library .xlsx     GET  /projects/export.xlsx (the unit's projects)
  programme office (州经信委技改科, account ``office``): 3 users
      4  page: reporting status    GET  /dispatch/?month=2021-01 (all units: who is late, who is missing)
      2  page: statistics          GET  /dispatch/statistics/2021/1/
      2  page: bulletin            GET  /dispatch/bulletins/<newest>/
      1  page: bulletin draft      GET  /dispatch/bulletins/draft/2021/1/ (computed from the live reports)
      1  page: library list        GET  /projects/
      1  export: month reports .xlsx  GET /dispatch/2021/1/reports.xlsx?unit=<a unit>
  leader (州领导, account ``leader``, read only): 2 users
      3  page: assessment          GET  /assessment/ (the dashboard: ranking, open interviews, overdue items)
      2  page: rankings            GET  /assessment/rankings/
      1  page: ranking warning     GET  /assessment/warning/
      1  page: targets             GET  /assessment/targets/
      2  page: bulletin            GET  /dispatch/bulletins/<newest>/

Think time: 3–12 s between tasks for everyone. A real clerk types several rows (a minute or more)
between two saves and reads a page for longer than that, so this compresses the peak about five-fold:
40 simulated users load the server like some 200 real ones, more than the prefecture has at once.

Saves never collide: a unit's k-th simulated clerk (of K) owns the rows i of the month screen with
i mod K = k, so no two simulated clerks edit the same project. (Two real clerks editing the same
project get the stale-edit refusal, which is correct, but it would count as an error here.) Rows
without a report are first submissions; rows already reported are corrections with a reason.

Request names start with their kind (login, page, save, export): loadtest.py applies the latency
budget by kind. Every response is checked for what it must contain, not only its status.
"""

from __future__ import annotations

import html
import itertools
import math
import os
import random
import re
from decimal import Decimal

from locust import HttpUser, between, task
from locust.exception import StopUser

PASSWORD = "Jigai#2018"  # jigai/demo/people.py DEMO_PASSWORD
# The nine reporting units (jigai demo): eight counties and cities, and the high-tech zone.
UNITS = ("422801", "422802", "422822", "422823", "422825", "422826", "422827", "422828", "GXQ")
YEAR, MONTH = (int(x) for x in os.environ.get("JIGAI_LOAD_MONTH", "2021-01").split("-"))
MONTH_KEY = f"{YEAR}-{MONTH:02d}"
SEARCHES = ("中药饮片", "生产线", "改造", "富硒", "数控", "卷烟", "GMP", "魔芋")
THINK = between(3, 12)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OFFICE_USERS, LEADER_USERS = 3, 2

_INPUT = re.compile(r"<input[^>]*>")
_NAME = re.compile(r'name="([^"]+)"')
_VALUE = re.compile(r'value="([^"]*)"')
_SELECT = re.compile(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S)
_SELECTED = re.compile(r'<option value="([^"]*)"[^>]*selected')
_FIRST_OPTION = re.compile(r'<option value="([^"]*)"')
_ROW_FIELD = re.compile(r"form-(\d+)-(\w+)$")
_PROJECT_LINK = re.compile(r'href="/projects/(\d+)/"')
_BULLETIN_LINK = re.compile(r'href="/dispatch/bulletins/(\d+)/"')
_ERROR_MESSAGE = re.compile(r'<li class="error">([^<]+)</li>')
_ERROR_LIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)


def clerk_username(unit: str) -> str:
    return f"clerk_{unit.lower()}"


def form_fields(page: str, form_id: str | None = None) -> dict[str, str]:
    """What a browser would send from a form: every input and select as rendered (the first form, or
    the one with ``id=form_id``)."""
    if form_id and f'id="{form_id}"' in page:
        page = page.split(f'id="{form_id}"', 1)[1].split("</form>", 1)[0]
    data: dict[str, str] = {}
    for tag in _INPUT.findall(page):
        name = _NAME.search(tag)
        if name:
            value = _VALUE.search(tag)
            data[name.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, body in _SELECT.findall(page):
        chosen = _SELECTED.search(body) or _FIRST_OPTION.search(body)
        data[name] = html.unescape(chosen.group(1)) if chosen else ""
    return data


def month_rows(fields: dict[str, str]) -> list[dict[str, str]]:
    """The month screen's rows (form-N-field), in the screen's order."""
    rows: dict[int, dict[str, str]] = {}
    for name, value in fields.items():
        m = _ROW_FIELD.match(name)
        if m:
            rows.setdefault(int(m.group(1)), {})[m.group(2)] = value
    return [rows[i] for i in sorted(rows)]


def owned_rows(rows: list, *, slot: int, slots: int) -> list:
    """The rows the ``slot``-th of ``slots`` simulated clerks of a unit edits: no two share a row."""
    return [row for i, row in enumerate(rows) if i % slots == slot]


def row_values(row: dict[str, str], rng: random.Random) -> dict[str, str]:
    """A clerk's entry for one project: this month's investment in 万元 (the cumulative left empty, so
    the screen adds it to last month's), the progress, and now and then a problem to coordinate."""
    pct = min(100, int(row.get("progress_pct") or 0) + rng.randint(0, 5)) if row.get("version") else None
    problem = rng.random() < 0.1
    return {
        "project_id": row["project_id"],
        "version": row.get("version", ""),
        "month_investment_wan": str(Decimal(rng.randint(500, 30000)) / 100),
        "cumulative_investment_wan": "",
        "progress_pct": str(pct if pct is not None else rng.randint(10, 90)),
        "progress_text": rng.choice(("土建施工", "设备采购", "设备安装调试", "试生产")),
        "state": row.get("state") or "on_schedule",
        "problems": "企业流动资金紧张，银行贷款审批进度慢" if problem else "",
        "department_asked": "州政府金融办" if problem else "",
    }


def _error_text(page: str) -> str:
    found = _ERROR_MESSAGE.findall(page) or [re.sub(r"<[^>]+>", " ", e) for e in _ERROR_LIST.findall(page)]
    return " ".join(html.unescape(" ".join(found)).split())[:200]


def check(r, *markers: str, content_type: str = "text/html") -> bool:
    """Mark the response a failure unless it is 2xx/3xx, of the type and containing every marker."""
    if not 200 <= r.status_code < 400:
        r.failure(f"HTTP {r.status_code}")
        return False
    if content_type not in (r.headers.get("Content-Type") or ""):
        r.failure(f"expected {content_type}, got {r.headers.get('Content-Type')}")
        return False
    if content_type == XLSX:
        if not r.content.startswith(b"PK"):
            r.failure("not an .xlsx (no zip header)")
            return False
    else:
        text = r.text
        missing = [m for m in markers if m not in text]
        if missing:
            hint = "the login page" if 'action="/accounts/login/' in text or "登录技改通" in text else ""
            r.failure(f"missing {missing!r} {hint or _error_text(text)}".strip())
            return False
    r.success()
    return True


class JigaiUser(HttpUser):
    abstract = True
    wait_time = THINK
    username = ""
    rng = random

    def on_start(self):
        self.project_ids: list[int] = []
        self.bulletin_id: int | None = None
        self.login(self.username)

    def login(self, username: str) -> None:
        with self.client.get("/accounts/login/", name="page: login form", catch_response=True) as r:
            check(r, "csrfmiddlewaretoken")
            token = form_fields(r.text).get("csrfmiddlewaretoken", "")
        data = {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": PASSWORD,
            "otp": "",
            "next": "",
        }
        with self.client.post("/accounts/login/", data=data, name="login", catch_response=True) as r:
            # The login lands on the user's home page (to-do list first), with the logout button.
            if not check(r, 'action="/accounts/logout/"', 'id="todo-list"'):
                raise StopUser()
        self._library_list()

    def _remember_projects(self, page: str) -> None:
        ids = [int(x) for x in _PROJECT_LINK.findall(page)]
        if ids:
            self.project_ids = sorted(set(self.project_ids) | set(ids))

    def _library_list(self, page_no: int = 1) -> None:
        url = "/projects/" if page_no == 1 else f"/projects/?page={page_no}"
        with self.client.get(url, name="page: library list", catch_response=True) as r:
            if check(r, "技改项目库", 'id="project-table"'):
                self._remember_projects(r.text)

    def _bulletin(self) -> None:
        if self.bulletin_id is None:
            with self.client.get(
                "/dispatch/bulletins/", name="page: bulletin list", catch_response=True
            ) as r:
                if check(r, "月通报"):
                    found = _BULLETIN_LINK.findall(r.text)
                    self.bulletin_id = int(found[0]) if found else None
            if self.bulletin_id is None:
                return
        url = f"/dispatch/bulletins/{self.bulletin_id}/"
        with self.client.get(url, name="page: bulletin", catch_response=True) as r:
            check(r, "全州技改项目推进情况的通报", 'id="unit-investment"')


class ClerkUser(JigaiUser):
    """A county unit's clerk in the days before the 5th: the month screen first, the library beside it."""

    weight = 1  # every user not fixed below
    _counter = itertools.count()

    def on_start(self):
        n = next(ClerkUser._counter)
        self.unit = UNITS[n % len(UNITS)]
        self.slot = n // len(UNITS)
        self.slots = self._clerks_per_unit()
        self.username = clerk_username(self.unit)
        super().on_start()

    def _clerks_per_unit(self) -> int:
        options = getattr(getattr(self, "environment", None), "parsed_options", None)
        clerks = (getattr(options, "num_users", None) or 0) - OFFICE_USERS - LEADER_USERS
        return max(1, math.ceil(clerks / len(UNITS)))

    @property
    def month_url(self) -> str:
        return f"/dispatch/{YEAR}/{MONTH}/report/"

    def _open_month(self) -> dict[str, str] | None:
        with self.client.get(self.month_url, name="page: month screen", catch_response=True) as r:
            if not check(r, f"{YEAR}年{MONTH}月项目月调度", 'id="month-form"'):
                return None
            return form_fields(r.text, "month-form")

    @task(6)
    def month_screen(self):
        self._open_month()

    @task(4)
    def month_save(self):
        fields = self._open_month()
        if fields is None:
            return
        rows = month_rows(fields)
        mine = owned_rows(rows, slot=self.slot, slots=self.slots)
        if not mine:
            return
        chosen = self.rng.sample(mine, min(len(mine), self.rng.randint(1, 5)))
        data = {
            "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
            "form-TOTAL_FORMS": str(len(chosen)),
            "form-INITIAL_FORMS": str(len(chosen)),
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "reason": "核对企业投资台账后更正本月完成投资",
        }
        for i, row in enumerate(chosen):
            for name, value in row_values(row, self.rng).items():
                data[f"form-{i}-{name}"] = value
        with self.client.post(self.month_url, data=data, name="save: month screen", catch_response=True) as r:
            check(r, "已保存：", 'id="month-form"')

    @task(3)
    def library_list(self):
        self._library_list(self.rng.choice((1, 1, 2)))

    @task(2)
    def library_search(self):
        q = self.rng.choice(SEARCHES)
        with self.client.get(f"/projects/?q={q}", name="page: library search", catch_response=True) as r:
            if check(r, "技改项目库", 'id="project-table"'):
                self._remember_projects(r.text)

    @task(3)
    def project_page(self):
        if not self.project_ids:
            self._library_list()
            if not self.project_ids:
                return
        pk = self.rng.choice(self.project_ids)
        with self.client.get(f"/projects/{pk}/", name="page: project", catch_response=True) as r:
            check(r, "状态变更记录")

    @task(1)
    def reporting_status(self):
        url = f"/dispatch/?month={MONTH_KEY}"
        with self.client.get(url, name="page: reporting status", catch_response=True) as r:
            check(r, "月调度与月通报", 'id="status-table"')

    @task(1)
    def library_export(self):
        url = "/projects/export.xlsx"
        with self.client.get(url, name="export: library .xlsx", catch_response=True) as r:
            check(r, content_type=XLSX)


class OfficeUser(JigaiUser):
    """The programme office (州经信委技改科): who is late, the statistics, the bulletin."""

    fixed_count = OFFICE_USERS
    username = "office"

    @task(4)
    def reporting_status(self):
        url = f"/dispatch/?month={MONTH_KEY}"
        with self.client.get(url, name="page: reporting status", catch_response=True) as r:
            if check(r, "月调度与月通报", 'id="status-table"'):
                found = _BULLETIN_LINK.findall(r.text)
                self.bulletin_id = int(found[0]) if found else self.bulletin_id

    @task(2)
    def statistics(self):
        url = f"/dispatch/statistics/{YEAR}/{MONTH}/"
        with self.client.get(url, name="page: statistics", catch_response=True) as r:
            check(r, "统计数据", 'id="stat-form"')

    @task(2)
    def bulletin(self):
        self._bulletin()

    @task(1)
    def bulletin_draft(self):
        url = f"/dispatch/bulletins/draft/{YEAR}/{MONTH}/"
        with self.client.get(url, name="page: bulletin draft", catch_response=True) as r:
            check(r, "草稿", 'id="unit-investment"')

    @task(1)
    def library_list(self):
        self._library_list()

    @task(1)
    def month_export(self):
        url = f"/dispatch/{YEAR}/{MONTH}/reports.xlsx?unit={self.rng.choice(UNITS)}"
        with self.client.get(url, name="export: month reports .xlsx", catch_response=True) as r:
            check(r, content_type=XLSX)


class LeaderUser(JigaiUser):
    """A prefecture leader (read only): the dashboard, the rankings, the bulletin."""

    fixed_count = LEADER_USERS
    username = "leader"

    @task(3)
    def assessment(self):
        with self.client.get("/assessment/", name="page: assessment", catch_response=True) as r:
            check(r, "考核督办")

    @task(2)
    def rankings(self):
        with self.client.get("/assessment/rankings/", name="page: rankings", catch_response=True) as r:
            check(r, "技改投入增幅排名")

    @task(1)
    def warning(self):
        with self.client.get("/assessment/warning/", name="page: ranking warning", catch_response=True) as r:
            check(r, "排名预警")

    @task(1)
    def targets(self):
        with self.client.get("/assessment/targets/", name="page: targets", catch_response=True) as r:
            check(r, "目标任务完成情况")

    @task(2)
    def bulletin(self):
        self._bulletin()
