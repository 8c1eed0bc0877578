"""Where attachment files live: ``JIGAI_ATTACHMENT_ROOT``, outside the web root (nothing serves that
directory; a file leaves it only through the download view, after the owner's rules allowed it).

A file is stored under a random name (64 hex characters from ``secrets``), in a sub-directory named by
the first two, created owner-only (0700 directories, 0600 files); the name a user gave it is kept only
in the database, for display.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from django.conf import settings

MB = 1024 * 1024


def root() -> Path:
    return Path(settings.JIGAI_ATTACHMENT_ROOT)


def max_bytes() -> int:
    return int(getattr(settings, "JIGAI_ATTACHMENT_MAX_BYTES", 20 * MB))


def path_for(stored_name: str) -> Path:
    if len(stored_name) != 64 or any(c not in "0123456789abcdef" for c in stored_name):
        raise ValueError("not a stored attachment name")
    return root() / stored_name[:2] / stored_name


def new_name() -> str:
    return secrets.token_hex(32)


class TooLarge(Exception):
    pass


def write(chunks, *, limit: int) -> tuple[str, int, str]:
    """Write the chunks to a new file under a random name; (stored name, size, SHA-256). Stops and removes
    the file as soon as it grows past ``limit`` (a client may lie about the size it declared)."""
    name = new_name()
    path = path_for(name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise TooLarge
                digest.update(chunk)
                fh.write(chunk)
    except BaseException:
        remove(name)
        raise
    return name, size, digest.hexdigest()


def open_stored(stored_name: str):
    return open(path_for(stored_name), "rb")  # the response closes it


def remove(stored_name: str) -> None:
    try:
        path_for(stored_name).unlink()
    except FileNotFoundError:
        pass


def sha256_of(stored_name: str) -> str:
    digest = hashlib.sha256()
    with open_stored(stored_name) as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()
