# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Browser test: a manual sync runs in the background and its progress appears
live in Chromium (Odoo's bus), page by page, until it finishes.

The test plays Odoo's cron worker in a thread: it runs the account's scheduled
action once the button has triggered it. Between two pages, where a real run
commits, it lets the browser's requests in (an HttpCase shares one transaction
between the test and the browser, serialized by a lock) and has the bus deliver
what the run sent so far, as a commit would.
"""

import logging
import threading
import time
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.amazon_connector.tests.common import AmazonCase
from odoo.addons.bus.models.bus import dispatch
from odoo.addons.bus.websocket import Websocket, WebsocketConnectionHandler

from .common import StockAmazonMixin, inventory_summary

IT = "APJ6JRA9NG5V4"

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestSyncProgressTour(StockAmazonMixin, AmazonCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's bus tests do the same: websockets are off in tests by default.
        cls.startClassPatcher(
            patch.object(
                WebsocketConnectionHandler, "websocket_allowed", return_value=True
            )
        )
        marketplace = cls.env["amazon.marketplace"].search(
            [("marketplace_id", "=", IT)], limit=1
        )
        location = cls.env["stock.location"].create(
            {"name": "Amazon FBA (tour)", "usage": "internal"}
        )
        cls.account = cls.env["amazon.account"].create(
            {
                "name": "Live progress account",
                "account_type": "seller",
                "region": "eu",
                "seller_id": "A1LIVEPROGRESS",
                "home_marketplace_id": marketplace.id,
                "active_marketplace_ids": [(6, 0, marketplace.ids)],
                "state": "connected",
                "fba_location_id": location.id,
            }
        )
        for sku in ("LIVE-MUG", "LIVE-PLATE"):
            cls.env["product.product"].create(
                {"name": sku, "default_code": sku, "is_storable": True}
            )
        new_test_user(
            cls.env,
            login="amazon_progress_manager",
            groups="base.group_user,amazon_connector.amazon_connector_group_manager,"
            "stock.group_stock_user",
        )

    def setUp(self):
        super().setUp()
        self.serve_stock_amazon()
        self.inventory_pages = [
            [inventory_summary("LIVE-MUG", 10)],
            [inventory_summary("LIVE-PLATE", 7)],
        ]
        self.dispatched = threading.Event()
        original = Websocket._dispatch_bus_notifications

        def dispatch_and_tell(websocket, *args):
            original(websocket, *args)
            self.dispatched.set()

        self.startPatcher(
            patch.object(Websocket, "_dispatch_bus_notifications", dispatch_and_tell)
        )
        Schedule = type(self.env["amazon.sync.schedule"])
        page_done = Schedule._page_done
        test = self

        def page_done_then_deliver(schedule, next_token, stats=None):
            page_done(schedule, next_token, stats)
            if next_token and threading.current_thread() is test.worker:
                test.deliver(schedule.env.cr, hold=True)

        self.startPatcher(patch.object(Schedule, "_page_done", page_done_then_deliver))
        self.worker = threading.Thread(target=self.play_cron_worker, daemon=True)
        self.worker_error = []

    def deliver(self, cr=None, hold=False):
        """What a commit does for the bus: write the messages (on ``cr``) and
        wake the websockets; with ``hold``, the run's transaction stays open
        meanwhile, its lock released for the websocket and the browser."""
        if cr is not None:
            cr.precommit.run()
        self.dispatched.clear()
        lock = cr._lock if hold else None
        if lock:
            lock.release()  # let the browser's requests in, as a commit would
        try:
            for websockets in list(dispatch._channels_to_ws.values()):
                for websocket in list(websockets):
                    websocket.trigger_notification_dispatching()
            _logger.info("Cron worker: bus messages dispatched")
            self.dispatched.wait(10)
            time.sleep(2)  # the browser shows it
        finally:
            if lock:
                lock.acquire()

    def play_cron_worker(self):
        """Odoo's cron worker: run the account's action once it is triggered."""
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    account = env["amazon.account"].browse(self.account.id)
                    schedule = account._sync_schedule("fba_inventory")
                    if schedule.manual_user_id:
                        _logger.info("Cron worker: the import was triggered")
                        env["amazon.sync.schedule"]._cron_run_schedule(schedule.id)
                        cr.precommit.run()
                        _logger.info("Cron worker: the import ended")
                        ran = True
                    else:
                        ran = False
                if ran:
                    self.deliver()  # the end of the run, once its cursor is closed
                    return
                time.sleep(0.3)
            self.worker_error.append("the button never triggered the action")
        except Exception as error:  # reported by the test
            _logger.exception("Cron worker failed")
            self.worker_error.append(repr(error))

    def test_a_manual_sync_runs_in_the_background_with_live_progress(self):
        self.worker.start()
        self.start_tour(
            "/odoo/action-amazon_connector.amazon_account_action",
            "amazon_connector_stock_sync_progress",
            login="amazon_progress_manager",
            timeout=120,
        )
        self.worker.join(30)
        self.assertFalse(self.worker_error, msg="; ".join(self.worker_error))
        log = self.account.sync_log_ids.filtered(
            lambda rec: rec.kind == "fba_inventory"
        )
        self.assertEqual((log.trigger, log.state), ("manual", "done"))
        self.assertEqual(log.fetched, 2)
