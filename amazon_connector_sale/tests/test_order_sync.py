# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.amazon_connector.exceptions import (
    AmazonServerError,
    AmazonThrottled,
)

from .common import AmazonOrderCase, make_item, make_order


def orders(start, count, **kw):
    return [
        make_order(f"405-{n:07d}-0000001", **kw) for n in range(start, start + count)
    ]


@tagged("post_install", "-at_install")
class TestOrderSync(AmazonOrderCase):
    def test_pages_are_followed_and_committed_one_by_one(self):
        log, fake = self.sync([orders(1, 3), orders(4, 2)])
        calls = fake.queries("orders.searchOrders")
        self.assertEqual(len(calls), 2)
        self.assertTrue(calls[1]["paginationToken"])
        self.assertEqual(log.created, 5)
        self.assertGreaterEqual(len(self.commits), 2, msg="commit per page")

    def test_cursor_moves_to_window_end_with_overlap_on_next_run(self):
        self.sync([orders(1, 1)])
        self.assertEqual(self.account.order_cursor, datetime(2026, 3, 5, 11, 58))
        _log, fake = self.sync([[]])
        self.assertEqual(
            fake.queries("orders.searchOrders")[0]["lastUpdatedAfter"],
            "2026-03-05T11:43:00Z",
            msg="15 minutes of overlap",
        )
        self.assertEqual(
            fake.queries("orders.searchOrders")[0]["lastUpdatedBefore"],
            "2026-03-05T11:58:00Z",
        )

    def test_first_run_starts_at_the_configured_date(self):
        _log, fake = self.sync([[]])
        self.assertEqual(
            fake.queries("orders.searchOrders")[0]["lastUpdatedAfter"],
            "2026-02-28T23:45:00Z",
        )

    def test_failed_order_is_kept_and_cursor_never_passes_it(self):
        bad = make_order(
            "405-9999999-0000001",
            items=[make_item(sku="NOPE")],
            updated="2026-03-02T10:00:00Z",
        )
        log, _fake = self.sync([[bad] + orders(1, 2)])
        self.assertEqual(log.created, 2)
        self.assertEqual(log.state, "partial")
        failure = self.env["amazon.order.failure"].search([])
        self.assertEqual(failure.amazon_order_id, "405-9999999-0000001")
        self.assertIn('"orderId": "405-9999999-0000001"', failure.payload)
        self.assertEqual(
            self.account.order_cursor,
            datetime(2026, 3, 2, 10, 0),
            msg="cursor stops at the failed order",
        )

    def test_failed_order_is_retried_on_next_run_until_it_imports(self):
        bad = make_order("405-9999999-0000001", items=[make_item(sku="LATER")])
        self.sync([[bad]])
        failure = self.env["amazon.order.failure"].search([])
        self.sync([[]])
        self.assertEqual(failure.retry_count, 1, msg="retried on the next run")
        self.product2.default_code = "LATER"
        log, _fake = self.sync([[]])
        self.assertEqual(failure.state, "done")
        self.assertTrue(self.find_order("405-9999999-0000001"))
        self.assertEqual(self.account.order_cursor, datetime(2026, 3, 5, 11, 58))

    def test_retry_button_imports_a_fixed_failure(self):
        self.sync([[make_order(items=[make_item(sku="LATER")])]])
        failure = self.env["amazon.order.failure"].search([])
        self.product2.default_code = "LATER"
        failure.action_retry()
        self.assertEqual(failure.state, "done")
        self.assertEqual(failure.sale_order_id, self.find_order("405-0000001-0000001"))

    def test_dismissed_failure_no_longer_holds_the_cursor(self):
        self.sync([[make_order(items=[make_item(sku="NOPE")])]])
        self.env["amazon.order.failure"].search([]).action_dismiss()
        self.sync([[]])
        self.assertEqual(self.account.order_cursor, datetime(2026, 3, 5, 11, 58))

    def test_throttled_sync_stops_cleanly_and_resumes(self):
        log, _fake = self.sync([orders(1, 2), AmazonThrottled(retry_after=60)])
        self.assertEqual(log.state, "throttled")
        self.assertEqual(
            len(
                self.env["sale.order"].search(
                    [("amazon_account_id", "=", self.account.id)]
                )
            ),
            2,
        )
        self.assertFalse(self.account.order_cursor, msg="cursor where it was")
        log, _fake = self.sync([orders(1, 2), orders(3, 1)])
        self.assertEqual(log.created, 1, msg="resumes; nothing twice")
        self.assertEqual(log.state, "done")

    def test_server_error_on_a_page_is_retried_a_bounded_number_of_times(self):
        log, fake = self.sync([AmazonServerError("503"), orders(1, 1)])
        self.assertEqual(log.created, 1)
        self.assertEqual(len(self.sleeps), 1)
        log, fake = self.sync([AmazonServerError("500")] * 5)
        self.assertEqual(
            len(fake.queries("orders.searchOrders")), 3, msg="bounded retries"
        )
        self.assertEqual(log.state, "failed")

    def test_malformed_page_is_treated_as_a_server_error(self):
        with self.fake_amazon() as fake:
            answers = iter([{"orders": "garbage"}, {"orders": orders(1, 1)}])
            fake.serve("orders.searchOrders", lambda operation, params: next(answers))
            log = self.env["amazon.order.importer"]._run(self.account)
        self.assertEqual(log.created, 1)

    def test_hostile_payloads_end_as_orders_or_failures(self):
        hostile = [
            {},
            {"orderId": 12},
            "not an order",
            make_order("405-H000001-0000001", items="x"),
            make_order("405-H000002-0000001", items=[make_item(quantity=-1)]),
            make_order("405-H000003-0000001", items=[make_item(unit="NaN")]),
            make_order("405-H000004-0000001", items=[make_item(unit="1e30")]),
            make_order("405-H000005-0000001", grand_total="abc"),
            make_order("405-H000006-0000001", marketplace="NOWHERE"),
            make_order("405-H000007-0000001", created="yesterday"),
            make_order("405-H000008-0000001", address="string"),
            make_order("405-H000009-0000001", items=[{"orderItemId": "1"}]),
            make_order("405-H000010-0000001", buyer_name=["list"]),
        ]
        log, _fake = self.sync([hostile + orders(1, 1)])
        self.assertEqual(log.created + log.failed, len(hostile) + 1)
        self.assertEqual(log.created, 3, msg="the valid one and the ones data allow")
        for failure in self.env["amazon.order.failure"].search([]):
            self.assertTrue(failure.error and "Traceback" not in failure.error)

    def test_sync_orders_button_returns_a_summary_with_a_link_to_the_log(self):
        with self.fake_amazon([orders(1, 2)]):
            action = self.account.action_sync_orders()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("2 created", action["params"]["message"])
        self.assertIn("amazon.sync.log", action["params"]["links"][0]["url"])

    def test_scheduled_job_imports_due_accounts_and_moves_next_run(self):
        self.account.write(
            {
                "orders_sync_active": True,
                "orders_interval_number": 2,
                "orders_interval_type": "hours",
            }
        )
        with self.fake_amazon([orders(1, 1)]):
            self.env["amazon.account"]._cron_run_due("orders")
        self.assertTrue(self.find_order("405-0000001-0000001"))
        self.assertTrue(self.account.orders_next_run)
        log = self.env["amazon.sync.log"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "orders")]
        )
        self.assertEqual(log.trigger, "scheduled")

    def test_busy_lock_stops_a_scheduled_run_quietly(self):
        from unittest.mock import patch

        from odoo.exceptions import UserError

        from odoo.addons.amazon_connector.exceptions import AmazonSyncRunning

        class Busy:
            """What _sync_lock does while another worker holds the lock."""

            def __init__(self, account):
                self.account = account

            def __enter__(self):
                raise AmazonSyncRunning(
                    self.account.env._(
                        "a sync of this account is already running since 10:00"
                    )
                )

            def __exit__(self, *exc_info):
                return False

        def busy(account, kind):
            return Busy(account)

        with (
            patch.object(type(self.account), "_sync_lock", busy),
            self.fake_amazon() as fk,
        ):
            self.account._run_scheduled_orders()
            with self.assertRaisesRegex(UserError, "already running since"):
                self.account.action_sync_orders()
        self.assertFalse(fk.calls, msg="nothing fetched while another sync runs")
