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

import logging
import re
from urllib.parse import quote

from django.http import FileResponse

from jigai.core.errors import NotFoundError

from . import storage
from .models import Attachment

log = logging.getLogger(__name__)

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
    try:
        fh = storage.open_stored(attachment.stored_name)
    except FileNotFoundError as exc:
        # The record survived but its file did not (a database restored without the attachment store):
        # say so in Chinese and log it for the administrator, rather than answer a server error.
        log.error("attachment %s: stored file %s is missing", attachment.pk, attachment.stored_name)
        raise NotFoundError("附件文件已不在存储中，请联系系统管理员从备份恢复") from exc
    response = FileResponse(fh, content_type=attachment.media_type)
    response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition(attachment.download_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:
        response["Content-Security-Policy"] = INLINE_CSP
    else:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
