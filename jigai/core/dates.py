"""The platform's calendar day of a moment: the date in Beijing (settings.TIME_ZONE), never UTC's.

``timezone.now().date()`` or ``record.created_at.date()`` is the date in UTC, which is the previous day
in Beijing from 00:00 to 08:00 (16:00–24:00 UTC): a payment made, a notice opened or an objection received
then would be dated a day early, and a date the user typed for "today" would be refused as in the future.
Every day of a moment goes through ``local_date``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def local_date(moment: dt.datetime) -> dt.date:
    """The day of an aware moment in the current time zone (Asia/Shanghai); a naive one is taken as
    already local."""
    if timezone.is_naive(moment):
        return moment.date()
    return timezone.localdate(moment)
