import functools
import ipaddress

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from .audit import acting_as, actor_for_user
from .edges import page_answer


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(request) -> str:
    """The address the audit records (docs/security.md: each record has the IP). X-Forwarded-For is anyone's to
    write, so it is read only when the peer is one of JIGAI_TRUSTED_PROXIES, and then from the right: each
    trusted proxy appends the address it saw, so the right-most address that is not a trusted proxy is the
    client. With no proxies named (the default) the peer, REMOTE_ADDR, is the client."""
    peer = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.JIGAI_TRUSTED_PROXIES))
    if not networks or not _trusted(peer, networks):
        return peer[:64]
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    nearest = peer
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            # Not an address: it cannot name the client, so name the trusted proxy that passed it on.
            return nearest[:64]
        if not _trusted(hop, networks):
            return hop[:64]
        nearest = hop
    return nearest[:64]


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


# Scripts, styles, fonts and data come from the platform's own origin only (issue 11, point 13): ECharts and
# the API browser are vendored files, and no page carries an inline script, handler or style attribute. An
# image may be a data: URI (the API browser's icons); nothing may frame the platform.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """The Content-Security-Policy on every answer, and `Cache-Control: no-store` on every answer to a
    logged-in user and on every API answer: a page or a download holding someone's data is not kept by
    the browser or a proxy for the next person at the same desk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
