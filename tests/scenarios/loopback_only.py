"""Refuse any name lookup or connection that does not stay on this machine.

Used by the Odoo processes the scenarios and the benchmark start (and, for name
lookups, by the scenario session itself): Odoo's own features (IAP SMS, e-mail,
partner autocomplete) must never reach the network from a test. Name lookups are
refused too, because HTTP clients (urllib3, httpx) resolve a host name before
they connect, and the lookup alone already leaves the machine.
"""

import ipaddress
import socket

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class NonLoopbackAccess(OSError):
    """A lookup or connection outside the loopback interface was attempted."""


def is_loopback_host(host):
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host or "").split("%", 1)[0]
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def install():
    """Patch ``socket`` in this process (idempotent)."""
    if getattr(socket, "_amazon_loopback_only", False):
        return
    getaddrinfo = socket.getaddrinfo
    connect = socket.socket.connect
    connect_ex = socket.socket.connect_ex

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host is not None and not is_loopback_host(host):
            raise NonLoopbackAccess(f"name lookup of {host!r} refused (loopback only)")
        return getaddrinfo(host, *args, **kwargs)

    def check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not (
            isinstance(address, tuple) and is_loopback_host(address[0])
        ):
            raise NonLoopbackAccess(f"connection to {address!r} refused")

    def guarded_connect(sock, address):
        check(sock, address)
        return connect(sock, address)

    def guarded_connect_ex(sock, address):
        check(sock, address)
        return connect_ex(sock, address)

    socket.getaddrinfo = guarded_getaddrinfo
    socket.socket.connect = guarded_connect
    socket.socket.connect_ex = guarded_connect_ex
    socket._amazon_loopback_only = True
