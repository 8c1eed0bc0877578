"""Filing receipts take their number from the document-number register (core.DocumentNumber): the
receipts issued before are entered in it, so the register never hands one of their numbers out again."""

from django.db import migrations

RECEIPT_PREFIX = "恩施州技改备"  # jigai/support/documents.py


def register_existing_receipts(apps, schema_editor):
    Filing = apps.get_model("support", "Filing")
    DocumentNumber = apps.get_model("core", "DocumentNumber")
    Counter = apps.get_model("core", "DocumentNumberCounter")
    tops: dict[int, int] = {}
    for f in (
        Filing.objects.filter(receipt_serial__isnull=False)
        .select_related("project", "filed_by")
        .order_by("receipt_year", "receipt_serial")
    ):
        tops[f.receipt_year] = max(tops.get(f.receipt_year, 0), f.receipt_serial)
        if DocumentNumber.objects.filter(
            issuer=RECEIPT_PREFIX, year=f.receipt_year, serial=f.receipt_serial
        ).exists():
            continue
        user = f.filed_by
        DocumentNumber.objects.create(
            issuer=RECEIPT_PREFIX, year=f.receipt_year, serial=f.receipt_serial, kind="filing_receipt",
            title=f"关于{f.project.name}网上备案的回执"[:200], issue_date=f.filing_date, at=f.filed_at,
            by_name=(getattr(user, "display_name", "") or user.username),
            object_type="registry.project", object_id=str(f.project_id),
        )  # fmt: skip
    for year, top in tops.items():
        counter, _ = Counter.objects.get_or_create(issuer=RECEIPT_PREFIX, year=year, defaults={"last": 0})
        if counter.last < top:
            counter.last = top
            counter.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0001_services"),
        ("core", "0007_document_number_filing_receipt"),
    ]

    operations = [migrations.RunPython(register_existing_receipts, migrations.RunPython.noop)]
