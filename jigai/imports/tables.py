"""Which tables can be imported, by name (``jigai import TABLE FILE``).

An app registers a factory in its ``AppConfig.ready()``::

    from jigai.imports import tables
    tables.register("projects", project_import_spec)
"""

from __future__ import annotations

from collections.abc import Callable

from .spec import TableSpec

_FACTORIES: dict[str, Callable[[], TableSpec]] = {}


def register(name: str, factory: Callable[[], TableSpec]) -> None:
    existing = _FACTORIES.get(name)
    if existing is not None and existing is not factory:
        raise ValueError(f"import table {name!r} is already registered")
    _FACTORIES[name] = factory


def unregister(name: str) -> None:
    _FACTORIES.pop(name, None)


def names() -> list[str]:
    return sorted(_FACTORIES)


def get(name: str) -> TableSpec:
    try:
        factory = _FACTORIES[name]
    except KeyError:
        known = "、".join(names()) or "（无）"
        raise KeyError(f"没有名为“{name}”的导入表。可导入的表：{known}") from None
    return factory()
