from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "jigai.assessment"
    label = "assessment"
    verbose_name = "考核督办"

    def ready(self) -> None:
        # The built-in accountability sources register themselves on import.
        from . import accountability, jobs  # noqa: F401

        jobs.register()  # the meeting pack as a background job (生成 → download)
