"""A refused request is one line in the log, not a traceback; /favicon.ico answers before any login."""

import logging

import pytest

pytestmark = pytest.mark.django_db


def test_a_403_logs_one_line_without_a_traceback(client_for, caplog):
    c = client_for("clerk")
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert c.get("/audit/").status_code == 403  # a guard's refusal (jigai.core.errors)
        assert c.get("/admin/core/auditevent/").status_code in (302, 403)  # Django's own PermissionDenied
    forbidden = [
        r for r in caplog.records if r.name == "django.request" and getattr(r, "status_code", 0) == 403
    ]
    assert forbidden and all(r.exc_info is None and not r.exc_text for r in forbidden)
    assert "Traceback" not in caplog.text


def test_other_errors_keep_their_traceback():
    from jigai.core.logs import QuietForbidden

    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "boom", None, (ValueError, ValueError("x"), None)
    )
    record.status_code = 500
    assert QuietForbidden().filter(record) and record.exc_info is not None


def test_the_favicon_is_served_without_login(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r["Content-Type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_favicon_is_served_to_a_user_whose_password_expired(client_for, users, settings):
    from django.utils import timezone

    user = users["clerk"]
    user.password_changed_at = timezone.now() - timezone.timedelta(days=400)
    user.save()
    assert client_for("clerk").get("/favicon.ico").status_code == 200
