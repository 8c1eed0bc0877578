from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jigai.registry"
    label = "registry"
    verbose_name = "项目库"
