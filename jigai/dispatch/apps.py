from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "jigai.dispatch"
    label = "dispatch"
    verbose_name = "月调度与月通报"
