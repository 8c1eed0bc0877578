from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "jigai.assessment"
    label = "assessment"
    verbose_name = "考核督办"
