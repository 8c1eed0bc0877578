from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jigai.registry"
    label = "registry"
    verbose_name = "项目库"

    def ready(self) -> None:
        from . import import_jobs, imports

        imports.register()  # "jigai import enterprises|projects FILE", the /imports/ pages
        import_jobs.register()  # a large import's confirmation runs as a background job
