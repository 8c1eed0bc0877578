from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jigai.core"
    label = "core"
    verbose_name = "基础数据与审计"

    def ready(self) -> None:
        from django.urls import register_converter

        from . import audit
        from .params import IdConverter

        # <id:pk> in every app's URLconf: a bounded id, so an out-of-range number is a 404, never an
        # overflow (issue 11 point 9). Registered here, before any URLconf module is imported.
        register_converter(IdConverter, "id")
        from .models import ChampionIndustry, Industry, Region

        # Reference data is business data too: a reporting unit or an industry, changed by the system
        # administrator in the admin, feeds the targets and the bulletin (issue 11 point 10). The
        # models live beside the audit log's own, so they are tracked here rather than decorated.
        for model in (Region, Industry, ChampionIndustry):
            audit.track()(model)
