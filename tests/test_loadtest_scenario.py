"""The load test's scenario (benchmarks/locustfile.py) keeps working as the pages change: every task of
every simulated user runs once through Django's test client (CSRF enforced) against a small demo, and
each request must pass the locustfile's own checks — status, what the page must show, a save that
really saves. No timing: the suite never asserts speed; benchmarks/loadtest.py measures it."""

from __future__ import annotations

import importlib.util
import io
import itertools
import os
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from jigai.dispatch.models import ProgressReport

LOCUSTFILE = Path(__file__).resolve().parent.parent / "benchmarks" / "locustfile.py"
pytestmark = pytest.mark.django_db


def load_locustfile():
    # Importing locust patches the standard library for gevent unless told not to: not in this process.
    added = "LOCUST_SKIP_MONKEY_PATCH" not in os.environ
    os.environ["LOCUST_SKIP_MONKEY_PATCH"] = "1"
    try:
        spec = importlib.util.spec_from_file_location("jigai_locustfile", LOCUSTFILE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if added:
            del os.environ["LOCUST_SKIP_MONKEY_PATCH"]
    return module


class Response:
    """What a locust task sees of a response with ``catch_response=True``."""

    def __init__(self, response, name: str, log: list):
        self.status_code = response.status_code
        self.headers = response.headers
        self.content = b"".join(response.streaming_content) if response.streaming else response.content
        self.text = self.content.decode(response.charset or "utf-8", errors="replace")
        self.name, self.log, self.outcome = name, log, None

    def success(self):
        self.outcome = "ok"

    def failure(self, message):
        self.outcome = str(message)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.outcome is None:
            self.outcome = "ok" if self.status_code < 400 else f"HTTP {self.status_code}"
        self.log.append((self.name, self.outcome))
        return False


class Session:
    """The part of locust's HttpSession the locustfile uses, over Django's test client."""

    def __init__(self, log: list):
        self.client = Client(enforce_csrf_checks=True)
        self.log = log

    def get(self, path, *, name=None, catch_response=False):
        return Response(self.client.get(path, follow=True), name or path, self.log)

    def post(self, path, data=None, *, name=None, catch_response=False):
        return Response(self.client.post(path, data or {}, follow=True), name or path, self.log)


def run_user(user_class, log: list, *, repeat: tuple[str, ...] = ()):
    user = user_class.__new__(user_class)  # no locust environment: the tasks only need a client
    user.client = Session(log)
    user.rng = random.Random(2018)
    user.on_start()
    for task in dict.fromkeys(user_class.tasks):  # each task once, in the order the class lists them
        task(user)
        if task.__name__ in repeat:
            task(user)
    return user


def test_every_task_of_the_month_end_scenario_passes_its_checks():
    call_command("demo", enterprises=40, projects=60, stdout=io.StringIO())
    lf = load_locustfile()
    lf.ClerkUser._counter = itertools.count()
    log: list[tuple[str, str]] = []
    # The second save of the month screen corrects the first: versions and the reason round-trip.
    clerk = run_user(lf.ClerkUser, log, repeat=("month_save",))
    run_user(lf.OfficeUser, log)
    run_user(lf.LeaderUser, log)

    failures = [(name, outcome) for name, outcome in log if outcome != "ok"]
    assert not failures
    names = {name for name, _ in log}
    assert {
        "login", "page: month screen", "save: month screen", "page: library list", "page: library search",
        "page: project", "export: library .xlsx", "page: reporting status", "page: statistics",
        "page: bulletin", "page: bulletin draft", "export: month reports .xlsx", "page: assessment",
        "page: rankings", "page: ranking warning", "page: targets",
    } <= names  # fmt: skip
    saved = ProgressReport.objects.filter(year=lf.YEAR, month=lf.MONTH, region__code=clerk.unit)
    assert saved.exists() and saved.filter(version__gt=1).exists()


def test_the_simulated_clerks_of_a_unit_never_edit_the_same_row():
    lf = load_locustfile()
    rows = [{"project_id": str(i)} for i in range(31)]
    owned = [lf.owned_rows(rows, slot=s, slots=4) for s in range(4)]
    ids = [r["project_id"] for part in owned for r in part]
    assert sorted(ids) == sorted(r["project_id"] for r in rows) and len(set(ids)) == len(ids)
