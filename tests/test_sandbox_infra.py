"""Rate limits, the network guard and the command line."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sp_api.api import Orders
from sp_api.base.exceptions import SellingApiRequestThrottledException

from tests.conftest import NetworkAccessDenied

REPO = Path(__file__).resolve().parents[1]
ARGS = {"createdAfter": "2020-01-01T00:00:00Z", "marketplaceIds": ["APJ6JRA9NG5V4"]}


def test_rate_limit_burst_then_429_then_recovery(sandbox, spapi_client_kwargs):
    # searchOrders: rate 0.0056/s, burst 20 (model); scaled 100x -> 0.56/s
    sandbox.state.set_rate_limits(scale=100)
    client = Orders(version="2026-01-01", **spapi_client_kwargs)
    for _ in range(20):
        res = client.search_orders(**ARGS)
        assert res.rate_limit == "0.56"
    with pytest.raises(SellingApiRequestThrottledException) as info:
        client.search_orders(**ARGS)
    assert info.value.error[0]["code"] == "QuotaExceeded"
    time.sleep(1 / 0.56 + 0.1)  # one token back at the scaled rate
    client.search_orders(**ARGS)
    with pytest.raises(SellingApiRequestThrottledException):
        client.search_orders(**ARGS)
    statuses = [e["status"] for e in sandbox.state.request_log("searchOrders")]
    assert statuses == [200] * 20 + [429, 200, 429]


def test_rate_limits_can_be_switched_off(sandbox, spapi_client_kwargs):
    sandbox.state.set_rate_limits(enabled=False)
    client = Orders(version="2026-01-01", **spapi_client_kwargs)
    for _ in range(25):
        client.search_orders(**ARGS)


def test_network_guard_blocks_non_loopback(network_guard):
    for target in (("10.255.255.1", 9), ("8.8.8.8", 53), ("example.com", 80)):
        with pytest.raises(NetworkAccessDenied):
            socket.create_connection(target, timeout=0.1)
        sock = socket.socket()
        with pytest.raises(NetworkAccessDenied):
            sock.connect_ex(target)
        sock.close()
    assert len(network_guard.violations) == 6
    network_guard.violations.clear()  # expected ones: do not fail this test


def test_network_guard_blocks_name_lookups_that_leave_the_machine(network_guard):
    with pytest.raises(NetworkAccessDenied):
        socket.getaddrinfo("sellingpartnerapi-eu.amazon.com", 443)
    assert socket.getaddrinfo("localhost", 80), "loopback names still resolve"
    assert len(network_guard.violations) == 1
    network_guard.violations.clear()


def test_network_guard_allows_loopback_and_unix(sandbox):
    socket.create_connection(("127.0.0.1", sandbox.port), timeout=1).close()
    left, right = socket.socketpair(socket.AF_UNIX)
    left.close()
    right.close()


def test_cli_ready_line_and_sigterm():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "SP_API_DEFAULT_MARKETPLACE"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.sandbox",
            "--port",
            str(port),
            "--generate",
            "20",
            "--seed",
            "1",
            "--rate-scale",
            "10",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = proc.stdout.readline()
        assert line == f"SP-API sandbox ready at http://127.0.0.1:{port}\n"
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_cli_refuses_other_hosts():
    res = subprocess.run(
        [sys.executable, "-m", "tests.sandbox", "--port", "0", "--host", "0.0.0.0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert res.returncode == 2 and "127.0.0.1 only" in res.stderr
