"""Demo background jobs (``jigai demo``): a few finished jobs, so the job list and a job's page have
content — read from the same form data a page posts and run inline through the same runner a worker
uses."""

from __future__ import annotations

from jigai.accounts.models import User

from . import kinds, services


def build(*, now, starts: list[tuple[str, str, dict]]) -> dict:
    """``starts``: (username, kind, the form data its page posts) of each job, in order."""
    made = 0
    for username, name, form in starts:
        user = User.objects.filter(username=username).first()
        kind = kinds.get(name)
        if user is None or kind is None or kind.from_form is None:
            continue
        params, summary = kind.from_form(form, user)
        services.job_start(user=user, kind=name, params=params, summary=summary, at=now, inline=True)
        made += 1
    return {"jobs": made}
