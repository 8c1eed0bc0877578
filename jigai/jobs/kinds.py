"""The kinds of background job, each registered by the app whose work it runs (in its AppConfig.ready).

jobs sits low in the layers (above accounts and core, below registry): it knows no business app. An app
hands it a :class:`Kind` — what the job is called, which operation starting it needs, how to read its
parameters from a page's form, and the function that does the work — as the import engine's tables
are registered. ``run(job, progress)`` does the work as ``job.user`` (with the same permission checks as
the page) and returns a :class:`FileResult` (a document to download) or a JSON-able dict; it reports how
far it got with ``progress(done, total, message)`` and raises :class:`JobError` with a Chinese reason when
it cannot finish.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Progress = Callable[[int, int, str], None]


class JobError(Exception):
    """A job that cannot finish, with the reason to show the user (in Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FileResult:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    operation: str  # the permission starting it needs (accounts.permissions.MATRIX)
    run: Callable[[Any, Progress], FileResult | dict]
    # A page's POST → the job's parameters and their summary (raise jigai.core.errors.ValidationError);
    # None: the kind is started by its app's own code only (the import's confirmation).
    from_form: Callable[[Mapping[str, str], Any], tuple[dict, str]] | None = None
    # Where the user goes back to (the page the job was started from), from the job's parameters.
    back_url: Callable[[dict], str] | None = None
    # Offered with a 开始 button on the job list (kinds without parameters: backup, reminders).
    on_list: bool = False


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _KINDS[kind.name] = kind


def get(name: str) -> Kind | None:
    return _KINDS.get(name)


def names() -> list[str]:
    return sorted(_KINDS)
