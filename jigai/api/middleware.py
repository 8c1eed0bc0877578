"""Every answer under /api/v1/ is JSON with a Chinese ``detail`` (jigai/api/api.py): also the two that
come from outside the API's own handlers — django-ninja's plain-text 405 for a method a path does not
take, and Django's HTML 404 for the API's root."""

from __future__ import annotations

import json

from django.http import HttpResponse

API_PREFIX = "/api/v1/"
METHOD_NAMES = {"GET": "读取", "POST": "新建", "PUT": "写入", "PATCH": "修改", "DELETE": "删除"}


class ApiErrorShapeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code not in (404, 405):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 405:
            given = {m.strip() for m in response.get("Allow", "").split(",") if m.strip()}
            order = list(METHOD_NAMES)  # django-ninja lists them in set order; say them in a fixed one
            allowed = sorted(given, key=lambda m: (order.index(m) if m in order else len(order), m))
            response["Allow"] = ", ".join(allowed)
            names = "、".join(f"{m}（{METHOD_NAMES.get(m, m)}）" for m in allowed) or "无"
            detail = f"此地址不支持 {request.method} 请求，可用：{names}"
        else:
            detail = "接口不存在：请对照接口文档 /api/v1/docs 检查地址"
        shaped = HttpResponse(
            json.dumps({"detail": detail, "errors": []}, ensure_ascii=False),
            status=response.status_code,
            content_type="application/json; charset=utf-8",
        )
        if response.has_header("Allow"):
            shaped["Allow"] = response["Allow"]
        return shaped
