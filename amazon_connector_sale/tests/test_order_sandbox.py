# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The real python-amazon-sp-api client against the project's local sandbox."""

from datetime import timedelta
from decimal import Decimal
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.amazon_connector.tests.sandbox_support import (
    SandboxServer,
    default_skus,
    sandbox_account_vals,
)

IMPORTED = {"UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"}


@tagged("post_install", "-at_install")
class TestOrderSandbox(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SandboxServer(port=0).start()
        cls.addClassCleanup(cls.server.stop)
        for sku in default_skus():
            cls.env["product.product"].create(
                {"name": sku, "default_code": sku, "is_storable": True}
            )
        marketplaces = cls.env.ref("amazon_connector.marketplace_it") | cls.env.ref(
            "amazon_connector.marketplace_de"
        )
        cls.account = cls.env["amazon.account"].create(
            sandbox_account_vals(
                cls.server.base_url,
                marketplaces[0].id,
                active_marketplace_ids=[(6, 0, marketplaces.ids)],
                order_import_from_date=fields.Datetime.now() - timedelta(days=10),
            )
        )

    def setUp(self):
        super().setUp()
        Importer = type(self.env["amazon.order.importer"])
        self.startPatcher(patch.object(Importer, "_commit", lambda s: None))
        self.startPatcher(patch.object(Importer, "_sleep", lambda s, sec: None))

    def test_sync_of_generated_orders_imports_each_once_with_amazon_totals(self):
        generated = self.server.state.generate_orders(
            40, seed=4, countries=["IT", "DE"]
        )
        expected = {
            o["orderId"]: o
            for o in generated
            if o["fulfillment"]["fulfillmentStatus"] in IMPORTED
        }
        self.assertGreater(len(expected), 10, msg="the sandbox generated orders")
        self.account.action_sync_orders()
        self.account.action_sync_orders()
        orders = self.env["sale.order"].search(
            [("amazon_account_id", "=", self.account.id)]
        )
        self.assertEqual(
            sorted(orders.mapped("amazon_order_id")),
            sorted(expected),
            msg="every importable order exactly once",
        )
        for order in orders:
            amazon = expected[order.amazon_order_id]
            total = Decimal(amazon["proceeds"]["grandTotal"]["amount"])
            self.assertAlmostEqual(
                order.amount_total,
                float(total),
                places=2,
                msg=f"{order.amazon_order_id}: Odoo total equals Amazon's",
            )
        logs = self.env["amazon.sync.log"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "orders")]
        )
        self.assertEqual(len(logs), 2)
        self.assertTrue(all(log.state == "done" for log in logs))
