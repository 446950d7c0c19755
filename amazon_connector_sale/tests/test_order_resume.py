# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A backlog larger than Amazon's burst drains across runs, at Amazon's pace.

``searchOrders`` allows a burst of 20 requests, then one every 180 seconds: a
window of 2,500 orders (25 pages) cannot be read in one run.
"""

from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.amazon_connector.exceptions import (
    AmazonAuthError,
)

from .common import AmazonOrderCase, FakeAmazon, make_item, make_order, serving

PAGE = 100
SEARCH = "orders.searchOrders"


def paged_amazon(orders, budget=20, retry_after=180.0):
    """searchOrders over a fixed list of orders, with real pagination tokens.

    ``budget`` requests are answered, then every call is throttled (as Amazon's
    usage plan does after the burst) until the test refills it. ``reads[SEARCH]``
    counts how many times each page (by offset) was answered.
    """
    fake = FakeAmazon()
    fake.rows(
        SEARCH, orders, page_size=PAGE, token="paginationToken", fresh_tokens=True
    )
    fake.budget = budget
    fake.retry_after = retry_after
    return fake


def backlog(count):
    return [
        make_order(
            f"406-{n:07d}-0000001",
            items=[make_item(quantity=1)],
            updated="2026-03-02T08:00:00Z",
        )
        for n in range(1, count + 1)
    ]


@tagged("post_install", "-at_install")
class TestOrderResume(AmazonOrderCase):
    def setUp(self):
        super().setUp()
        self.schedule = self.account._sync_schedule("orders")

    def run_import(self, fake, in_worker=False):
        importer = self.env["amazon.order.importer"]
        if in_worker:
            importer = importer.with_context(amazon_sync_schedule_id=self.schedule.id)
        with self.amazon(fake):
            return importer._run(self.account)

    def amazon(self, fake):
        return serving(self.env, fake)

    def count_orders(self):
        return self.env["sale.order"].search_count(
            [("amazon_account_id", "=", self.account.id)]
        )

    def test_a_backlog_larger_than_one_burst_drains_across_runs_reading_no_page_twice(
        self,
    ):
        fake = paged_amazon(backlog(2500), budget=20)
        log = self.run_import(fake)
        self.assertEqual(log.state, "throttled", msg="the burst is spent")
        self.assertEqual(len(fake.reads[SEARCH]), 20)
        self.assertEqual(self.schedule.pages_done, 20, msg="position kept")
        self.assertFalse(self.account.order_cursor, msg="window not finished")
        fake.budget = 20  # an hour of refill later
        log = self.run_import(fake)
        self.assertEqual(log.state, "done")
        self.assertEqual(
            sorted(fake.reads[SEARCH]),
            list(range(0, 2500, PAGE)),
            msg="every page read",
        )
        self.assertEqual(
            max(fake.reads[SEARCH].values()),
            1,
            msg="no page read twice: %s" % fake.reads[SEARCH],
        )
        self.assertEqual(self.count_orders(), 2500, msg="each order once")
        self.assertEqual(
            fake.queries(SEARCH)[20]["lastUpdatedBefore"],
            fake.queries(SEARCH)[0]["lastUpdatedBefore"],
            msg="the second run finishes the first run's window",
        )
        self.assertEqual(self.account.order_cursor, datetime(2026, 3, 5, 11, 58))
        self.assertFalse(self.schedule.window_end, msg="window closed")

    def test_a_new_window_opens_only_after_the_open_one_is_finished(self):
        fake = paged_amazon(backlog(300), budget=2)
        self.run_import(fake)
        window_end = self.schedule.window_end
        self.assertTrue(window_end)
        fake.budget = 5
        with patch.object(
            type(self.env["amazon.order.importer"]),
            "_now",
            lambda s: datetime(2026, 3, 5, 14, 0, 0),
        ):
            self.run_import(fake)
        self.assertTrue(
            fake.queries(SEARCH)[2].get("paginationToken"), msg="third page next"
        )
        self.assertEqual(
            fake.queries(SEARCH)[2]["lastUpdatedBefore"],
            fake.queries(SEARCH)[0]["lastUpdatedBefore"],
            msg="the open window, not a new one",
        )
        self.assertEqual(self.account.order_cursor, window_end)
        self.assertEqual(max(fake.reads[SEARCH].values()), 1)

    def test_an_expired_token_restarts_the_window_from_its_start(self):
        fake = paged_amazon(backlog(300), budget=2)
        self.run_import(fake)
        fake.expired_tokens.add(self.schedule.page_token)
        fake.budget = 10
        log = self.run_import(fake)
        self.assertEqual(log.state, "done")
        self.assertIn(fake.queries(SEARCH)[3]["paginationToken"], fake.expired_tokens)
        self.assertFalse(
            fake.queries(SEARCH)[4].get("paginationToken"), msg="from the start"
        )
        self.assertEqual(fake.reads[SEARCH][0], 2, msg="the window's pages again")
        self.assertEqual(self.count_orders(), 300, msg="idempotent: each order once")

    def test_a_short_throttle_is_waited_in_the_worker_after_committing(self):
        fake = paged_amazon(backlog(300), budget=1, retry_after=30)
        waited = []

        def sleep(importer, seconds):
            self.assertTrue(self.commits, msg="committed before waiting")
            waited.append(seconds)
            fake.budget = 1

        with patch.object(type(self.env["amazon.order.importer"]), "_sleep", sleep):
            log = self.run_import(fake, in_worker=True)
        self.assertEqual(log.state, "done")
        self.assertEqual(waited, [30.0, 30.0], msg="Amazon's retry-after, twice")
        self.assertEqual(self.count_orders(), 300)
        self.assertEqual(max(fake.reads[SEARCH].values()), 1)

    def test_a_long_throttle_resumes_at_amazons_retry_time_by_a_trigger(self):
        fake = paged_amazon(backlog(300), budget=1, retry_after=600)
        now = datetime.now()
        log = self.run_import(fake, in_worker=True)
        self.assertEqual(log.state, "throttled")
        self.assertFalse(self.sleeps, msg="no long wait in the worker")
        retry_at = self.schedule.retry_at
        self.assertTrue(
            now + timedelta(seconds=600) <= retry_at <= now + timedelta(seconds=700),
            msg=f"resumes at Amazon's retry time, not at the next slot: {retry_at}",
        )
        trigger = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.schedule.cron_id.id)]
        )
        self.assertEqual(trigger.call_at, retry_at, msg="the account's action")
        self.assertIn(
            "resumes at %s" % retry_at.strftime("%Y-%m-%d %H:%M:%S"), log.message
        )
        fake.budget = 5
        self.assertEqual(self.schedule._has_work(), "scheduled", msg="window open")
        with self.amazon(fake):
            self.schedule._run_schedule()
        self.assertEqual(self.count_orders(), 300)
        self.assertEqual(max(fake.reads[SEARCH].values()), 1)

    @mute_logger("odoo.addons.amazon_connector.models.amazon_sync_schedule")
    def test_an_expired_authorization_reaches_the_responsible_user(self):
        responsible = self.env["res.users"].create(
            {"name": "Seller Boss", "login": "seller-boss-resume"}
        )
        self.account.write({"user_id": responsible.id, "auth_date": date(2024, 1, 1)})
        fake = paged_amazon(backlog(1))
        with self.amazon(fake):
            self.schedule._run_schedule(force_trigger="scheduled")
        self.assertFalse(fake.calls, msg="Amazon is not called")
        self.assertEqual(self.account.state, "expired")
        activity = self.account.activity_ids.filtered(
            lambda a: a.user_id == responsible
        )
        self.assertEqual(len(activity), 1, msg="the responsible is told")
        self.schedule._run_schedule(force_trigger="scheduled")
        self.assertEqual(len(self.account.activity_ids), 1, msg="once, not per run")

    @mute_logger("odoo.addons.amazon_connector.models.amazon_sync_schedule")
    def test_a_refused_authorization_mid_run_is_logged_and_reaches_the_user(self):
        refused = FakeAmazon()
        refused.errors["*"] = AmazonAuthError(
            "invalid_grant: revoked", code="invalid_grant"
        )
        with serving(self.env, refused):
            self.schedule._run_schedule(force_trigger="scheduled")
        self.assertEqual(self.account.state, "error")
        self.assertTrue(self.account.activity_ids, msg="the responsible is told")
        self.assertIn("revoked", self.account.activity_ids.note)


@tagged("post_install", "-at_install")
class TestOrderSchedule(AmazonOrderCase):
    def test_a_new_seller_account_syncs_its_orders_every_hour_once_connected(self):
        account = self.account.copy({"name": "Schedule default", "state": "draft"})
        self.assertTrue(account.orders_sync_active, msg="on by default")
        schedule = account._sync_schedule("orders")
        cron = schedule.cron_id
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "hours"))
        self.assertFalse(schedule._has_work(), msg="not before it is connected")
        account.state = "connected"
        self.assertEqual(schedule._has_work(), "scheduled")

    def test_a_vendor_account_never_runs_the_seller_order_import(self):
        vendor = self.account.copy({"name": "Vendor", "account_type": "vendor"})
        with patch.object(
            type(self.env["amazon.order.importer"]), "_run", autospec=True
        ) as run:
            vendor._run_scheduled_orders()
        run.assert_not_called()
