"""Issue 4, acceptance: every Amazon order becomes exactly one sale order, also
when syncs overlap and when a sync process is killed mid-run."""

import signal
import subprocess
import threading
import time

from odoo.exceptions import UserError

from .conftest import (
    COUNTRIES,
    assert_exactly_once_with_amazon_totals,
    importable_ids,
    run_worker,
    sale_orders,
    transaction,
)


def _sync(registry, account_id):
    with transaction(registry) as env:
        env["amazon.account"].browse(account_id).action_sync_orders()


def _rewind_cursor(registry, account_id):
    """Make the next run re-read the whole window (an overlapping window)."""
    with transaction(registry) as env:
        env["amazon.account"].browse(account_id).sudo().order_cursor = False


def _logs(registry, account_id):
    with transaction(registry) as env:
        return env["amazon.sync.log"].search_read(
            [("account_id", "=", account_id), ("kind", "=", "orders")],
            ["state", "created", "failed"],
            order="id",
        )


def test_three_overlapping_syncs_of_the_same_1000_orders_give_1000_sale_orders(
    registry, make_account, scenario_sandbox, fast_importer
):
    orders = scenario_sandbox.state.generate_orders(1000, seed=41, countries=COUNTRIES)
    account_id = make_account()
    expected = importable_ids(registry, account_id, orders)
    assert len(expected) > 600, "the generated set holds mostly importable orders"

    # Three syncs started together (button, cron, another worker): one runs, the
    # others are refused at once by the account's sync lock.
    barrier = threading.Barrier(3)
    outcomes = []

    def contender():
        barrier.wait()
        started = time.monotonic()
        try:
            _sync(registry, account_id)
            outcomes.append(("ran", time.monotonic() - started, ""))
        except UserError as error:
            outcomes.append(("refused", time.monotonic() - started, str(error)))

    threads = [threading.Thread(target=contender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    kinds = sorted(kind for kind, _, _ in outcomes)
    assert kinds == ["ran", "refused", "refused"], outcomes
    for kind, seconds, message in outcomes:
        if kind == "refused":
            assert "already running since" in message, message
            assert seconds < 5, "a refused sync returns at once"

    # The two refused syncs run again over the same, overlapping window.
    for _ in range(2):
        _rewind_cursor(registry, account_id)
        _sync(registry, account_id)

    assert_exactly_once_with_amazon_totals(registry, account_id, orders, expected)
    logs = _logs(registry, account_id)
    assert [log["state"] for log in logs] == ["done"] * 3, logs
    assert sum(log["created"] for log in logs) == len(expected), logs


def test_a_sync_killed_mid_run_and_run_again_imports_every_order_once_with_amazon_totals(  # noqa: E501
    registry, make_account, scenario_sandbox, fast_importer
):
    orders = scenario_sandbox.state.generate_orders(700, seed=42, countries=COUNTRIES)
    account_id = make_account()
    expected = importable_ids(registry, account_id, orders)
    db_name = registry.db_name

    # A real Odoo process, reaching the sandbox over loopback, killed with SIGKILL
    # once it has committed at least one page but before it is done.
    worker = run_worker(
        db_name, account_id, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    committed = 0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and worker.poll() is None:
            committed = len(sale_orders(registry, account_id))
            if committed >= 150:
                break
            time.sleep(0.2)
        ended = worker.poll()
        worker.send_signal(signal.SIGKILL)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=30)
        output = worker.stdout.read().decode(errors="replace")[-3000:]
        worker.stdout.close()
    assert ended is None, f"the worker ended before it could be killed: {output}"
    assert worker.returncode == -signal.SIGKILL, output
    committed = len(sale_orders(registry, account_id))
    assert 100 <= committed < len(expected), (
        f"killed after {committed} of {len(expected)} orders were committed: " + output
    )
    logs = _logs(registry, account_id)
    assert [log["state"] for log in logs] == ["running"], (
        f"the killed run's log stays unfinished: {logs}"
    )

    # Run again, in another process: it takes the lock the dead one held.
    rerun = run_worker(
        db_name, account_id, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    out, _ = rerun.communicate(timeout=300)
    text = out.decode(errors="replace")
    assert rerun.returncode == 0 and "done done" in text, text[-3000:]

    assert_exactly_once_with_amazon_totals(registry, account_id, orders, expected)
