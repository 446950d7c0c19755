"""Issue 4, acceptance: throttling, server errors, timeouts and malformed pages
cost time, never orders: repeated runs end with every order imported once."""

import random
from collections import Counter

import pytest

from .conftest import (
    COUNTRIES,
    assert_exactly_once_with_amazon_totals,
    importable_ids,
    prime_rate_budget,
    sale_orders,
    transaction,
)

FAULTS = [
    # pick_fault serves the first matching rule whose dice roll hits
    {"operation": "searchOrders", "status": 429, "rate": 0.30},
    {"operation": "searchOrders", "status": 500, "rate": 0.05},
    {"operation": "searchOrders", "status": 503, "rate": 0.05},
    {"operation": "searchOrders", "timeout": 3, "rate": 0.05},
    {"operation": "searchOrders", "malformed": True, "rate": 0.05},
    {"operation": "searchOrders", "truncated": True, "rate": 0.03},
    # ... and each kind at least once, whatever the dice say
    {"operation": "searchOrders", "status": 500, "count": 1},
    {"operation": "searchOrders", "timeout": 3, "count": 1},
    {"operation": "searchOrders", "status": 503, "count": 1},
    {"operation": "searchOrders", "malformed": True, "count": 1},
    {"operation": "searchOrders", "truncated": True, "count": 1},
]
MAX_RUNS = 60


@pytest.fixture
def short_read_timeout(monkeypatch):
    """The connector waits 1 s for an answer (30 s in production): a 3 s fault
    is then a real client-side read timeout, not a slow answer."""
    from odoo.addons.amazon_connector import spapi

    monkeypatch.setattr(spapi, "SPAPI_READ_TIMEOUT", 1.0)


def test_with_429s_server_errors_timeouts_and_malformed_pages_repeated_runs_import_every_order_once(  # noqa: E501
    registry, make_account, scenario_sandbox, fast_importer, short_read_timeout
):
    random.seed(4004)  # the sandbox's fault dice
    orders = scenario_sandbox.state.generate_orders(400, seed=44, countries=COUNTRIES)
    account_id = make_account()
    expected = importable_ids(registry, account_id, orders)
    prime_rate_budget(registry, scenario_sandbox, account_id)
    for rule in FAULTS:
        scenario_sandbox.state.add_fault(rule)

    states = []
    for _run in range(MAX_RUNS):
        with transaction(registry) as env:
            env["amazon.account"].browse(account_id).action_sync_orders()
            log = env["amazon.sync.log"].search(
                [("account_id", "=", account_id)], order="id desc", limit=1
            )
            states.append(log.state)
        if states[-1] == "done" and set(sale_orders(registry, account_id)) >= expected:
            break
    assert states[-1] == "done", f"no run got through in {MAX_RUNS} runs: {states}"
    assert set(states) <= {"done", "throttled", "failed"}, states

    served = Counter()
    for entry in scenario_sandbox.state.request_log("searchOrders"):
        served[entry.get("fault") or entry["status"]] += 1
    for kind in (429, 500, 503, "timeout", "truncated", 200):
        assert served[kind], f"the sandbox served no {kind}: {dict(served)}"
    assert_exactly_once_with_amazon_totals(registry, account_id, orders, expected)
    with transaction(registry) as env:
        open_failures = env["amazon.order.failure"].search_count(
            [("account_id", "=", account_id), ("state", "=", "open")]
        )
    assert open_failures == 0, "transport faults never become order failures"
