"""./setup/run as a newcomer runs it: once it prints Ready, Odoo's login page
answers on its port and the Amazon menu is there, with the demo account connected
to the local SP-API sandbox."""

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
import xmlrpc.client
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 900  # a fresh database with sale, stock and accounting


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_setup_run_serves_odoo_with_the_amazon_menu_and_the_demo_account():
    db = f"amz_setup_run_{os.getpid()}"
    port, sandbox_port = _free_port(), _free_port()
    proc = subprocess.Popen(
        [
            "./setup/run",
            "--db",
            db,
            "--port",
            str(port),
            "--sandbox-port",
            str(sandbox_port),
            "--orders",
            "20",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = []
    ready = threading.Event()

    def read():
        for line in proc.stdout:
            output.append(line)
            if line.startswith("Ready:"):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while not ready.is_set() and proc.poll() is None:
            assert time.monotonic() < deadline, "no Ready line:\n" + "".join(output)
            ready.wait(1)
        assert ready.is_set(), "setup/run stopped:\n" + "".join(output)
        url = f"http://127.0.0.1:{port}"
        assert f"Ready: {url}" in "".join(output)

        with urllib.request.urlopen(url + "/web/login", timeout=30) as resp:
            assert resp.status == 200, "the login page answers once Ready is printed"
            assert b"login" in resp.read().lower()

        uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
            db, "admin", "admin", {}
        )
        assert uid, "the printed credentials (admin / admin) log in"
        models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object")

        def call(model, method, *args, **kwargs):
            return models.execute_kw(
                db, uid, "admin", model, method, list(args), kwargs
            )

        root = call(
            "ir.ui.menu",
            "search_read",
            [("name", "=", "Amazon"), ("parent_id", "=", False)],
            fields=["child_id"],
        )
        assert root, "the Amazon app menu is there"
        children = call(
            "ir.ui.menu",
            "search_read",
            [("parent_id", "=", root[0]["id"])],
            fields=["name"],
        )
        names = {menu["name"] for menu in children}
        assert {"Accounts", "Orders", "Logs"} <= names, names
        accounts = call(
            "amazon.account", "search_read", [], fields=["state", "sp_api_endpoint"]
        )
        assert accounts and accounts[0]["state"] == "connected", accounts
        assert accounts[0]["sp_api_endpoint"] == f"http://127.0.0.1:{sandbox_port}"
        (company,) = call(
            "res.company",
            "search_read",
            [("parent_id", "=", False)],
            fields=["country_id", "currency_id", "chart_template"],
            limit=1,
        )
        assert company["country_id"][1] == "Italy", company
        assert company["currency_id"][1] == "EUR", company
        assert company["chart_template"] == "it", "Odoo's Italian chart"
        assert call(
            "res.currency.rate", "search_count", [("currency_id.name", "=", "GBP")]
        )
        assert "Odoo log:" in "".join(output), "the log's place is printed"

        # Ctrl-C reaches setup/run alone (its children run in their own
        # sessions); it stops Odoo and the sandbox within a few seconds.
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)
        assert time.monotonic() - started < 10, "Ctrl-C stops within seconds"
        reader.join(timeout=5)
        assert "Stopped." in "".join(output)
        for stopped_port in (port, sandbox_port):
            with socket.socket() as sock:
                assert sock.connect_ex(("127.0.0.1", stopped_port)) != 0, (
                    f"nothing answers on {stopped_port} any more"
                )
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        subprocess.run(["dropdb", "--if-exists", "--force", db], check=False)
        filestore = Path.home() / ".local/share/Odoo/filestore" / db
        subprocess.run(["rm", "-rf", str(filestore)], check=False)
