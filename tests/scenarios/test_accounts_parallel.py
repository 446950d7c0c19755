"""Issue 12: accounts are synced in parallel by the cron workers of two Odoo
servers on one database, each account and kind by one worker at a time, and
every order is imported exactly once."""

import subprocess
import sys
import time
from datetime import timedelta

from odoo import fields

from .conftest import (
    COUNTRIES,
    REPO_ROOT,
    assert_exactly_once_with_amazon_totals,
    importable_ids,
    odoo_process_setup,
    transaction,
)

ACCOUNTS = 4
ORDERS = 40
TIMEOUT = 600


def _start_server(db_name, log_path):
    """An Odoo server with two cron threads and no HTTP, loopback only."""
    addons, env = odoo_process_setup()
    return subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.cron_server", "-d", db_name]
        + ["--addons-path", addons, "--no-http", "--max-cron-threads", "2"]
        + ["--limit-time-real-cron", "3600"]
        + ["--log-level", "warn", "--logfile", str(log_path)],
        cwd=str(REPO_ROOT),
        env=env,
    )


def _logs(registry, account_ids):
    with transaction(registry) as env:
        return env["amazon.sync.log"].search_read(
            [("account_id", "in", account_ids), ("kind", "=", "orders")],
            ["account_id", "state", "trigger", "date_start", "date_end", "created"],
            order="date_start",
        )


def test_two_servers_cron_workers_sync_accounts_concurrently_each_order_once(
    registry, make_account, scenario_sandbox, tmp_path
):
    state = scenario_sandbox.state
    accounts, orders_of = [], {}
    for index in range(ACCOUNTS):
        seller_id, refresh = f"A1PARALLEL{index:03d}", f"parallel-refresh-{index}"
        from tests.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

        state.add_client(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, refresh, seller_id)
        orders = state.generate_orders(
            ORDERS, seed=900 + index, seller_id=seller_id, countries=COUNTRIES
        )
        account_id = make_account(
            seller_id=seller_id,
            refresh_token=refresh,
            orders_sync_active=True,
            orders_interval_number=1,
            orders_interval_type="days",
        )
        accounts.append(account_id)
        orders_of[account_id] = orders
    expected = {
        account_id: importable_ids(registry, account_id, orders_of[account_id])
        for account_id in accounts
    }
    with transaction(registry) as env:
        # Only these accounts' order syncs run now: the other scenarios' accounts
        # in this database wait (their actions are due at their creation).
        env["ir.cron"].search([("code", "like", "_cron_run_schedule")]).write(
            {"nextcall": fields.Datetime.now() + timedelta(days=1)}
        )
        crons = env["amazon.account"].browse(accounts).sync_schedule_ids.cron_id
        assert len(crons) >= ACCOUNTS, "one scheduled action per account and kind"
        # The sync buttons trigger each account's own action.
        for account in env["amazon.account"].browse(accounts):
            account._sync_schedule("orders").cron_id._trigger()
    servers = [
        _start_server(registry.db_name, tmp_path / f"server{n}.log") for n in (1, 2)
    ]
    try:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            logs = _logs(registry, accounts)
            finished = [log for log in logs if log["state"] != "running"]
            if len({log["account_id"][0] for log in finished}) == ACCOUNTS:
                break
            time.sleep(1)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=60)
    logs = _logs(registry, accounts)
    assert len(logs) == ACCOUNTS, f"one run per account: {logs}"
    assert all(log["state"] == "done" for log in logs), logs
    overlapping = max(
        sum(
            1
            for other in logs
            if other["date_start"] <= log["date_start"] < other["date_end"]
        )
        for log in logs
    )
    assert overlapping >= 2, f"accounts ran one after another: {logs}"
    for account_id in accounts:
        assert_exactly_once_with_amazon_totals(
            registry, account_id, orders_of[account_id], expected[account_id]
        )
