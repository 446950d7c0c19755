# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.tests import tagged

from odoo.addons.amazon_connector.exceptions import AmazonThrottled

from .common import AmazonStockCase, inventory_summary


@tagged("post_install", "-at_install")
class TestFbaInventory(AmazonStockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fba_location = cls.env["stock.location"].create(
            {"name": "Amazon FBA (test)", "usage": "internal"}
        )
        cls.account.fba_location_id = cls.fba_location
        cls._set_stock(cls.mug, 4, cls.fba_location)

    def fba_qty(self, product):
        return product.with_context(location=self.fba_location.id).qty_available

    def test_import_sets_fba_location_to_fulfillable_units_over_all_pages(self):
        self.fake.inventory_pages = [
            [inventory_summary("AMZ-MUG", 10)],
            [inventory_summary("AMZ-PLATE", 7, inbound=3)],
        ]
        self.account.action_import_fba_inventory()
        self.assertBodiesFitAmazonModels()
        self.assertEqual(self.fake.count("fbaInventory.getInventorySummaries"), 2)
        params = self.fake.params_of("fbaInventory.getInventorySummaries")[0]
        self.assertTrue(params["details"])
        self.assertEqual(params["granularityType"], "Marketplace")
        self.assertEqual(self.fba_qty(self.mug), 10, msg="4 in Odoo, 10 at Amazon")
        self.assertEqual(self.fba_qty(self.plate), 7, msg="inbound units don't count")
        self.assertEqual(
            self.mug.with_context(location=self.stock_location.id).qty_available,
            0,
            msg="only the FBA location is adjusted",
        )
        lines = self.env["amazon.fba.inventory"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(len(lines), 2)
        plate = lines.filtered(lambda line: line.sku == "AMZ-PLATE")
        self.assertEqual((plate.inbound_qty, plate.reserved_qty), (3, 1))
        self.assertEqual(plate.drift_qty, 0, msg="no drift right after an import")

    def test_the_update_time_keeps_amazons_utc_offset(self):
        summary = inventory_summary("AMZ-MUG", 10)
        summary["lastUpdatedTime"] = "2026-03-01T10:00:00.250+02:00"
        self.fake.inventory_pages = [[summary]]
        self.account.action_import_fba_inventory()
        line = self.env["amazon.fba.inventory"].search(
            [("account_id", "=", self.account.id), ("sku", "=", "AMZ-MUG")]
        )
        self.assertEqual(
            line.amazon_update_date,
            datetime(2026, 3, 1, 8, 0, 0, 250000),
            msg="in UTC, the offset applied and not cut off",
        )

    def test_drift_shows_what_moved_in_odoo_since_the_import(self):
        self.fake.inventory_pages = [[inventory_summary("AMZ-MUG", 10)]]
        self.account.action_import_fba_inventory()
        line = self.env["amazon.fba.inventory"].search([("sku", "=", "AMZ-MUG")])
        self._set_stock(self.mug, -3, self.fba_location)
        line.invalidate_recordset(["odoo_qty", "drift_qty"])
        self.assertEqual(line.odoo_qty, 7)
        self.assertEqual(line.drift_qty, 3, msg="Amazon 10, Odoo 7")

    def test_reimport_without_change_makes_no_new_adjustment(self):
        self.fake.inventory_pages = [[inventory_summary("AMZ-MUG", 10)]]
        self.account.action_import_fba_inventory()
        moves = self.env["stock.move"].search_count([("product_id", "=", self.mug.id)])
        self.account.action_import_fba_inventory()
        self.assertEqual(
            self.env["stock.move"].search_count([("product_id", "=", self.mug.id)]),
            moves,
        )

    def test_unknown_sku_is_kept_and_logged_without_stopping_the_import(self):
        self.fake.inventory_pages = [
            [inventory_summary("NOT-IN-ODOO", 5), inventory_summary("AMZ-MUG", 2)]
        ]
        self.account.action_import_fba_inventory()
        self.assertEqual(self.fba_qty(self.mug), 2)
        unknown = self.env["amazon.fba.inventory"].search([("sku", "=", "NOT-IN-ODOO")])
        self.assertTrue(unknown.error)
        log = self.env["amazon.sync.log"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "fba_inventory")],
            order="id desc",
            limit=1,
        )
        self.assertIn("NOT-IN-ODOO", log.line_ids.mapped("amazon_ref"))

    def test_a_throttled_import_resumes_at_the_next_page_and_applies_the_snapshot(
        self,
    ):
        """Resume exactly where it stopped: page 2 after page 1, not page 1 again;
        the quantities are applied once the whole snapshot is read."""
        self.fake.inventory_pages = [
            [inventory_summary("AMZ-MUG", 10)],
            [inventory_summary("AMZ-PLATE", 7)],
        ]
        real = self.fake._fbaInventory_getInventorySummaries
        throttled = []

        def throttle_page_two(account, **params):
            if params.get("nextToken") and not throttled:
                throttled.append(params["nextToken"])
                raise AmazonThrottled(retry_after=900)
            return real(account, **params)

        self.fake._fbaInventory_getInventorySummaries = throttle_page_two
        self.account.action_import_fba_inventory()
        log = self.account.sync_log_ids.filtered(
            lambda rec: rec.kind == "fba_inventory"
        )[:1]
        self.assertEqual(log.state, "throttled")
        schedule = self.account._sync_schedule("fba_inventory")
        self.assertEqual((schedule.page_token, schedule.pages_done), ("1", 1))
        self.assertEqual(self.fba_qty(self.mug), 4, msg="not applied half-read")

        self.account.action_import_fba_inventory()
        tokens = [
            params.get("nextToken")
            for params in self.fake.params_of("fbaInventory.getInventorySummaries")
        ]
        self.assertEqual(tokens, [None, "1", "1"], msg="page 1 read once")
        self.assertEqual(self.fba_qty(self.mug), 10, msg="page 1 of the first run")
        self.assertEqual(self.fba_qty(self.plate), 7)
        self.assertFalse(schedule.window_end, msg="the snapshot is closed")
