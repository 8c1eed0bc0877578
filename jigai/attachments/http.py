"""The download answer: exact type, a safe Content-Disposition, nosniff, no caching.

``Content-Disposition`` carries an ASCII ``filename="…"`` fallback (letters, digits, ``._-`` only: no
quote, backslash, semicolon or line break can reach the header) and the real name as
``filename*=UTF-8''…`` (RFC 5987 / RFC 6266), percent-encoded, which browsers prefer. The type is the one
the content was recognised as, never the uploaded name's, and ``X-Content-Type-Options: nosniff`` keeps
the browser from guessing another. A PDF or an image is shown in the browser only when asked
(``?inline=1``) and then under a Content-Security-Policy that runs no script; a workbook or a document is
always a download.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import FileResponse

from . import storage
from .models import Attachment

INLINE_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'"
)


def content_disposition(filename: str, *, inline: bool = False) -> str:
    stem, dot, suffix = filename.rpartition(".")
    if not dot:
        stem, suffix = filename, ""
    ascii_stem = re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9._-]", "_", stem)).strip("_.") or "attachment"
    ascii_suffix = re.sub(r"[^A-Za-z0-9]", "", suffix)
    fallback = f"{ascii_stem}.{ascii_suffix}" if ascii_suffix else ascii_stem
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_response(attachment: Attachment, *, inline: bool = False) -> FileResponse:
    inline = inline and attachment.inline_allowed
    response = FileResponse(storage.open_stored(attachment.stored_name), content_type=attachment.media_type)
    response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition(attachment.download_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:
        response["Content-Security-Policy"] = INLINE_CSP
    else:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
