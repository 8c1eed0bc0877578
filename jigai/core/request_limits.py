"""A request body larger than the platform accepts is refused before it is read (issue 11, point 4).

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not count the files of a multipart body, and
``FILE_UPLOAD_MAX_MEMORY_SIZE`` only decides between memory and a temporary file: a 300 MB upload
was streamed to disk in full and only then refused by the import's own size check. This middleware
reads the declared ``Content-Length`` first and answers 413 with a Chinese message without touching
the body. A body sent without a length (chunked) is not read by Django at all (its stream is limited
to the declared length, 0), so it cannot get round the check.

The limit is ``JIGAI_REQUEST_MAX_BYTES``: by default the upload limit (``JIGAI_UPLOAD_MAX_BYTES``)
plus 1 MB for the multipart envelope and the form's other fields. See docs/operator-guide.md,
“上传与请求大小限制”.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

MB = 1024 * 1024


def request_limit() -> int:
    limit = getattr(settings, "JIGAI_REQUEST_MAX_BYTES", None)
    if limit:
        return int(limit)
    return int(getattr(settings, "JIGAI_UPLOAD_MAX_BYTES", 20 * MB)) + MB


def _human(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def too_large_message(size: int, limit: int) -> str:
    upload = int(getattr(settings, "JIGAI_UPLOAD_MAX_BYTES", 20 * MB))
    return (
        f"请求过大（{_human(size)}），超过平台上限 {_human(limit)}，已拒绝（未读取内容）。"
        f"上传的文件不能超过 {_human(upload)}，请拆分后分批导入。"
    )


class RequestBodyLimitMiddleware:
    """413 for a declared body over the limit, before anything reads ``request.body`` or ``POST``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0  # Django reads nothing from a body whose length it cannot parse
        limit = request_limit()
        if size > limit:
            return too_large_response(request, size, limit)
        return self.get_response(request)


def too_large_response(request, size: int, limit: int) -> HttpResponse:
    message = too_large_message(size, limit)
    if request.path.startswith("/api/"):
        response = HttpResponse(
            json.dumps({"detail": message, "errors": []}, ensure_ascii=False),
            status=413,
            content_type="application/json; charset=utf-8",
        )
    else:
        html = render_to_string("413.html", {"message": message, "limit": _human(limit)})
        response = HttpResponse(html, status=413, content_type="text/html; charset=utf-8")
    return response
