"""Issue 11 point 10: reference data changed in the admin is recorded (the units' 2.1.b quotas are
dated programme parameters now, jigai/policy/parameters/2.1.b); loaddata cannot write the platform's tables
behind the audit log."""

import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict

from jigai.core.models import AuditEvent, Region

pytestmark = pytest.mark.django_db


def test_a_sysadmin_changing_a_reporting_unit_is_recorded_with_before_and_after(client_for):
    region = Region.objects.get(code="422802")
    data = {k: v for k, v in model_to_dict(region).items() if k != "id"}
    data["sort_order"] = region.sort_order + 20
    r = client_for("sysadmin").post(f"/admin/core/region/{region.pk}/change/", data)
    assert r.status_code == 302
    event = AuditEvent.objects.filter(object_type="core.region", object_id=str(region.pk)).latest("seq")
    assert (event.event, event.username, event.source) == ("update", "sysadmin", "admin")
    assert (event.before, event.after) == (
        {"sort_order": region.sort_order},
        {"sort_order": region.sort_order + 20},
    )


def test_loaddata_refuses_a_fixture_with_platform_rows_and_writes_none_of_it(users, tmp_path):
    fixture = tmp_path / "mixed.json"
    region = Region.objects.get(code="422802")
    fields = {k: v for k, v in model_to_dict(region).items() if k != "id"}
    fixture.write_text(json.dumps([
        {"model": "auth.group", "pk": 901, "fields": {"name": "先写入的组", "permissions": []}},
        {"model": "core.region", "pk": region.pk, "fields": {**fields, "name": "篡改的单位"}},
    ]), encoding="utf-8")  # fmt: skip
    with pytest.raises(
        CommandError, match=re.escape("loaddata 不能写入技改通的业务数据（core.Region）")
    ) as exc:
        call_command("loaddata", str(fixture), stdout=io.StringIO())
    assert exc.value.returncode == 2
    assert Region.objects.get(pk=region.pk).name == region.name
    assert not Group.objects.filter(pk=901).exists()  # one transaction: the rows before it are undone too


def test_loaddata_still_loads_djangos_own_tables(tmp_path):
    fixture = tmp_path / "groups.json"
    fixture.write_text(
        json.dumps([{"model": "auth.group", "pk": 902, "fields": {"name": "只读组", "permissions": []}}])
    )
    call_command("loaddata", str(fixture), stdout=io.StringIO())
    assert Group.objects.get(pk=902).name == "只读组"
