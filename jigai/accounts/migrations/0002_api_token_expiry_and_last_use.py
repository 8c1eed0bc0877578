import datetime as dt

from django.conf import settings
from django.db import migrations, models


def expire_existing_tokens(apps, schema_editor):
    """A token issued before expiry existed lasts JIGAI_API_TOKEN_DAYS from its issue, like a new one."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    days = dt.timedelta(days=settings.JIGAI_API_TOKEN_DAYS)
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("id", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + days)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="到期时间"),
        ),
        migrations.RunPython(expire_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="到期时间"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used_ip",
            field=models.CharField(blank=True, max_length=64, verbose_name="最近使用 IP"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="last_used_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最近使用时间"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="吊销时间"),
        ),
    ]
