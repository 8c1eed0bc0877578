"""The REST API, /api/v1, assembled from each app's routes. Deny by default: every route needs auth."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signals
from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from jigai.accounts.middleware import policy_refusal
from jigai.core.database_busy import busy_response, is_database_busy
from jigai.core.edges import record_denial
from jigai.core.errors import DomainError

from .auth import AccountPolicyError, ActiveSessionAuth, TokenAuth

logger = logging.getLogger("django.request")

ERROR_SCHEMA = {
    "title": "ApiError",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "中文说明"},
        "errors": {"type": "array", "items": {"type": "object"}, "description": "逐字段的错误"},
    },
    "required": ["detail"],
}
# Answers any operation can give, from the handlers below rather than from the operation itself.
COMMON_ERRORS = {
    401: "未登录或令牌无效",
    403: "无权执行此操作",
    422: "请求数据有误（字段类型、取值范围或格式）",
}
PATH_ERRORS = {404: "记录不存在或无权访问"}


NUL_MESSAGE = "不能包含空字符（U+0000）"


class NulCharacterError(ValueError):
    """A NUL character in a request's text: PostgreSQL cannot store or even compare it (SQLite can)."""

    def __init__(self, field: str):
        super().__init__(NUL_MESSAGE)
        self.field = field


def _refuse_nul(value, path: tuple = ()) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise NulCharacterError(".".join(map(str, path)))
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, (*path, key))
            _refuse_nul(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, (*path, index))


