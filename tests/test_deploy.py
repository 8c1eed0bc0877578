import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deployment check.
    full = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full, capture_output=True, text=True
    )


def test_check_deploy_passes_on_production_settings():
    r = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        JIGAI_SECRET_KEY=secrets.token_urlsafe(60),
        JIGAI_AUDIT_KEY=secrets.token_urlsafe(32),
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_production_refuses_to_start_without_secrets():
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIGAI_")}
    r = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"},
    )
    assert r.returncode != 0 and "JIGAI_SECRET_KEY" in r.stderr


def test_a_server_error_shows_a_generic_page(client, users, settings, monkeypatch):
    from jigai.registry import views

    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(users["office"])
    monkeypatch.setattr(views.selectors, "project_list", lambda *a, **k: 1 / 0)
    r = client.get("/projects/")
    assert r.status_code == 500
    body = r.content.decode()
    assert "系统暂时出现问题" in body and "ZeroDivisionError" not in body
