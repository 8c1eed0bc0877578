from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jigai.registry"
    label = "registry"
    verbose_name = "项目库"

    def ready(self) -> None:
        from . import imports

        imports.register()  # "jigai import enterprises|projects FILE", the /imports/ pages
