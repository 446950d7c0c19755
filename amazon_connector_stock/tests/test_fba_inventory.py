# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.amazon_connector.exceptions import AmazonThrottled
from odoo.addons.amazon_connector_sale.tests.common import make_item, make_order

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
        self.inventory_pages = [
            [inventory_summary("AMZ-MUG", 10)],
            [inventory_summary("AMZ-PLATE", 7, inbound=3)],
        ]
        self.account.action_import_fba_inventory()
        self.assertBodiesFitAmazonModels()
        self.assertEqual(self.fake.count("fbaInventory.getInventorySummaries"), 2)
        params = self.fake.queries("fbaInventory.getInventorySummaries")[0]
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
        self.inventory_pages = [[summary]]
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
        self.inventory_pages = [[inventory_summary("AMZ-MUG", 10)]]
        self.account.action_import_fba_inventory()
        line = self.env["amazon.fba.inventory"].search([("sku", "=", "AMZ-MUG")])
        self._set_stock(self.mug, -3, self.fba_location)
        line.invalidate_recordset(["odoo_qty", "drift_qty"])
        self.assertEqual(line.odoo_qty, 7)
        self.assertEqual(line.drift_qty, 3, msg="Amazon 10, Odoo 7")

    def test_reimport_without_change_makes_no_new_adjustment(self):
        self.inventory_pages = [[inventory_summary("AMZ-MUG", 10)]]
        self.account.action_import_fba_inventory()
        moves = self.env["stock.move"].search_count([("product_id", "=", self.mug.id)])
        self.account.action_import_fba_inventory()
        self.assertEqual(
            self.env["stock.move"].search_count([("product_id", "=", self.mug.id)]),
            moves,
        )

    def test_unknown_sku_is_kept_and_logged_without_stopping_the_import(self):
        self.inventory_pages = [
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
        self.inventory_pages = [
            [inventory_summary("AMZ-MUG", 10)],
            [inventory_summary("AMZ-PLATE", 7)],
        ]
        real = self.fake.handlers["fbaInventory.getInventorySummaries"]
        throttled = []

        def throttle_page_two(operation, params):
            if params.get("nextToken") and not throttled:
                throttled.append(params["nextToken"])
                raise AmazonThrottled(retry_after=900)
            return real(operation, params)

        self.fake.serve("fbaInventory.getInventorySummaries", throttle_page_two)
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
            for params in self.fake.queries("fbaInventory.getInventorySummaries")
        ]
        self.assertEqual(tokens, [None, "1", "1"], msg="page 1 read once")
        self.assertEqual(self.fba_qty(self.mug), 10, msg="page 1 of the first run")
        self.assertEqual(self.fba_qty(self.plate), 7)
        self.assertFalse(schedule.window_end, msg="the snapshot is closed")


