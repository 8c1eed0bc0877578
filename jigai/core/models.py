from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A reporting unit (县市/州高新区) or the prefecture itself.

    A reporting unit's code is its GB/T 2260 division code, except the high-tech zone, which has none
    of its own: its code is GXQ and its official division code 422801 (docs/programme.md, "The nine reporting units").
    """

    class Level(models.TextChoices):
        PREFECTURE = "prefecture", _("州")
        UNIT = "unit", _("县市/园区")

    code = models.CharField(_("代码"), max_length=8, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    short_name = models.CharField(_("简称"), max_length=20, blank=True)
    division_code = models.CharField(_("行政区划代码"), max_length=6)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("报送单位")
        verbose_name_plural = _("报送单位")

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    """A GB/T 4754-2017 division (2 digits). Section C, 13–43, is manufacturing (3.2)."""

    code = models.CharField(_("行业代码"), max_length=2, unique=True)
    name = models.CharField(_("行业名称"), max_length=60)
    section = models.CharField(_("门类"), max_length=1)

    class Meta:
        verbose_name = _("国民经济行业（大类）")
        verbose_name_plural = _("国民经济行业（大类）")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_manufacturing(self) -> bool:
        return self.section == "C"


class ChampionIndustry(models.Model):
    """The industries named in 3.1.2 (硒食品加工、生物医药、清洁能源、新型建材、电子信息、智能制造等)."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("隐形冠军重点行业")
        verbose_name_plural = _("隐形冠军重点行业")

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One line of the append-only, hash-chained audit log (docs/security.md, 安全审计)."""

    seq = models.BigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"))
    username = models.CharField(_("用户"), max_length=150, blank=True)
    user_id_ref = models.BigIntegerField(_("用户ID"), null=True, blank=True)
    role = models.CharField(_("角色"), max_length=32, blank=True)
    ip = models.CharField("IP", max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=16)  # page, api, admin, import, command, system
    source_detail = models.CharField(_("来源说明"), max_length=255, blank=True)
    event = models.CharField(_("事件"), max_length=40)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, default="success")
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    prev_hash = models.CharField(_("前序哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录不能删除")


class AuditHead(models.Model):
    """The chain's head: one row, locked while a record is appended so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    # After a purge (jigai audit purge) the chain starts after record `purged_seq`, whose hash was
    # `purged_hash`; the purge itself is a chained record that states both, so the anchor cannot be
    # moved without breaking the chain.
    purged_seq = models.BigIntegerField(default=0)
    purged_hash = models.CharField(max_length=64, default="0" * 64)
    # HMAC-SM3 of the four fields above (audit.head_mac): a head moved back over deleted records, or
    # written anew, cannot be signed without JIGAI_AUDIT_KEY. Empty only on a fresh, empty chain.
    mac = models.CharField(max_length=64, blank=True, default="")
    # When the last signed checkpoint was taken (audit_checkpoint): the first write 24 h later takes the
    # next one, so checkpoints kept outside the database are at most a day apart.
    checkpoint_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")]

    def __str__(self) -> str:
        return f"head #{self.seq}"


class DocumentNumber(models.Model):
    """One line of the document-number register (发文登记): a 发文字号 handed out once.

    Every official document the platform issues takes its number here, whatever its kind, so a bulletin
    and an interview notice of the same issuer and year never share one (docs/documents.md, 发文字号).
    Written only by :func:`jigai.core.docnumbers.next_document_number`; never changed or deleted.
    """

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", _("月通报")
        INTERVIEW_NOTICE = "interview_notice", _("约谈通知")
        MEETING_PACK = "meeting_pack", _("联席会议材料")
        ACCEPTANCE_OPINION = "acceptance_opinion", _("验收意见")
        FILING_RECEIPT = "filing_receipt", _("备案回执")
        OTHER = "other", _("其他公文")

    issuer = models.CharField(_("发文机关代字"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年份"))
    serial = models.PositiveIntegerField(_("顺序号"))
    kind = models.CharField(_("文种"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    issue_date = models.DateField(_("成文日期"), null=True, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    at = models.DateTimeField(_("登记时间"))
    by_name = models.CharField(_("登记人"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("发文登记")
        verbose_name_plural = _("发文登记")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "serial"], name="document_number_once"),
        ]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return f"{self.issuer}〔{self.year}〕{self.serial}号"


class DocumentNumberCounter(models.Model):
    """The last serial handed out per issuer and year; its row is locked while the next one is taken."""

    issuer = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="document_counter_unique")]

    def __str__(self) -> str:
        return f"{self.issuer}〔{self.year}〕{self.last}"
