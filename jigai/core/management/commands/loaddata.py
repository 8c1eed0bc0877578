"""``jigai loaddata`` refuses the platform's own tables (issue 11 point 10).

Django's loaddata saves fixture rows "raw": no signal handler sees them, so a fixture could change
projects, reports, users or the audit log itself with no record and none of the domain's checks. The
platform's data comes in through its services (pages, API, ``jigai import``), which validate and audit
every row; loaddata stays available for Django's own tables (such as auth groups), and a fixture that
names any ``jigai`` model is refused before anything is written.
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.core.management.commands import loaddata

REFUSED = "loaddata 不能写入技改通的业务数据（{model}）：这样写入不经过校验、也不记入审计日志。请通过页面、接口或 jigai import 导入。"


def is_platform_model(model) -> bool:
    return model._meta.app_config.name.startswith("jigai.")


class Command(loaddata.Command):
    help = "加载 Django 自身表的 fixture；技改通的业务数据须通过页面、接口或 jigai import 写入"

    def save_obj(self, obj):
        model = type(obj.object)
        if is_platform_model(model):
            # The whole load runs in one transaction: raising here rolls back what came before.
            raise CommandError(REFUSED.format(model=model._meta.label), returncode=2)
        return super().save_obj(obj)
