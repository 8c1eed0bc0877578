import datetime as dt

import pytest
from django.utils import timezone

from conftest import ProjectFactory
from jigai.core.errors import ValidationError
from jigai.core.models import AuditEvent
from jigai.registry import services
from jigai.registry.models import ProjectStatus as S

ALL = [S.RESERVE, S.CONSTRUCTION, S.COMPLETED, S.ACCEPTED, S.TERMINATED]
ALLOWED = {
    (S.RESERVE, S.CONSTRUCTION),
    (S.RESERVE, S.TERMINATED),
    (S.CONSTRUCTION, S.COMPLETED),
    (S.CONSTRUCTION, S.TERMINATED),
    (S.COMPLETED, S.TERMINATED),
}


@pytest.mark.django_db
@pytest.mark.parametrize("src", ALL)
@pytest.mark.parametrize("dst", ALL)
def test_only_the_lifecycle_moves_are_allowed(users, src, dst):
    p = ProjectFactory(status=src, actual_start_date=dt.date(2018, 4, 1))
    call = lambda: services.project_transition(  # noqa: E731
        user=users["office"],
        project=p,
        to_status=dst,
        reason="测试",
        at=timezone.now(),
        effective_date=dt.date(2019, 5, 1),
    )
    if (src, dst) in ALLOWED:
        assert call().status == dst
    else:
        with pytest.raises(ValidationError) as exc:
            call()
        assert f"不能从“{S(src).label}”变更为“{S(dst).label}”" in str(exc.value)


@pytest.mark.django_db
def test_each_move_records_who_when_and_why(users):
    p = ProjectFactory(region=users["clerk"].region)
    at = timezone.now()
    services.project_transition(
        user=users["clerk"],
        project=p,
        to_status=S.CONSTRUCTION,
        reason="开工建设",
        at=at,
        effective_date=dt.date(2018, 5, 2),
    )
    t = p.transitions.get()
    assert (t.from_status, t.to_status, t.by, t.reason, t.at) == (
        S.RESERVE,
        S.CONSTRUCTION,
        users["clerk"],
        "开工建设",
        at,
    )
    p.refresh_from_db()
    assert p.actual_start_date == dt.date(2018, 5, 2)
    assert AuditEvent.objects.filter(event="transition", object_id=str(p.pk)).exists()


@pytest.mark.django_db
def test_a_move_without_a_reason_or_a_completion_date_is_refused(users):
    p = ProjectFactory(status=S.CONSTRUCTION, actual_start_date=dt.date(2018, 5, 1))
    with pytest.raises(ValidationError, match="原因"):
        services.project_transition(
            user=users["office"], project=p, to_status=S.TERMINATED, reason=" ", at=timezone.now()
        )
    with pytest.raises(ValidationError, match="实际竣工日期"):
        services.project_transition(
            user=users["office"], project=p, to_status=S.COMPLETED, reason="竣工", at=timezone.now()
        )
    with pytest.raises(ValidationError, match="不能早于实际开工日期"):
        services.project_transition(
            user=users["office"],
            project=p,
            to_status=S.COMPLETED,
            reason="竣工",
            at=timezone.now(),
            effective_date=dt.date(2018, 1, 1),
        )


@pytest.mark.django_db
def test_a_wrong_move_through_the_page_shows_the_message(client_for, users):
    p = ProjectFactory(region=users["clerk"].region)
    c = client_for("clerk")
    r = c.post(
        f"/projects/{p.pk}/transition/",
        {"to_status": S.ACCEPTED, "reason": "x", "version": p.version},
        follow=True,
    )
    assert "变更为" in r.content.decode() or "请从列表中选择" in r.content.decode()
    p.refresh_from_db()
    assert p.status == S.RESERVE
