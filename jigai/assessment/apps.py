from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "jigai.assessment"
    label = "assessment"
    verbose_name = "考核督办"

    def ready(self) -> None:
        # The built-in accountability sources register themselves on import.
        from . import accountability  # noqa: F401
