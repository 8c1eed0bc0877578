from .audit import acting_as, actor_for_user
from .edges import page_answer


def client_ip(request) -> str:
    # Behind the intranet's reverse proxy the first X-Forwarded-For hop is the client; otherwise the peer.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def source_for_path(path: str) -> str:
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "page"


class AuditContextMiddleware:
    """Every write made while serving a request is attributed to its user, IP and path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        actor = actor_for_user(
            getattr(request, "user", None), source=source_for_path(request.path), ip=request.client_ip
        )
        with acting_as(actor):
            return self.get_response(request)


class DomainErrorMiddleware:
    """A domain error a view let through gets the page's answer (jigai/core/edges.py): a 403 or 404 page,
    recorded as a denied access where it is one, or the refusal's messages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/"):  # the API answers its own errors, in JSON
            return None
        return page_answer(request, exception)


class ChineseFirstMiddleware:
    """Chinese unless the user chose otherwise: the browser's Accept-Language is not consulted, so a
    clerk on an English-language system still gets the Chinese platform (the switch sets a cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
