"""Builders for the enterprise-service tests."""

from __future__ import annotations

import datetime as dt

from conftest import ProjectFactory, make_user
from jigai.accounts.models import Role
from jigai.core.models import Region
from jigai.dispatch.periods import BEIJING


def bj(y, m, d, h=10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=BEIJING)


AT = bj(2019, 1, 28)

RENEWAL = {
    "project_type": "equipment_renewal",
    "new_land_area_m2": "0",
    "advanced_mature_process": False,
    "changes_pollutant_discharge": False,
    "involves_major_hazard": False,
    "new_buildings": False,
}
NEW_BUILD = {
    **RENEWAL,
    "project_type": "new_build",
    "new_land_area_m2": "5000",
    "changes_pollutant_discharge": True,
}


def other_clerk(code="422802", name="clerk2"):
    return make_user(name, Role.CLERK, region=Region.objects.get(code=code), display_name="李经办")


def own_project(users, **kw):
    """A project of the enterprise user's own enterprise (恩施市, the clerk's county)."""
    return ProjectFactory(enterprise=users["_own_enterprise"], **kw)
