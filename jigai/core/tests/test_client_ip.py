"""Issue 11, point 6: the audit records the real client. X-Forwarded-For is believed only from the
proxies named in JIGAI_TRUSTED_PROXIES, read from the right (the right-most address not a trusted proxy)."""

import pytest
from django.test import Client, RequestFactory

from conftest import PASSWORD
from jigai.core.middleware import client_ip
from jigai.core.models import AuditEvent


def _ip(settings, proxies, remote, forwarded=None):
    settings.JIGAI_TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No proxy named (the default): the header is anyone's to write and is ignored.
        ([], "203.0.113.7", "10.9.9.9", "203.0.113.7"),
        ([], "10.0.0.5", "1.2.3.4", "10.0.0.5"),
        # A named proxy's header is read; the peer is not the proxy: ignored.
        (["10.0.0.5"], "203.0.113.7", "1.2.3.4", "203.0.113.7"),
        (["10.0.0.5"], "10.0.0.5", "192.168.1.20", "192.168.1.20"),
        # A client that sends its own header cannot choose its address: the right-most untrusted one.
        (["10.0.0.5"], "10.0.0.5", "6.6.6.6, 192.168.1.20", "192.168.1.20"),
        # Two proxies in a chain (CIDR and single address), each appending what it saw.
        (["10.0.0.0/24", "172.16.0.1"], "172.16.0.1", "8.8.8.8, 192.168.1.20, 10.0.0.9", "192.168.1.20"),
        # Every hop trusted: the farthest one is the best we know.
        (["10.0.0.0/24"], "10.0.0.5", "10.0.0.7, 10.0.0.6", "10.0.0.7"),
        # Not an address: the proxy that passed it on is named instead.
        (["10.0.0.5"], "10.0.0.5", "<script>, unknown", "10.0.0.5"),
        # No header from a trusted proxy: the proxy itself.
        (["10.0.0.5"], "10.0.0.5", None, "10.0.0.5"),
        (["2001:db8::/32"], "2001:db8::1", "2001:db9::5", "2001:db9::5"),
    ],
)
def test_the_client_address_is_read_only_through_trusted_proxies(
    settings, proxies, remote, forwarded, expected
):
    assert _ip(settings, proxies, remote, forwarded) == expected


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_reach_the_audit_log(users, settings):
    settings.JIGAI_TRUSTED_PROXIES = []
    c = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.1.1.1")
    c.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert AuditEvent.objects.get(event="login_success").ip == "203.0.113.7"


@pytest.mark.django_db
def test_behind_a_named_proxy_the_audit_log_has_the_client(users, settings):
    settings.JIGAI_TRUSTED_PROXIES = ["127.0.0.1"]
    c = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.168.3.4")
    c.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    c.get("/projects/")
    assert AuditEvent.objects.get(event="login_success").ip == "192.168.3.4"


def test_a_trusted_proxy_that_is_not_an_address_stops_the_platform_at_start():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "JIGAI_TRUSTED_PROXIES": "10.0.0.5,proxy",
    }
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert out.returncode != 0 and "JIGAI_TRUSTED_PROXIES" in out.stderr and "“proxy”" in out.stderr
