"""The REST API, /api/v1, assembled from each app's routes. Deny by default: every route needs auth."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jigai.accounts.permissions import PermissionDeniedError

from .auth import ActiveSessionAuth, TokenAuth

api = NinjaAPI(
    title="技改通 API",
    version="1",
    description="恩施州传统产业技术改造平台接口。金额单位为元（字符串，两位小数）；认证方式：会话或 Bearer 令牌。",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    # Deny by default: the OpenAPI document and its browser need a login too.
    docs_decorator=login_required,
)


def _err(request, status: int, detail: str, errors=None):
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


FIELD_MESSAGES = {
    "missing": "必填字段",
    "decimal_parsing": "不是有效的数字",
    "int_parsing": "不是有效的整数",
    "date_from_datetime_parsing": "不是有效的日期（YYYY-MM-DD）",
    "date_parsing": "不是有效的日期（YYYY-MM-DD）",
    "bool_parsing": "不是有效的布尔值",
    "string_too_long": "文字过长",
    "extra_forbidden": "未知字段",
    "greater_than_equal": "不能小于下限",
    "decimal_max_places": "小数位数过多（最多精确到分）",
}


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = []
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", []) if p not in ("body", "payload", "query", "path")]
        errors.append(
            {
                "field": ".".join(loc),
                "message": FIELD_MESSAGES.get(e.get("type"), e.get("msg", "")),
                "type": e.get("type"),
            }
        )
    return _err(request, 422, "请求数据有误", errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _err(request, 401, "未登录或令牌无效")


@api.exception_handler(PermissionDeniedError)
def on_permission_error(request, exc: PermissionDeniedError):
    from jigai.core import audit

    audit.record("access_denied", outcome="failure", message=request.path)
    return _err(request, 403, exc.message)


@api.exception_handler(PermissionDenied)
def on_django_permission_error(request, exc):
    return _err(request, 403, "您没有执行此操作的权限")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _err(request, 404, "记录不存在或无权访问")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _err(request, exc.status_code, str(exc))


from jigai.assessment.api import router as assessment_router  # noqa: E402
from jigai.dispatch.api import router as dispatch_router  # noqa: E402
from jigai.incentives.api import router as policy_router  # noqa: E402
from jigai.registry.api import router as registry_router  # noqa: E402

api.add_router("/", registry_router)
api.add_router("/policy", policy_router)
api.add_router("/dispatch", dispatch_router)
api.add_router("/assessment", assessment_router)