class RefuseNulParser(Parser):
    """Every text in a body or a query is checked once, after auth and before any operation runs, so that
    no NUL reaches a query, a row or the audit log and both databases give the same clear 422."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if b"\\u0000" in request.body:  # JSON can only carry a NUL escaped
            _refuse_nul(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _refuse_nul(result)
        return result


class JigaiAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """Document the error answers every operation shares (auth, permission, validation; a 404 where the
        path names a record), so the document promises what the API does and a client can rely on it."""
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                errors = {**COMMON_ERRORS, **(PATH_ERRORS if "{" in path else {})}
                for status, description in errors.items():
                    operation["responses"].setdefault(
                        status, {"description": description, "content": content}
                    )
        return schema


api = JigaiAPI(
    title="技改通 API",
    version="1",
    description="恩施州传统产业技术改造平台接口。金额单位为元（字符串，两位小数）；认证方式：会话或 Bearer 令牌。",
    auth=[TokenAuth(), ActiveSessionAuth()],
    parser=RefuseNulParser(),
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
    "string_too_long": "文字过长（最多 {max_length} 个字）",
    "extra_forbidden": "未知字段",
    "greater_than_equal": "不能小于 {ge}",
    "decimal_max_places": "小数位数过多（最多精确到分）",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "greater_than": "应大于 {gt}",
    "string_too_short": "文字过短（至少 {min_length} 个字）",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "decimal_type": "应为数字",
    "finite_number": "应为有限的数字",
    "decimal_max_digits": "数字位数过多（最多 {max_digits} 位）",
    "decimal_whole_digits": "整数部分位数过多（最多 {whole_digits} 位）",
    "bool_type": "应为布尔值",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_attributes_type": "应为对象",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "string_pattern_mismatch": "格式不正确",
}
# Errors ninja itself raises, in English, before an operation runs: (status, Chinese message). A body that
# is not JSON is a 422 like any other unreadable input (the documented answer for bad request data).
NINJA_ERRORS = {
    "Cannot parse request body": (422, "请求体不是有效的 JSON"),
    "CSRF check Failed": (403, "CSRF 校验失败，请刷新页面后重试"),
}


def _field_message(error: dict) -> str:
    # A validator of ours raises ValueError with a Chinese message; pydantic's own messages are English.
    if error.get("type") == "value_error" and error.get("ctx", {}).get("error"):
        return str(error["ctx"]["error"])
    message = FIELD_MESSAGES.get(error.get("type"), "取值无效")
    try:
        return message.format_map(error.get("ctx") or {})
    except (KeyError, IndexError, ValueError):
        return "取值无效"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = []
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", []) if p not in ("body", "payload", "query", "path")]
        errors.append(
            {
                "field": ".".join(loc),
                "message": _field_message(e),
                "type": e.get("type"),
            }
        )
    return _err(request, 422, "请求数据有误", errors)


@api.exception_handler(NulCharacterError)
def on_nul_character(request, exc: NulCharacterError):
    return _err(
        request, 422, "请求数据有误", [{"field": exc.field, "message": NUL_MESSAGE, "type": "nul_character"}]
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _err(request, 401, "未登录或令牌无效")


@api.exception_handler(AccountPolicyError)
def on_account_policy(request, exc: AccountPolicyError):
    # The same 403 the session policy middleware gives a session's API request (jigai/accounts/middleware.py).
    return policy_refusal(exc.block)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    """Every domain error, once (jigai/core/errors.py): its status, its Chinese message, its fields."""
    record_denial(request, exc)
    # A refusal of access says no more than its message (which fields exist is not the caller's business).
    return _err(request, exc.status, str(exc), exc.field_errors() if exc.status not in (403, 404) else [])


@api.exception_handler(PermissionDenied)
def on_django_permission_error(request, exc):
    record_denial(request, exc)
    return _err(request, 403, "您没有执行此操作的权限")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _err(request, 404, "记录不存在或无权访问")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, NulCharacterError):  # ninja wraps whatever the body parser raises
        return on_nul_character(request, exc.__cause__)
    status, detail = NINJA_ERRORS.get(str(exc), (exc.status_code, str(exc)))
    return _err(request, status, detail)


@api.exception_handler(Exception)
def on_server_error(request, exc: Exception):
    """An unforeseen failure is a JSON 500 like every other answer of the API (issue 11 point 9), with a
    generic Chinese detail; what went wrong goes to the server's log, not to the client."""
    if is_database_busy(exc):  # another writer holds the lock: a 503 to retry, not a failure (issue 11, 14)
        logger.warning("database busy on %s %s: %s", request.method, request.path, exc)
        return busy_response(request)
    if settings.DEBUG:
        raise exc
    signals.got_request_exception.send(sender=None, request=request)  # as Django does for a page's 500
    logger.error("Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500})
    return _err(request, 500, "服务器内部错误，请稍后重试；如仍有问题请联系系统管理员")


from jigai.assessment.api import router as assessment_router  # noqa: E402
from jigai.attachments.api import router as attachments_router  # noqa: E402
from jigai.champions.api import router as champions_router  # noqa: E402
from jigai.dispatch.api import router as dispatch_router  # noqa: E402
from jigai.finance.api import router as finance_router  # noqa: E402
from jigai.funds.api import router as funds_router  # noqa: E402
from jigai.home.api import router as home_router  # noqa: E402
from jigai.incentives.acceptance_api import router as acceptance_router  # noqa: E402
from jigai.incentives.api import router as policy_router  # noqa: E402
from jigai.incentives.application_api import router as application_router  # noqa: E402
from jigai.jobs.api import router as jobs_router  # noqa: E402
from jigai.notices.api import router as notices_router  # noqa: E402
from jigai.registry.api import router as registry_router  # noqa: E402
from jigai.support.api import router as support_router  # noqa: E402

api.add_router("/", registry_router)
api.add_router("/policy", policy_router)
api.add_router("/dispatch", dispatch_router)
api.add_router("/assessment", assessment_router)
api.add_router("/", acceptance_router)
api.add_router("/", application_router)
api.add_router("/", attachments_router)
api.add_router("/funds", funds_router)
api.add_router("/home", home_router)
api.add_router("/finance", finance_router)
api.add_router("/support", support_router)
api.add_router("/", notices_router)
api.add_router("/", champions_router)
api.add_router("/", jobs_router)

# Last: a URL under /api/v1/ that no operation matches (a path parameter of the wrong type, say) is a JSON
# 404 like any other, and still needs a login first (deny by default).
fallback_router = Router()


@fallback_router.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def not_found(request, rest: str):
    raise Http404


api.add_router("/", fallback_router)
