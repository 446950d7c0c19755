# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A page of orders is created order by order and confirmed in one go."""

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AmazonOrderCase, make_item, make_order


def fba_orders(*numbers, **kw):
    return [
        make_order(
            f"405-{n:07d}-0000001",
            fulfilled_by="AMAZON",
            status="SHIPPED",
            email=f"buyer-{n}@marketplace.amazon.it",
            **kw,
        )
        for n in numbers
    ]


@tagged("post_install", "-at_install")
class TestOrderPage(AmazonOrderCase):
    def _count_confirm_calls(self):
        SaleOrder = type(self.env["sale.order"])
        calls = []
        original = SaleOrder.action_confirm

        def action_confirm(orders):
            calls.append(orders.mapped("amazon_order_id"))
            return original(orders)

        self.startPatcher(patch.object(SaleOrder, "action_confirm", action_confirm))
        return calls

    def test_fba_orders_of_a_page_are_confirmed_together_and_delivered(self):
        calls = self._count_confirm_calls()
        log, _fake = self.sync([fba_orders(1, 2, 3)])
        self.assertEqual(log.created, 3)
        self.assertEqual(len(calls), 1, msg="one confirmation for the whole page")
        self.assertEqual(len(calls[0]), 3)
        orders = self.env["sale.order"].search(
            [("amazon_account_id", "=", self.account.id)]
        )
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        pickings = orders.picking_ids
        self.assertEqual(len(pickings), 3, msg="one delivery per order")
        self.assertEqual(set(pickings.mapped("state")), {"done"}, msg="delivered")
        self.assertEqual(
            pickings.move_ids.location_id,
            self.account.fba_location_id,
            msg="the stock leaves the FBA location",
        )

    def test_an_order_that_cannot_be_confirmed_fails_alone(self):
        bad_id = "405-0000002-0000001"
        SaleOrder = type(self.env["sale.order"])
        original = SaleOrder._action_confirm

        def _action_confirm(orders):
            if bad_id in orders.mapped("amazon_order_id"):
                raise UserError(orders.env._("This order cannot be confirmed."))
            return original(orders)

        self.startPatcher(patch.object(SaleOrder, "_action_confirm", _action_confirm))
        log, _fake = self.sync([fba_orders(1, 2, 3)])
        self.assertEqual(log.created, 2, msg="the page's other orders are imported")
        self.assertEqual(log.failed, 1)
        self.assertEqual(log.state, "partial")
        self.assertFalse(self.find_order(bad_id), msg="no half-imported order")
        for good in ("405-0000001-0000001", "405-0000003-0000001"):
            order = self.find_order(good)
            self.assertEqual(order.state, "sale", msg=f"{good} is confirmed")
            self.assertEqual(order.picking_ids.state, "done", msg=f"{good} delivered")
        failure = self.env["amazon.order.failure"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(failure.amazon_order_id, bad_id)
        self.assertIn("cannot be confirmed", failure.error)
        self.assertEqual(len(log.line_ids), 1, msg="one log line for the failure")

    def test_a_bad_order_in_a_page_does_not_stop_the_batch(self):
        bad = make_order("405-0000009-0000001", items=[make_item(sku="NOPE")])
        calls = self._count_confirm_calls()
        log, _fake = self.sync([fba_orders(1) + [bad] + fba_orders(2)])
        self.assertEqual((log.created, log.failed), (2, 1))
        self.assertEqual(len(calls), 1, msg="the good orders confirmed together")
        self.assertFalse(self.find_order("405-0000009-0000001"))

    def test_two_orders_of_a_new_buyer_in_one_page_give_one_customer(self):
        orders = [
            make_order("405-0000001-0000001", email="new-buyer@marketplace.it"),
            make_order("405-0000002-0000001", email="New-Buyer@marketplace.it"),
        ]
        self.sync([orders])
        first = self.find_order("405-0000001-0000001")
        second = self.find_order("405-0000002-0000001")
        self.assertTrue(first and second)
        self.assertEqual(
            first.partner_id, second.partner_id, msg="the buyer is found again"
        )

    def test_existing_customer_and_products_are_found_for_every_order_of_a_page(self):
        customer = self.env["res.partner"].create(
            {"name": "Known buyer", "email": "known@example.com"}
        )
        orders = [
            make_order(
                f"405-000000{n}-0000001",
                email="KNOWN@example.com",
                items=[make_item(sku="AMZ-SKU-1"), make_item(sku="AMZ-SKU-2")],
            )
            for n in (1, 2)
        ]
        log, _fake = self.sync([orders])
        self.assertEqual(log.created, 2)
        for n in (1, 2):
            order = self.find_order(f"405-000000{n}-0000001")
            self.assertEqual(order.partner_id, customer, msg="matched by e-mail")
            lines = order.order_line.filtered("amazon_sku")
            self.assertEqual(
                {line.amazon_sku: line.product_id for line in lines},
                {"AMZ-SKU-1": self.product, "AMZ-SKU-2": self.product2},
                msg="both SKUs resolved",
            )
