# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One poisoned order never stops an import (issue 11, section 2)."""

from odoo.tests import tagged

from .common import AmazonOrderCase, AmazonVendorCase, df_example, make_item, make_order


@tagged("post_install", "-at_install")
class TestPoisonedSellerOrders(AmazonOrderCase):
    def good_orders(self, count):
        return [
            make_order(order_id=f"405-0000001-{index:07d}", email=f"b{index}@x.it")
            for index in range(count)
        ]

    def test_a_nul_byte_in_an_order_id_fails_that_order_only(self):
        poisoned = make_order(order_id="405-0000001-\x009999999", email="p@x.it")
        log, _fake = self.sync([[poisoned, *self.good_orders(4)]])
        self.assertEqual(log.state, "partial", msg=log.message)
        self.assertEqual((log.created, log.failed), (4, 1))
        failure = self.env["amazon.order.failure"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(len(failure), 1)
        self.assertTrue(
            failure.amazon_order_id.startswith("unknown-"), msg="a readable digest"
        )
        self.assertNotIn("\x00", failure.error)
        self.assertIn("control", failure.error, msg="a reason in words")
        again, _fake = self.sync([[poisoned]])
        self.assertIn(again.state, ("failed", "partial"), msg="not blocked")
        self.assertEqual(again.cursor_after, log.cursor_after or again.cursor_after)
        self.assertEqual(
            self.env["amazon.order.failure"].search_count(
                [("account_id", "=", self.account.id)]
            ),
            1,
            msg="the same poisoned id finds the same failure",
        )

    def test_nul_and_control_characters_elsewhere_never_reach_the_database(self):
        order = make_order(
            order_id="405-0000001-0000042",
            buyer_name="Mario\x00 Rossi\x07",
            items=[make_item(title="Mug\x00\x1b[31m")],
        )
        order["recipient"]["deliveryAddress"]["addressLine1"] = "Via\x00 Roma\ud800 1"
        log, _fake = self.sync([[order]])
        self.assertEqual(
            (log.created, log.failed), (1, 0), msg=log.line_ids.mapped("reason")
        )
        sale_order = self.find_order("405-0000001-0000042")
        shipping = sale_order.partner_shipping_id
        self.assertNotIn("\x00", shipping.name + (shipping.street or ""))

    def test_an_unusable_marketplace_and_currency_are_failures_in_words(self):
        order = make_order(order_id="405-0000001-0000043", marketplace="\x00XX")
        order["proceeds"]["grandTotal"]["currencyCode"] = "\x00\x00\x00"
        log, _fake = self.sync([[order, *self.good_orders(2)]])
        self.assertEqual(
            (log.created, log.failed), (2, 1), msg=log.line_ids.mapped("reason")
        )


@tagged("post_install", "-at_install")
class TestPoisonedVendorOrders(AmazonVendorCase):
    def test_a_nul_byte_in_a_purchase_order_number_fails_that_order_only(self):
        orders = self.retail_orders()
        orders[0]["purchaseOrderNumber"] = "L8266355\x00"
        with self.fake_amazon(purchase_orders=orders) as fake:
            log = self.sync(fake)
        self.assertEqual(log.state, "partial", msg=log.message)
        # Three of Amazon's four examples import, one has an unknown item.
        self.assertEqual((log.created, log.failed), (2, 2), msg="the rest imports")
        failure = self.env["amazon.order.failure"].search(
            [
                ("account_id", "=", self.account.id),
                ("amazon_order_id", "=like", "unknown-%"),
            ]
        )
        self.assertEqual(len(failure), 1, msg="a readable digest")
        self.assertEqual(failure.state, "open")

    def test_a_nul_byte_in_a_df_purchase_order_number_fails_that_order_only(self):
        self.account.vendor_retail_import = False
        self.account.vendor_df_import = True
        self.account.fbm_warehouse_id = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        orders = df_example()["orders"]
        poisoned = dict(orders[0], purchaseOrderNumber="2JK3\x00S9VC")
        with self.fake_amazon(df_orders=[poisoned, orders[0]]) as fake:
            log = self.sync(fake)
        self.assertEqual(log.state, "partial", msg=log.message)
        self.assertEqual((log.created, log.failed), (1, 1))
