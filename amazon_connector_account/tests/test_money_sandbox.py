# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Orders, refunds and returns through the real python-amazon-sp-api client
against the project's local sandbox."""

from datetime import timedelta
from unittest.mock import patch

import httpx

from odoo import fields
from odoo.tests import tagged

from odoo.addons.amazon_connector.tests.sandbox_support import (
    SandboxServer,
    sandbox_account_vals,
)

from .common import IT, ItalianCompanyCase, make_item


@tagged("post_install", "-at_install", "amazon_accounting")
class TestMoneySandbox(ItalianCompanyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SandboxServer(port=0).start()
        cls.addClassCleanup(cls.server.stop)
        cls.server.state.feed_delay = 0.0
        cls.account.write(
            sandbox_account_vals(
                cls.server.base_url,
                cls.account.home_marketplace_id.id,
                name="Sandbox accounting",
                order_import_from_date=fields.Datetime.now() - timedelta(days=10),
                refund_import_active=True,
                return_import_active=True,
            )
        )

    def setUp(self):
        super().setUp()
        Importer = type(self.env["amazon.order.importer"])
        self.startPatcher(patch.object(Importer, "_commit", lambda s: None))
        self.startPatcher(patch.object(Importer, "_sleep", lambda s, sec: None))
        self.server.state.reset()

    def control(self, name, body):
        res = httpx.post(f"{self.server.base_url}/_sandbox/{name}", json=body)
        self.assertEqual(res.status_code, 201, res.text)
        return res.json()

    def test_order_refund_and_return_from_the_sandbox_end_in_the_books_and_stock(
        self,
    ):
        created = (fields.Datetime.now() - timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        payload = self.order_payload(
            "405-1515151-0000001",
            items=[
                make_item(sku="CUP-1", quantity=2, unit="12.20", shipping="4.88"),
            ],
        )
        payload.update(createdTime=created, lastUpdatedTime=created)
        payload["salesChannel"]["marketplaceId"] = IT
        self.server.state.add_orders([payload])
        self.account.action_sync_orders()
        order = self.env["sale.order"].search(
            [("amazon_order_id", "=", "405-1515151-0000001")]
        )
        self.assertEqual(order.state, "sale")
        self.ship(order)
        invoice = self.invoice_of(order)
        self.assertAlmostEqual(invoice.amount_total, 29.28, places=2)

        self.control(
            "refunds",
            {
                "orderId": order.amazon_order_id,
                "items": [{"sku": "CUP-1", "quantity": 1}],
            },
        )
        self.account.action_amazon_import_refunds()
        self.account.action_amazon_import_refunds()
        credit = self.env["account.move"].search(
            [("reversed_entry_id", "=", invoice.id)]
        )
        self.assertEqual(len(credit), 1, msg="once, though read twice")
        self.assertAlmostEqual(credit.amount_total, 12.20, places=2)
        calls = self.server.state.request_log("listTransactions")
        self.assertTrue(calls, msg="read with listTransactions")
        self.assertTrue(
            all("postedAfter" in call["query"] for call in calls),
            msg="by posting window, never one call per order",
        )

        stock = self.warehouse.lot_stock_id
        before = self.product.with_context(location=stock.id).qty_available
        self.control(
            "returns", {"orderId": order.amazon_order_id, "sku": "CUP-1", "quantity": 1}
        )
        self.account.action_amazon_import_returns()  # requests the reports
        self.account.action_amazon_import_returns()  # reads them
        ret = self.env["amazon.return"].search(
            [("amazon_order_id", "=", order.amazon_order_id)]
        )
        self.assertEqual(ret.state, "done", msg=ret.message)
        self.assertEqual(
            self.product.with_context(location=stock.id).qty_available, before + 1
        )
