"""Django responses for generated files: a Chinese file name survives in every browser."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpResponse

__all__ = [
    "CONTENT_TYPES",
    "content_disposition",
    "csv_response",
    "docx_response",
    "file_response",
    "xlsx_response",
]

CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".csv": "text/csv; charset=utf-8",
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


def _clean_filename(filename: str, suffix: str) -> str:
    name = _UNSAFE.sub("_", filename).strip(" .") or "export"
    if not name.lower().endswith(suffix):
        name += suffix
    return name


def content_disposition(filename: str) -> str:
    """``attachment; filename="…"; filename*=UTF-8''…``: the quoted name keeps ASCII only (old clients),
    the extended one the full UTF-8 name percent-encoded."""
    stem, dot, suffix = filename.rpartition(".")
    if not dot:
        stem, suffix = filename, ""
    ascii_stem = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9._-]", "_", stem)).strip("_") or "export"
    fallback = f"{ascii_stem}.{suffix}" if suffix else ascii_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(filename: str, data: bytes, suffix: str) -> HttpResponse:
    """An attachment download. ``Content-Disposition`` carries an ASCII ``filename`` fallback and the
    real name as ``filename*=UTF-8''…`` (RFC 6266 / RFC 5987), which browsers prefer."""
    name = _clean_filename(filename, suffix)
    response = HttpResponse(data, content_type=CONTENT_TYPES[suffix])
    response["Content-Disposition"] = content_disposition(name)
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(filename: str, data: bytes) -> HttpResponse:
    return file_response(filename, data, ".xlsx")


def docx_response(filename: str, data: bytes) -> HttpResponse:
    return file_response(filename, data, ".docx")


def csv_response(filename: str, data: bytes) -> HttpResponse:
    return file_response(filename, data, ".csv")