@tagged("post_install", "-at_install")
class TestFbaStockRule(AmazonStockCase):
    """Amazon's FBA inventory is the truth as of when it was read; FBA orders
    dated after it move the FBA location on top, those dated before are in it.
    Every order of events ends with the same count: Amazon's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fba_location = cls.env["stock.location"].create(
            {"name": "Amazon FBA (rule)", "usage": "internal"}
        )
        cls.account.write(
            {
                "fba_location_id": cls.fba_location.id,
                "fba_warehouse_id": cls.warehouse.id,
                "order_import_fba": True,
            }
        )
        cls._set_stock(cls.mug, 4, cls.fba_location)

    def fba_qty(self):
        return self.mug.with_context(location=self.fba_location.id).qty_available

    def snapshot(self, fulfillable, read_at):
        """Amazon's FBA inventory says ``fulfillable`` mugs, read at ``read_at``."""
        self.inventory_pages = [[inventory_summary("AMZ-MUG", fulfillable)]]
        Importer = type(self.env["amazon.fba.inventory.importer"])
        original = Importer._prepare_inventory_vals

        def prepare(importer, summary):
            return dict(original(importer, summary), import_date=read_at)

        with patch.object(Importer, "_prepare_inventory_vals", prepare):
            self.account.action_import_fba_inventory()

    def fba_order(self, order_id, placed):
        """An FBA order of one mug placed at ``placed`` (an ISO time)."""
        order = make_order(
            order_id=order_id,
            items=[make_item(sku="AMZ-MUG", quantity=1, unit="10.00")],
            status="SHIPPED",
            fulfilled_by="AMAZON",
            created=placed,
            updated=placed,
        )
        results = self.env["amazon.order.importer"]._import_orders(
            self.account, [order]
        )
        sale_order = results[0][1]
        line = sale_order.order_line.filtered(lambda ln: ln.product_id == self.mug)
        self.assertEqual(line.qty_delivered, 1, msg=f"{order_id} is delivered")
        return sale_order

    def adjustments(self):
        return self.env["stock.move"].search_count(
            [("product_id", "=", self.mug.id), ("is_inventory", "=", True)]
        )

    def test_order_then_snapshot_that_counts_it(self):
        self.fba_order("405-0000001-0000001", "2026-03-05T10:00:00Z")
        self.assertEqual(self.fba_qty(), 3)
        self.snapshot(3, datetime(2026, 3, 10))
        self.assertEqual(self.fba_qty(), 3, msg="Amazon's 3 already lack the order")

    def test_snapshot_then_order_placed_after_it(self):
        self.snapshot(10, datetime(2026, 3, 10))
        self.assertEqual(self.fba_qty(), 10)
        self.fba_order("405-0000002-0000001", "2026-03-12T10:00:00Z")
        self.assertEqual(self.fba_qty(), 9, msg="placed after the count: on top")

    def test_snapshot_then_late_order_placed_before_it(self):
        self.snapshot(10, datetime(2026, 3, 10))
        sale_order = self.fba_order("405-0000003-0000001", "2026-03-05T10:00:00Z")
        self.assertEqual(
            self.fba_qty(),
            10,
            msg="Amazon's count of the 10th lacks the order of the 5th",
        )
        delivery = sale_order.picking_ids.move_ids
        back = self.env["stock.move"].search(
            [
                ("product_id", "=", self.mug.id),
                ("location_dest_id", "=", self.fba_location.id),
                ("origin", "=", delivery.origin),
                ("id", ">", delivery.id),
            ]
        )
        self.assertEqual((back.state, back.quantity), ("done", 1.0))
        self.assertEqual(delivery.amazon_fba_date, datetime(2026, 3, 5, 10, 0))
        # The count of the 1st, imported late, had the unit: the order is on top.
        self.snapshot(11, datetime(2026, 3, 1))
        self.assertEqual(self.fba_qty(), 10)

    def test_order_recorded_before_a_snapshot_read_earlier_stays_out(self):
        self.fba_order("405-0000004-0000001", "2026-03-12T10:00:00Z")
        self.assertEqual(self.fba_qty(), 3)
        self.snapshot(10, datetime(2026, 3, 10))
        self.assertEqual(
            self.fba_qty(), 9, msg="Amazon's 10 of the 10th, less the order of the 12th"
        )

    def test_same_snapshot_twice_neither_undoes_an_order_nor_adjusts_again(self):
        self.snapshot(10, datetime(2026, 3, 10))
        self.fba_order("405-0000005-0000001", "2026-03-12T10:00:00Z")
        self.assertEqual(self.fba_qty(), 9)
        adjustments = self.adjustments()
        self.snapshot(10, datetime(2026, 3, 10))
        self.assertEqual(self.fba_qty(), 9)
        self.assertEqual(self.adjustments(), adjustments, msg="nothing to adjust")
        self.snapshot(9, datetime(2026, 3, 13))
        self.assertEqual(self.fba_qty(), 9)
        self.assertEqual(self.adjustments(), adjustments)

    def test_each_account_delivers_fba_orders_to_its_own_buyers_location(self):
        """Two accounts delivering the same product at the same time must not
        update one stock row of Odoo's customers location."""
        sale_order = self.fba_order("405-0000006-0000001", "2026-03-12T10:00:00Z")
        buyers = self.account.fba_customer_location_id
        self.assertEqual(sale_order.picking_ids.location_dest_id, buyers)
        self.assertEqual(buyers.usage, "customer")
        self.assertEqual(
            buyers.location_id, self.env.ref("stock.stock_location_customers")
        )
        other = self.env["amazon.account"].create(
            {
                "name": "Stock DE",
                "company_id": self.company.id,
                "account_type": "seller",
                "region": "eu",
                "seller_id": "A1OTHERSELLER",
            }
        )
        self.assertTrue(other.fba_customer_location_id)
        self.assertNotEqual(other.fba_customer_location_id, buyers)
