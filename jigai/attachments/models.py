"""Files attached to a record (an application, a champion declaration, …): stored outside the web root
under a random name with their SHA-256 and size (docs/security.md, 输入与文件)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jigai.core.audit import track


class Kind(models.TextChoices):
    INVOICE = "invoice", _("发票")
    CONTRACT = "contract", _("合同")
    COMPLETION_REPORT = "completion_report", _("竣工报告")
    CERTIFICATE = "certificate", _("证书")
    EQUIPMENT_LIST = "equipment_list", _("设备清单")
    LOAN_CONTRACT = "loan_contract", _("借款合同")
    INTEREST_VOUCHER = "interest_voucher", _("付息凭证")
    INSPECTION = "inspection", _("验收材料")
    NOTICE = "notice", _("公示材料")
    OTHER = "other", _("其他")


class FileType(models.TextChoices):
    """What the file's bytes are, decided from its content (never from its name)."""

    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"
    XLSX = "xlsx", "Excel (.xlsx)"
    DOCX = "docx", "Word (.docx)"


MEDIA_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SUFFIXES = {
    FileType.PDF: ".pdf",
    FileType.JPEG: ".jpg",
    FileType.PNG: ".png",
    FileType.XLSX: ".xlsx",
    FileType.DOCX: ".docx",
}
# PDF and images may be shown in the browser (?inline=1); a workbook or a document is always a download.
INLINE_TYPES = frozenset({FileType.PDF, FileType.JPEG, FileType.PNG})


class AttachmentQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)

    def of(self, owner):
        ct = ContentType.objects.get_for_model(type(owner), for_concrete_model=False)
        return self.filter(owner_type=ct, owner_id=owner.pk)


@track()
class Attachment(models.Model):
    owner_type = models.ForeignKey(ContentType, verbose_name=_("所属记录类型"), on_delete=models.PROTECT)
    owner_id = models.PositiveBigIntegerField(_("所属记录"))
    owner = GenericForeignKey("owner_type", "owner_id")
    kind = models.CharField(_("附件类别"), max_length=30, choices=Kind.choices)
    original_name = models.CharField(_("文件名"), max_length=200)
    stored_name = models.CharField(_("存储名"), max_length=64, unique=True, editable=False)
    file_type = models.CharField(_("文件类型"), max_length=10, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("删除人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    deleted_reason = models.CharField(_("删除原因"), max_length=500, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["owner_type", "owner_id", "kind"])]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_size_positive"),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | ~Q(deleted_reason=""),
                name="attachment_deleted_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[FileType(self.file_type)]

    @property
    def download_name(self) -> str:
        """The name offered to the browser: the uploaded name, with the suffix of what the file really is
        appended when the name says otherwise (a PDF uploaded as 发票.exe downloads as 发票.exe.pdf)."""
        suffix = SUFFIXES[FileType(self.file_type)]
        name = self.original_name
        lower = name.lower()
        if self.file_type == FileType.JPEG and lower.endswith(".jpeg"):
            return name
        return name if lower.endswith(suffix) else name + suffix

    @property
    def inline_allowed(self) -> bool:
        return self.file_type in INLINE_TYPES
