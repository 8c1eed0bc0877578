from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class AttachmentsConfig(AppConfig):
    name = "jigai.attachments"
    label = "attachments"
    verbose_name = "附件"

    def ready(self):
        checks.register(check_root_outside_web_root, checks.Tags.security)


def check_root_outside_web_root(app_configs=None, **kwargs):
    """The attachment directory must not be one the web server or the static files serve."""
    root = Path(settings.JIGAI_ATTACHMENT_ROOT).resolve()
    served = [Path(p) for p in (getattr(settings, "STATICFILES_DIRS", None) or [])]
    if getattr(settings, "STATIC_ROOT", None):
        served.append(Path(settings.STATIC_ROOT))
    if getattr(settings, "MEDIA_ROOT", None):
        served.append(Path(settings.MEDIA_ROOT))
    problems = []
    for web in served:
        web = web.resolve()
        if root == web or web in root.parents or root in web.parents:
            problems.append(
                checks.Error(
                    f"JIGAI_ATTACHMENT_ROOT（{root}）与对外提供的静态目录 {web} 重叠：附件必须存放在网站根目录之外",
                    id="attachments.E001",
                )
            )
    return problems
