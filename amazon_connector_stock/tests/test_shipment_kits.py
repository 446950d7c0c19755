# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shipment confirmations of kits (``mrp``): Amazon is told kits, not components.

These tests need ``sale_mrp``, which the connector does not depend on:
``./setup/test`` runs them on a database of their own where it is installed (the
``kits`` suite), and leaves them out of the main run (tag ``amazon_kits``).
"""

from odoo import Command
from odoo.tests import tagged

from .common import AmazonStockCase


@tagged("post_install", "-at_install", "amazon_kits")
class TestShipmentKits(AmazonStockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_stock(cls.mug, 50)
        cls._set_stock(cls.plate, 50)
        # A breakfast set: two mugs and a plate, delivered as its components.
        cls.kit = cls._make_product("Breakfast set", "AMZ-SET", is_storable=False)
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.kit.product_tmpl_id.id,
                "type": "phantom",
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": cls.mug.id, "product_qty": 2}),
                    Command.create({"product_id": cls.plate.id, "product_qty": 1}),
                ],
            }
        )
        cls.confirmer = cls.env["amazon.shipment.confirmer"]

    def shipped_items(self):
        packages = self.shipments["405-1234567-1234567"]
        return [
            sorted((i["orderItemId"], i["quantity"]) for i in p["orderItems"])
            for p in packages
        ]

    def test_a_kit_is_confirmed_as_the_kits_shipped_not_its_components(self):
        order = self.make_fbm_order(
            [(self.kit, 3, "ITEM-SET"), (self.mug, 1, "ITEM-MUG")]
        )
        picking = order.picking_ids
        self.assertEqual(
            set(picking.move_ids.product_id.mapped("default_code")),
            {"AMZ-MUG", "AMZ-PLATE"},
            msg="Odoo delivers the kit as its components",
        )
        self.ship(picking, tracking="KIT-1")
        self.confirmer._cron_send_pending()
        self.assertBodiesFitAmazonModels()
        self.assertEqual(picking.amazon_shipment_state, "sent")
        self.assertEqual(
            self.shipped_items(),
            [[("ITEM-MUG", 1), ("ITEM-SET", 3)]],
            msg="3 sets and the mug sold alone, not 7 mugs and 3 plates",
        )

    def test_partial_kit_deliveries_confirm_whole_kits_and_add_up(self):
        order = self.make_fbm_order([(self.kit, 3, "ITEM-SET")])
        first = order.picking_ids
        kit_moves = first.move_ids
        mug_move = kit_moves.filtered(lambda m: m.product_id == self.mug)
        self.assertEqual(mug_move.product_uom_qty, 6)
        # 3 mugs and every plate: one whole set (a second needs a fourth mug).
        backorder = self.ship(first, {self.mug: 3, self.plate: 3}, tracking="K-1")
        self.assertTrue(backorder, "a backorder holds the other mugs")
        self.confirmer._cron_send_pending()
        # The backorder holds only mugs: they complete the two other sets.
        self.assertEqual(backorder.move_ids.product_id, self.mug)
        self.ship(backorder, tracking="K-2")
        self.confirmer._cron_send_pending()
        self.assertBodiesFitAmazonModels()
        self.assertEqual(
            self.shipped_items(),
            [[("ITEM-SET", 1)], [("ITEM-SET", 2)]],
            msg="each delivery confirms the sets it completed; together, the 3 sold",
        )
        line = order.order_line.filtered(lambda ln: ln.product_id == self.kit)
        self.assertEqual(line.qty_delivered, 3, msg="as Odoo counts them too")
