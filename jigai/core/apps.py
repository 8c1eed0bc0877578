from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jigai.core"
    label = "core"
    verbose_name = "基础数据与审计"

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the audit signal handlers)
