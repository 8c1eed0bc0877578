from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "jigai.dispatch"
    label = "dispatch"
    verbose_name = "月调度与月通报"

    def ready(self) -> None:
        # The monthly tables join the shared import path: `jigai import progress|statistics FILE`
        # and the /imports/ upload–preview–confirm pages.
        from jigai.imports import tables

        from .imports import progress_spec, statistics_spec

        tables.register("progress", progress_spec)
        tables.register("statistics", statistics_spec)

        from . import jobs

        jobs.register()  # the bulletin's Word document as a background job (生成 → download)

        # The programme's figures this app reads (4.2 deadline, 2.1 targets, docs/programme.md, reading 10's gap): their
        # overrides must parse, and a setting that used to hold one must not be silently ignored.
        from django.core import checks

        from jigai.core import programme

        checks.register(programme.check_settings)
