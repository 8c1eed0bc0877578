from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "jigai.home"
    label = "home"
    verbose_name = "首页、待办与提醒"

    def ready(self) -> None:
        from . import jobs

        jobs.register()  # `jigai remind` as a background job, started from the job list
