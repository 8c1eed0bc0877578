"""The one domain error family (jigai/core/errors.py) and where it meets HTTP: the API's handler gives each
error its status and a Chinese JSON body; a page gives a 403/404 page, the form's errors, or a message."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpResponse
from django.test import RequestFactory

from jigai.api.api import api
from jigai.core import edges
from jigai.core.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    StaleEditError,
    ValidationError,
)
from jigai.core.models import AuditEvent
from jigai.registry.forms import EnterpriseForm

CASES = [
    (ValidationError({"name": ["企业名称不能为空"]}), 400, "企业名称不能为空", [{"field": "name", "message": "企业名称不能为空"}]),
    (ConflictError("该月通报已发布"), 409, "该月通报已发布", [{"field": "__all__", "message": "该月通报已发布"}]),
    (StaleEditError(), 409, StaleEditError.default_message, [{"field": "__all__", "message": StaleEditError.default_message}]),
    (NotFoundError(), 404, "记录不存在或无权访问", []),
    (PermissionDeniedError(), 403, "您没有执行此操作的权限", []),
]  # fmt: skip


def test_every_error_of_the_family_is_a_domain_error_with_a_status():
    for exc, status, detail, _ in CASES:
        assert isinstance(exc, DomainError) and exc.status == status and str(exc) == detail
    assert isinstance(StaleEditError(), ConflictError)


def test_a_message_without_a_field_is_about_the_whole_record_and_messages_join_in_chinese():
    exc = ValidationError({"a": ["甲有误"], "__all__": ["整体有误"]})
    assert exc.messages() == ["甲有误", "整体有误"] and str(exc) == "甲有误；整体有误"
    assert ValidationError("只有一句").errors == {"__all__": ["只有一句"]}


def _api_answer(exc, settings=None):
    """The real API's answer to ``exc`` raised by an operation (its registered exception handlers)."""
    request = RequestFactory().get("/api/v1/projects")
    return api.on_exception(request, exc)


@pytest.mark.django_db
@pytest.mark.parametrize(("exc", "status", "detail", "errors"), CASES)
def test_the_api_answers_each_domain_error_with_its_status_and_chinese_json(exc, status, detail, errors):
    r = _api_answer(exc)
    assert r.status_code == status
    assert r["Content-Type"].startswith("application/json")
    assert json.loads(r.content) == {"detail": detail, "errors": errors}


def test_an_unforeseen_failure_on_the_api_is_a_json_500_in_chinese(settings):
    settings.DEBUG = False
    r = _api_answer(ZeroDivisionError("boom"))
    assert r.status_code == 500 and r["Content-Type"].startswith("application/json")
    assert json.loads(r.content)["detail"].startswith("服务器内部错误") and "boom" not in r.content.decode()


def _request(path="/x/", referer=""):
    request = RequestFactory().post(path, HTTP_REFERER=referer) if referer else RequestFactory().post(path)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.django_db
def test_a_page_answers_a_refused_access_with_the_403_page_and_records_it(users):
    request = _request()
    request.user = users["leader"]
    exc = PermissionDeniedError()
    exc.operation = "project.create"
    response = edges.page_answer(request, exc)
    assert response.status_code == 403 and "您没有执行此操作的权限" in response.content.decode()
    event = AuditEvent.objects.get(event="access_denied")
    assert event.message == "project.create /x/" and event.outcome == "failure"


@pytest.mark.django_db
def test_a_page_answers_a_missing_record_with_the_404_page_and_records_nothing(users):
    request = _request()
    request.user = users["office"]
    assert edges.page_answer(request, NotFoundError()).status_code == 404
    assert not AuditEvent.objects.filter(event="access_denied").exists()


@pytest.mark.django_db
def test_a_page_sends_a_refusal_no_form_took_back_where_the_user_came_from(users):
    request = _request(referer="http://testserver/projects/")
    request.user = users["office"]
    response = edges.page_answer(request, ConflictError("该期排名已发布"))
    assert response.status_code == 302 and response["Location"] == "http://testserver/projects/"
    assert [str(m) for m in get_messages(request)] == ["该期排名已发布"]
    other_site = _request(referer="https://evil.example/")
    other_site.user = users["office"]
    response = edges.page_answer(other_site, ConflictError("该期排名已发布"))
    assert response.status_code == 409 and "该期排名已发布" in response.content.decode()


def test_a_page_leaves_other_errors_to_django():
    assert edges.page_answer(_request(), ValueError("x")) is None


@pytest.mark.django_db
def test_refused_puts_field_errors_on_the_form_and_lets_access_errors_through(users):
    form = EnterpriseForm(data={}, user=users["office"])
    form.is_valid()
    with edges.refused(form=form) as attempt:
        raise ValidationError({"name": ["企业名称不能为空"], "__all__": ["整体有误"]})
    assert not attempt.ok and "企业名称不能为空" in form.errors["name"]
    assert "整体有误" in form.non_field_errors()
    with edges.refused(form=form) as attempt:
        pass
    assert attempt.ok
    for passing in (PermissionDeniedError(), NotFoundError()):
        with pytest.raises(type(passing)), edges.refused(form=form):
            raise passing


def test_refused_turns_a_refusal_into_messages_for_the_next_page():
    request = _request()
    with edges.refused(request=request) as attempt:
        raise StaleEditError()
    assert isinstance(attempt.error, StaleEditError)
    assert [str(m) for m in get_messages(request)] == [StaleEditError.default_message]


def test_a_view_that_raises_a_domain_error_gets_the_page_answer_through_the_middleware(client_for):
    from jigai.core.middleware import DomainErrorMiddleware

    middleware = DomainErrorMiddleware(lambda request: HttpResponse())
    request = _request(path="/api/v1/x")
    assert middleware.process_exception(request, ConflictError("x")) is None  # the API answers its own
