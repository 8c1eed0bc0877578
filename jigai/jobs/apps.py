from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jigai.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self):
        from . import builtin  # noqa: F401  the backup job, registered beside the others' kinds
