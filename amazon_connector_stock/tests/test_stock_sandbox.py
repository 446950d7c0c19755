# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The real python-amazon-sp-api client against the project's local sandbox."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.amazon_connector.tests.sandbox_support import (
    SandboxServer,
    sandbox_account_vals,
)
from odoo.addons.amazon_connector_sale.tests.common import make_item, make_order

IT = "APJ6JRA9NG5V4"


@tagged("post_install", "-at_install")
class TestStockSandbox(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.server = SandboxServer(port=0).start()
        cls.addClassCleanup(cls.server.stop)
        cls.server.state.feed_delay = 0.0
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.marketplace = cls.env.ref("amazon_connector.marketplace_it")
        cls.account = cls.env["amazon.account"].create(
            sandbox_account_vals(
                cls.server.base_url,
                cls.marketplace.id,
                name="Sandbox stock",
                active_marketplace_ids=[(6, 0, cls.marketplace.ids)],
                fbm_warehouse_id=cls.warehouse.id,
                order_auto_confirm=True,
                order_import_from_date=fields.Datetime.now() - timedelta(days=10),
            )
        )

    def setUp(self):
        super().setUp()
        Importer = type(self.env["amazon.order.importer"])
        self.startPatcher(patch.object(Importer, "_commit", lambda s: None))
        self.startPatcher(patch.object(Importer, "_sleep", lambda s, sec: None))
        self.server.state.reset()

    def _product(self, sku, qty=0):
        product = self.env["product.product"].create(
            {"name": sku, "default_code": sku, "is_storable": True}
        )
        if qty:
            self.env["stock.quant"]._update_available_quantity(
                product, self.warehouse.lot_stock_id, qty
            )
        return product

    def test_partial_delivery_and_backorder_of_imported_order_confirm_shipped_units(
        self,
    ):
        self._product("SBX-MUG", 10)
        self._product("SBX-PLATE", 10)
        created = (fields.Datetime.now() - timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        self.server.state.add_orders(
            [
                make_order(
                    order_id="405-7777777-0000001",
                    items=[
                        make_item("SBX-MUG", 3, "9.90", item_id="11111111111111"),
                        make_item("SBX-PLATE", 1, "5.00", item_id="22222222222222"),
                    ],
                    created=created,
                    updated=created,
                )
            ]
        )
        self.account.action_sync_orders()
        order = self.env["sale.order"].search(
            [("amazon_order_id", "=", "405-7777777-0000001")]
        )
        self.assertEqual(order.state, "sale", msg="imported and confirmed")
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = 1 if move.product_id.default_code == "SBX-MUG" else 0
            move.picked = True
        picking.carrier_tracking_ref = "TRACK-1"
        picking._action_done()
        backorder = picking.backorder_ids
        self.server.state.add_fault(
            {"operation": "confirmShipment", "status": 503, "count": 1}
        )
        confirmer = self.env["amazon.shipment.confirmer"]
        confirmer._cron_send_pending()
        self.assertEqual(picking.amazon_shipment_state, "failed")
        self.assertTrue(picking.amazon_shipment_error)
        picking.action_amazon_retry_shipment()
        self.assertEqual(picking.amazon_shipment_state, "sent", msg="retry succeeds")
        for move in backorder.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        backorder.carrier_tracking_ref = "TRACK-2"
        backorder._action_done()
        confirmer._cron_send_pending()
        self.assertEqual(backorder.amazon_shipment_state, "sent")
        confirmed = [
            {
                i["orderItemId"]: i["quantity"]
                for i in s["body"]["packageDetail"]["orderItems"]
            }
            for s in self.server.state.shipments
        ]
        self.assertEqual(
            confirmed,
            [{"11111111111111": 1}, {"11111111111111": 2, "22222222222222": 1}],
            msg="each delivery confirms exactly what it carried",
        )
        self.assertEqual(
            [
                s["body"]["packageDetail"]["trackingNumber"]
                for s in self.server.state.shipments
            ],
            ["TRACK-1", "TRACK-2"],
        )
        amazon_order = self.server.state.get_order("405-7777777-0000001")
        self.assertEqual(amazon_order["fulfillment"]["fulfillmentStatus"], "SHIPPED")

    def test_push_of_1000_skus_leaves_the_sandbox_with_odoo_quantities(self):
        skus = [f"SBX-{i:04d}" for i in range(1000)]
        self.server.state.add_listings(
            [{"sku": sku, "marketplaceId": IT, "quantity": 0} for sku in skus]
        )
        Listing = self.env["amazon.listing"]
        expected = {}
        for i, sku in enumerate(skus):
            product = self._product(sku, i % 23)
            Listing.create(
                {
                    "account_id": self.account.id,
                    "marketplace_id": self.marketplace.id,
                    "product_id": product.id,
                    "sku": sku,
                    "state": "active",
                }
            )
            expected[sku] = i % 23
        ghost = Listing.create(
            {
                "account_id": self.account.id,
                "marketplace_id": self.marketplace.id,
                "product_id": self._product("SBX-GHOST", 4).id,
                "sku": "SBX-GHOST",
                "state": "active",
            }
        )
        self.account.action_push_stock()
        held = {
            listing["sku"]: listing["quantity"]
            for listing in self.server.state.list_listings()
            if listing["marketplaceId"] == IT
        }
        self.assertEqual(held, expected, msg="Amazon holds Odoo's quantities")
        self.assertIn("SBX-GHOST", ghost.stock_error or "", msg="per-SKU feed error")
        self.assertEqual(len(self.server.state.request_log("createFeed")), 1)
        self.assertEqual(len(self.server.state.request_log("patchListingsItem")), 0)
        before = len(self.server.state.request_log())
        self.account.action_push_stock()
        self.assertEqual(
            self.server.state.request_log()[before:],
            [],
            msg="a second push without changes sends nothing",
        )
