"""Test setup shared by every test under ``tests/`` (no Odoo here).

* A session-wide network guard: any socket connection to a non-loopback address
  fails the test (only 127.0.0.0/8, ::1 and AF_UNIX sockets are allowed).
* ``sandbox``: the local SP-API sandbox on a free port, reset for every test.
* ``spapi_client_kwargs``: the keyword arguments the connector passes to
  python-amazon-sp-api clients to reach the sandbox.
"""

import ipaddress
import os
import socket

# python-amazon-sp-api reads these at import time or silently overrides the
# marketplace with them: clear them before it is imported.
for _name in ("SP_API_DEFAULT_MARKETPLACE", "AWS_ENV"):
    os.environ.pop(_name, None)

import pytest  # noqa: E402

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class NetworkAccessDenied(RuntimeError):
    """Raised on an attempt to connect to a non-loopback address."""


def is_loopback(family, address):
    if family == getattr(socket, "AF_UNIX", object()):
        return True
    if not isinstance(address, tuple) or not address:
        return False
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).split("%", 1)[0]
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already be network traffic


class NetworkGuard:
    def __init__(self):
        self.violations = []
        self._saved = None

    def _check(self, family, address):
        if not is_loopback(family, address):
            message = f"network access to {address!r} is forbidden in tests"
            self.violations.append(message)
            raise NetworkAccessDenied(message)

    def install(self):
        if self._saved:
            return
        guard = self
        connect = socket.socket.connect
        connect_ex = socket.socket.connect_ex
        create_connection = socket.create_connection

        def guarded_connect(sock, address):
            guard._check(sock.family, address)
            return connect(sock, address)

        def guarded_connect_ex(sock, address):
            guard._check(sock.family, address)
            return connect_ex(sock, address)

        def guarded_create_connection(address, *args, **kwargs):
            guard._check(socket.AF_INET, address)
            return create_connection(address, *args, **kwargs)

        getaddrinfo = socket.getaddrinfo

        def guarded_getaddrinfo(host, *args, **kwargs):
            # Resolving a name already sends a DNS query off the machine.
            if host is not None:
                guard._check(socket.AF_INET, (host, 0))
            return getaddrinfo(host, *args, **kwargs)

        self._saved = (connect, connect_ex, create_connection, getaddrinfo)
        socket.socket.connect = guarded_connect
        socket.socket.connect_ex = guarded_connect_ex
        socket.create_connection = guarded_create_connection
        socket.getaddrinfo = guarded_getaddrinfo

    def uninstall(self):
        if self._saved:
            connect, connect_ex, create_connection, getaddrinfo = self._saved
            socket.socket.connect = connect
            socket.socket.connect_ex = connect_ex
            socket.create_connection = create_connection
            socket.getaddrinfo = getaddrinfo
            self._saved = None


_GUARD = NetworkGuard()


@pytest.fixture(scope="session", autouse=True)
def _network_guard_session():
    _GUARD.install()
    yield _GUARD
    _GUARD.uninstall()


@pytest.fixture(autouse=True)
def network_guard(_network_guard_session, monkeypatch):
    """The guard; a test fails if it attempted a non-loopback connection, even
    when the code under test swallowed the exception."""
    for name in ("SP_API_DEFAULT_MARKETPLACE", "AWS_ENV"):
        monkeypatch.delenv(name, raising=False)
    _GUARD.violations.clear()
    yield _GUARD
    violations = list(_GUARD.violations)
    _GUARD.violations.clear()
    if violations:
        pytest.fail("; ".join(violations), pytrace=False)


def _clear_sp_api_caches():
    try:
        from sp_api.auth import access_token_client
    except ImportError:
        return
    access_token_client.cache.clear()
    access_token_client.grantless_cache.clear()


@pytest.fixture(scope="session")
def _sandbox_server():
    from tests.sandbox import SandboxServer

    server = SandboxServer(port=0).start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(_sandbox_server):
    """The in-process sandbox (fresh state, default rate limits) for one test."""
    server = _sandbox_server
    server.state.reset()
    server.state.set_rate_limits(scale=1.0, enabled=True)
    server.state.feed_delay = 1.0
    _clear_sp_api_caches()
    yield server
    _clear_sp_api_caches()


class SandboxMarketplace:
    """What python-amazon-sp-api needs from a marketplace (like the connector's)."""

    def __init__(self, endpoint, marketplace_id="APJ6JRA9NG5V4", region="eu-west-1"):
        self.endpoint = endpoint
        self.marketplace_id = marketplace_id
        self.region = region


def make_client_kwargs(server, marketplace_id="APJ6JRA9NG5V4", credentials=None):
    from sp_api.auth import AccessTokenClient
    from sp_api.base.credential_provider import FromCodeCredentialProvider

    from tests.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REFRESH_TOKEN

    token_client = type(
        "SandboxAccessTokenClient",
        (AccessTokenClient,),
        {"scheme": "http://", "host": f"127.0.0.1:{server.port}"},
    )
    return {
        "marketplace": SandboxMarketplace(server.base_url, marketplace_id),
        "auth_token_client_class": token_client,
        "credential_providers": (FromCodeCredentialProvider,),
        "credentials": credentials
        or {
            "refresh_token": DEMO_REFRESH_TOKEN,
            "lwa_app_id": DEMO_CLIENT_ID,
            "lwa_client_secret": DEMO_CLIENT_SECRET,
        },
    }


@pytest.fixture
def spapi_client_kwargs(sandbox):
    """kwargs for ``sp_api`` clients, e.g. ``Orders(version="2026-01-01", **kw)``."""
    return make_client_kwargs(sandbox)
