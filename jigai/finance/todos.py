"""To-do items of finance support (3.4), computed from the records' state (``jigai.core.todo``):

- ``finance.need.respond``: an open financing need waits on every bank that can lend (应贷尽贷); it leaves
  a bank's list when the need is met or withdrawn; overdue, it is not on the accountability list (a bank
  is not a department, docs/programme.md, reading 23);
- ``finance.claim.review``: a compensation claim waits on the programme office;
- ``finance.claim.pay``: an approved claim waits on the finance bureau's payout.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jigai.accounts.models import Role
from jigai.core.todo import Todo, provider

from . import access
from .models import ClaimStatus, CompensationClaim, FinancingNeed, NeedStatus


@provider
def needs_to_answer(user, today):
    if user is not None and user.role != Role.BANK:
        return
    if user is not None and access.bank_of(user) is None:
        return
    for n in (
        FinancingNeed.objects.filter(status=NeedStatus.OPEN, posted_on__lte=today)
        .select_related("project", "project__enterprise", "project__region")
        .order_by("posted_on", "id")
    ):
        yield Todo(
            key=f"finance.need.{n.pk}.respond",
            title=gettext("对接%(enterprise)s的融资需求（%(project)s）")
            % {"enterprise": n.project.enterprise.name, "project": n.project.name},
            url=reverse("finance:need", args=[n.pk]),
            step="finance.need.respond",
            since=n.posted_on,
            actor=gettext("各合作银行"),
            unit_code=n.project.region.code,
            accountable=False,  # banks are not departments (4.3; docs/programme.md, reading 23)
        )


@provider
def claims_to_decide(user, today):
    wanted = []
    if user is None or user.role == Role.OFFICE:
        wanted.append(
            (ClaimStatus.SUBMITTED, "finance.claim.review", _("审核"), _("州经信委（领导小组办公室）"))
        )
    if user is None or user.role == Role.FINANCE:
        wanted.append((ClaimStatus.APPROVED, "finance.claim.pay", _("支付"), _("州财政局")))
    for status, step, verb, actor in wanted:
        for c in (
            CompensationClaim.objects.filter(status=status)
            .select_related("loan__bank", "loan__project")
            .order_by("filed_at", "id")
        ):
            since = (c.reviewed_at or c.filed_at) if status == ClaimStatus.APPROVED else c.filed_at
            yield Todo(
                key=f"finance.claim.{c.pk}.{step.rsplit('.', 1)[1]}",
                title=gettext("%(step)s%(bank)s的风险补偿申请（%(project)s）")
                % {"step": verb, "bank": c.loan.bank, "project": c.loan.project.name},
                url=reverse("finance:fund"),
                step=step,
                since=timezone.localtime(since).date(),
                actor=str(actor),
            )
