import hmac

from django.conf import settings
from django.db import migrations, models


def sign_existing_head(apps, schema_editor):
    # The same signature as jigai.core.audit.head_mac, written out here so this migration does not change
    # when the application code does. A head that exists before this migration is taken as it stands:
    # run `jigai audit verify` before upgrading (docs/operator-guide.md).
    AuditHead = apps.get_model("core", "AuditHead")
    key = (getattr(settings, "JIGAI_AUDIT_KEY", "") or settings.SECRET_KEY).encode("utf-8")
    for head in AuditHead.objects.all():
        body = f"jigai-audit-head|{head.seq}|{head.hash}|{head.purged_seq}|{head.purged_hash}"
        head.mac = hmac.new(key, body.encode("utf-8"), digestmod="sm3").hexdigest()
        head.save(update_fields=["mac"])


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_region_quota_in_programme_parameters'),
    ]

    operations = [
        migrations.AddField(
            model_name='audithead',
            name='mac',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AddField(
            model_name='audithead',
            name='checkpoint_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(sign_existing_head, migrations.RunPython.noop),
    ]
