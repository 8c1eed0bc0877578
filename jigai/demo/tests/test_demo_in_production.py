"""Issue 11, point 11: no published passwords in production. `jigai demo` refuses production settings;
an account created with an initial password must change it at first login."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from jigai.accounts.models import Role, User
from jigai.accounts.services import user_create


def test_the_demo_command_refuses_production_settings_with_a_clear_message(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "JIGAI_SECRET_KEY": "x" * 60,
        "JIGAI_AUDIT_KEY": "k",
        "JIGAI_SQLITE_PATH": str(tmp_path / "prod.sqlite3"),
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from jigai.cli import main; sys.exit(main(['demo']))"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "生产环境" in out.stderr and "演示数据" in out.stderr
    assert "Jigai#2018" not in out.stdout + out.stderr


@pytest.mark.django_db
def test_the_demo_creates_no_account_under_production_settings(settings):
    settings.JIGAI_PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_an_account_created_with_an_initial_password_must_change_it_at_first_login():
    user_create(
        username="leader2",
        password="Initial#Pass2019",
        role=Role.LEADER,
        now=timezone.now(),
        display_name="领导",
    )
    assert User.objects.get(username="leader2").password_changed_at is None
    c = Client()
    assert (
        c.post("/accounts/login/", {"username": "leader2", "password": "Initial#Pass2019"}).status_code == 302
    )
    r = c.get("/projects/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/password/")
    r = c.post(
        "/accounts/password/",
        {
            "old_password": "Initial#Pass2019",
            "new_password1": "Changed#Pass2020",
            "new_password2": "Changed#Pass2020",
        },
    )
    assert r.status_code == 302
    assert c.get("/projects/").status_code == 200
