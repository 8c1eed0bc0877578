"""A request body over the platform's limit is refused with 413 and a Chinese message before a byte of it
is read (issue 11, point 4; jigai/core/request_limits.py)."""

import pytest

from jigai.core.request_limits import request_limit

MB = 1024 * 1024


class Unreadable:
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _huge(client, path: str, size: int = 300 * MB):
    return client.generic(
        "POST",
        path,
        data=b"x",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": Unreadable()},
    )


@pytest.mark.django_db
def test_a_300_mb_upload_is_refused_before_it_is_read(client_for):
    r = _huge(client_for("clerk"), "/imports/upload/")
    assert r.status_code == 413
    page = r.content.decode()
    assert "请求过大（300.0 MB）" in page and "21.0 MB" in page and "请拆分后分批导入" in page


@pytest.mark.django_db
def test_the_api_refuses_it_as_json(client_for):
    r = _huge(client_for("clerk"), "/api/v1/projects")
    assert r.status_code == 413
    assert r.json()["detail"].startswith("请求过大（300.0 MB）") and r.json()["errors"] == []


def test_an_anonymous_request_is_refused_the_same_way(client):
    assert _huge(client, "/accounts/login/").status_code == 413


def test_the_limit_is_the_upload_limit_plus_the_envelope_unless_set(settings):
    assert request_limit() == settings.JIGAI_UPLOAD_MAX_BYTES + MB == 21 * MB
    settings.JIGAI_REQUEST_MAX_BYTES = 5 * MB
    assert request_limit() == 5 * MB
    settings.JIGAI_REQUEST_MAX_BYTES = None
    settings.JIGAI_UPLOAD_MAX_BYTES = 2 * MB
    assert request_limit() == 3 * MB


@pytest.mark.django_db
def test_a_body_at_the_limit_is_read_as_usual(client_for, settings):
    settings.JIGAI_REQUEST_MAX_BYTES = 4096
    c = client_for("clerk")
    r = c.post("/api/v1/projects", data="{}", content_type="application/json")
    assert r.status_code != 413
    r = c.post("/api/v1/projects", data="{" + " " * 5000 + "}", content_type="application/json")
    assert r.status_code == 413
