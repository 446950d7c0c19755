# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The client-side rate budget is shared by every worker through the database."""

import threading
import time
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from odoo.addons.amazon_connector import spapi
from odoo.addons.amazon_connector.const import SPAPI_BUDGET_MARGIN, SPAPI_OPERATIONS
from odoo.addons.amazon_connector.exceptions import AmazonThrottled

from .common import (
    PARTICIPATIONS,
    PARTICIPATIONS_PATH,
    AmazonCoreCase,
    AmazonLoopbackCase,
)

# Synthetic account ids: the budget table has no foreign key (see its docstring).
WORKER_ACCOUNT = 2_000_000_001
OPERATION = "orders.searchOrders"


@tagged("post_install", "-at_install")
class TestRateBudget(AmazonCoreCase):
    def setUp(self):
        super().setUp()
        self.reset_budget([WORKER_ACCOUNT])
        self.addCleanup(self.reset_budget, [WORKER_ACCOUNT])
        self.budget = self.env["amazon.rate.bucket"]

    def test_a_request_taken_on_one_cursor_is_seen_spent_from_another(self):
        self.budget._acquire(WORKER_ACCOUNT, OPERATION, rate=0.0056, burst=20)
        rate, burst, tokens = self.read_bucket(WORKER_ACCOUNT, OPERATION)
        self.assertEqual((rate, burst), (0.0056, 20))
        self.assertAlmostEqual(
            tokens, 19, places=1, msg="another worker sees one spent"
        )
        # A second worker (its own cursor and transaction) draws from the same bucket.
        with self.env.registry.cursor() as other_cr:
            other_env = api.Environment(other_cr, SUPERUSER_ID, {})
            other_env["amazon.rate.bucket"]._acquire(
                WORKER_ACCOUNT, OPERATION, 0.0056, 20
            )
        self.assertAlmostEqual(
            self.read_bucket(WORKER_ACCOUNT, OPERATION)[2], 18, places=1
        )

    def test_the_budget_row_is_not_left_locked_after_a_request(self):
        self.budget._acquire(WORKER_ACCOUNT, OPERATION, rate=1, burst=5)
        with self.env.registry.cursor() as other_cr:
            other_cr.execute(
                "SELECT tokens FROM amazon_rate_bucket WHERE account_id = %s "
                "FOR UPDATE NOWAIT",
                (WORKER_ACCOUNT,),
            )
            self.assertEqual(
                len(other_cr.fetchall()), 1, msg="no lock held by the caller"
            )

    def test_a_short_shortage_is_waited_for_briefly(self):
        self.budget._acquire(WORKER_ACCOUNT, OPERATION, rate=5, burst=1)
        started = time.monotonic()
        waited = self.budget._acquire(WORKER_ACCOUNT, OPERATION, rate=5, burst=1)
        elapsed = time.monotonic() - started
        self.assertGreater(waited, 0.05 + SPAPI_BUDGET_MARGIN)
        self.assertLessEqual(waited, 0.2 + SPAPI_BUDGET_MARGIN)
        self.assertGreaterEqual(elapsed, waited * 0.9)

    def test_a_full_bucket_of_one_sends_at_once(self):
        """Burst 1 (Amazon's pricing operations): a token back for a second is
        not on the edge; waiting the margin would only lose refill."""
        self.set_bucket(
            WORKER_ACCOUNT, OPERATION, seconds_ago=1, rate=4, burst=1, tokens=1.0
        )
        self.assertEqual(self.budget._acquire(WORKER_ACCOUNT, OPERATION, 4, 1), 0.0)
        self.assertAlmostEqual(
            self.read_bucket(WORKER_ACCOUNT, OPERATION)[2], 0.0, delta=0.01
        )

    def test_a_token_just_back_is_taken_after_a_margin_not_on_the_edge(self):
        self.budget._acquire(WORKER_ACCOUNT, OPERATION, rate=0.0056, burst=20)
        with self.env.registry.cursor() as cr:
            cr.execute(
                "UPDATE amazon_rate_bucket SET tokens = 1.0, "
                "refilled_at = clock_timestamp() AT TIME ZONE 'UTC' "
                "WHERE account_id = %s",
                (WORKER_ACCOUNT,),
            )
        waited = self.budget._acquire(WORKER_ACCOUNT, OPERATION, 0.0056, 20)
        self.assertAlmostEqual(
            waited,
            SPAPI_BUDGET_MARGIN,
            delta=0.01,
            msg="Amazon's bucket may be a few ms behind: no request on the edge",
        )
        with self.env.registry.cursor() as cr:
            cr.execute(
                "UPDATE amazon_rate_bucket SET tokens = 1.5 WHERE account_id = %s",
                (WORKER_ACCOUNT,),
            )
        self.assertEqual(
            self.budget._acquire(WORKER_ACCOUNT, OPERATION, 0.0056, 20),
            0.0,
            msg="no wait while the bucket holds a token and the margin",
        )

    def test_a_fast_budget_with_tokens_left_never_waits_the_margin(self):
        # 10,000 requests a second: a token is back in 0.1 ms; the margin is
        # never more than half of that, so a bucket with tokens left answers at once.
        waits = [
            self.budget._acquire(WORKER_ACCOUNT, OPERATION, rate=10000, burst=10)
            for _i in range(5)
        ]
        self.assertLess(max(waits), 0.001, waits)

    def test_a_long_shortage_raises_throttled_at_once_without_spending(self):
        self.budget._acquire(WORKER_ACCOUNT, OPERATION, rate=0.0056, burst=1)
        started = time.monotonic()
        with self.assertRaises(AmazonThrottled) as caught:
            self.budget._acquire(WORKER_ACCOUNT, OPERATION, rate=0.0056, burst=1)
        self.assertLess(time.monotonic() - started, 1.0, msg="no long sleep")
        self.assertGreater(caught.exception.retry_after, 100, msg="about 1 / 0.0056 s")
        self.assertTrue(caught.exception.retryable)
        self.assertLess(abs(self.read_bucket(WORKER_ACCOUNT, OPERATION)[2]), 0.01)

    def test_the_budget_refills_at_the_operations_rate(self):
        self.budget._acquire(WORKER_ACCOUNT, OPERATION, rate=1, burst=2)
        with self.env.registry.cursor() as cr:
            cr.execute(
                "UPDATE amazon_rate_bucket SET tokens = 0, "
                "refilled_at = refilled_at - interval '10 seconds' "
                "WHERE account_id = %s",
                (WORKER_ACCOUNT,),
            )
        self.budget._acquire(WORKER_ACCOUNT, OPERATION, rate=1, burst=2)
        self.assertAlmostEqual(
            self.read_bucket(WORKER_ACCOUNT, OPERATION)[2],
            1,
            places=1,
            msg="capped at burst",
        )

    def test_concurrent_workers_share_one_burst(self):
        results = []

        def worker():
            # Each acquisition opens its own cursor, like a request of another worker.
            try:
                self.budget._acquire(WORKER_ACCOUNT, OPERATION, 0.0056, 3)
                results.append("ok")
            except AmazonThrottled:
                results.append("throttled")
            except Exception as err:  # reported by the assertion below
                results.append(repr(err))

        threads = [threading.Thread(target=worker) for _i in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(sorted(results), ["ok"] * 3 + ["throttled"] * 2)

    def test_the_default_usage_plans_follow_amazons_documentation(self):
        plans = {key: (op.rate, op.burst) for key, op in SPAPI_OPERATIONS.items()}
        self.assertEqual(plans["orders.searchOrders"], (0.0056, 20))
        self.assertEqual(plans["orders.getOrder"], (0.5, 30))
        self.assertEqual(plans["ordersV0.getOrders"], (0.0167, 20))
        self.assertEqual(plans["ordersV0.getOrderItems"], (0.5, 30))
        self.assertEqual(plans["ordersV0.confirmShipment"], (2, 10))
        self.assertEqual(plans["ordersV0.updateShipmentStatus"], (5, 15))
        self.assertEqual(plans["listings.getListingsItem"], (5, 10))
        self.assertEqual(plans["listings.putListingsItem"], (5, 10))
        self.assertEqual(plans["listings.patchListingsItem"], (5, 5))
        self.assertEqual(plans["listings.deleteListingsItem"], (5, 5))
        self.assertEqual(plans["feeds.createFeed"], (0.0083, 15))
        self.assertEqual(plans["vendorOrders.getPurchaseOrders"], (10, 10))


@tagged("post_install", "-at_install")
class TestRateBudgetFollowsAmazon(AmazonLoopbackCase):
    """Against the scripted loopback Amazon."""

    def test_the_rate_limit_header_replaces_the_documented_rate(self):
        self.server.route(
            "GET",
            PARTICIPATIONS_PATH,
            200,
            PARTICIPATIONS,
            headers={"x-amzn-RateLimit-Limit": "0.5"},
        )
        self.account._spapi_call("sellers.getMarketplaceParticipations")
        rate, burst, _tokens = self.read_bucket(
            self.account.id, "sellers.getMarketplaceParticipations"
        )
        self.assertEqual(rate, 0.5, msg="Amazon granted this account 0.5 rps")
        self.assertEqual(burst, 15)

    def test_a_429_from_amazon_empties_the_budget(self):
        self.server.route("GET", PARTICIPATIONS_PATH, 429, None)
        with self.assertRaises(AmazonThrottled):
            self.account._spapi_call("sellers.getMarketplaceParticipations")
        tokens = self.read_bucket(
            self.account.id, "sellers.getMarketplaceParticipations"
        )[2]
        self.assertLessEqual(tokens, 0.01)

    def test_a_spent_budget_refuses_before_calling_amazon(self):
        operation = "sellers.getMarketplaceParticipations"
        self.server.route("GET", PARTICIPATIONS_PATH, 200, PARTICIPATIONS)
        self.env["amazon.rate.bucket"]._acquire(self.account.id, operation, 0.016, 15)
        with self.env.registry.cursor() as cr:
            cr.execute(
                "UPDATE amazon_rate_bucket SET tokens = 0 WHERE account_id = %s",
                (self.account.id,),
            )
        self.server.requests.clear()
        with self.assertRaises(AmazonThrottled):
            self.account._spapi_call(operation)
        self.assertFalse(self.server.calls(PARTICIPATIONS_PATH))

    def test_a_flow_may_refuse_to_wait_at_all(self):
        operation = "sellers.getMarketplaceParticipations"
        self.server.route("GET", PARTICIPATIONS_PATH, 200, PARTICIPATIONS)
        self.env["amazon.rate.bucket"]._acquire(self.account.id, operation, 0.016, 15)
        with self.env.registry.cursor() as cr:
            cr.execute(
                "UPDATE amazon_rate_bucket SET rate = 1, tokens = 0 "
                "WHERE account_id = %s",
                (self.account.id,),
            )
        self.server.reset()
        started = time.monotonic()
        with self.assertRaises(AmazonThrottled):
            self.account.with_context(amazon_spapi_max_wait=0)._spapi_call(operation)
        self.assertLess(time.monotonic() - started, 0.5, msg="a 1 s wait is refused")
        self.assertFalse(self.server.calls(PARTICIPATIONS_PATH))

    def test_the_budget_is_taken_when_the_request_leaves(self):
        """Amazon counts a request when it arrives. Building the library's
        client takes time (tens of ms, more on a busy machine): a budget taken
        before it would let the next request arrive before Amazon's token is
        back."""
        operation = "sellers.getMarketplaceParticipations"
        self.server.route("GET", PARTICIPATIONS_PATH, 200, PARTICIPATIONS)
        self.account._spapi_call(operation)  # the access token, cached
        # a token every 0.25 s, none saved up beyond one
        self.set_bucket(self.account.id, operation, rate=4, burst=1, tokens=1)
        self.server.requests.clear()
        real_build, slow = spapi.build_client, [0.3]

        def build_client(*args, **kwargs):
            time.sleep(slow.pop() if slow else 0)  # the first one is slow
            return real_build(*args, **kwargs)

        with patch.object(spapi, "build_client", build_client):
            self.account._spapi_call(operation)
            self.account._spapi_call(operation)
        first, second = (r["at"] for r in self.server.calls(PARTICIPATIONS_PATH))
        # Amazon's token is back 0.25 s after the first; the budget sends 0.1 s
        # later than that (its margin). A budget taken before the slow build
        # sends the second 0.1 s after the first. 50 ms of the margin are left
        # to the machine's scheduling.
        self.assertGreaterEqual(
            second - first, 0.25 - 0.05, msg="the second once Amazon's token is back"
        )

    def test_the_budgets_own_refusal_keeps_what_is_saved_up(self):
        """Only Amazon's 429 empties the budget; the budget refusing a call
        itself (nothing sent) leaves its half token."""
        operation = "sellers.getMarketplaceParticipations"
        self.server.route("GET", PARTICIPATIONS_PATH, 200, PARTICIPATIONS)
        self.set_bucket(self.account.id, operation, rate=0.001, burst=1, tokens=0.5)
        self.server.requests.clear()
        with self.assertRaises(AmazonThrottled) as caught:
            self.account._spapi_call(operation)
        self.assertEqual(caught.exception.code, "ClientSideBudget")
        self.assertFalse(self.server.calls(PARTICIPATIONS_PATH))
        tokens = self.read_bucket(self.account.id, operation)[2]
        self.assertAlmostEqual(tokens, 0.5, delta=0.01)
