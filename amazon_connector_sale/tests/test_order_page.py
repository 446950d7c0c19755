# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A page of orders is created in batches and confirmed in one go.

Its new customers, delivery contacts, sale orders and rounding lines are each
created in one ``create``, with the same rules as one order at a time.
"""

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

    def _count_creates(self, model):
        Model = type(self.env[model])
        calls = []
        original = Model.create

        def create(records, vals_list):
            calls.append(len(vals_list) if isinstance(vals_list, list) else 1)
            return original(records, vals_list)

        self.startPatcher(patch.object(Model, "create", create))
        return calls

    def test_a_page_creates_its_customers_and_orders_in_one_create_each(self):
        orders = [
            make_order(
                f"405-000000{n}-0000001",
                email=f"buyer-{n}@marketplace.amazon.it",
                buyer_name=f"Buyer {n}",
                address={
                    "name": f"Recipient {n}",
                    "addressLine1": f"Via Roma {n}",
                    "city": "Milano",
                    "postalCode": "20121",
                    "countryCode": "IT",
                },
            )
            for n in (1, 2, 3)
        ]
        partner_calls = self._count_creates("res.partner")
        order_calls = self._count_creates("sale.order")
        log, _fake = self.sync([orders])
        self.assertEqual(log.created, 3)
        self.assertEqual(order_calls, [3], msg="one create for the page's orders")
        self.assertEqual(
            partner_calls,
            [3, 3],
            msg="one create for the customers, one for their delivery contacts",
        )
        for n in (1, 2, 3):
            order = self.find_order(f"405-000000{n}-0000001")
            self.assertEqual(order.partner_id.name, f"Buyer {n}")
            self.assertEqual(order.partner_shipping_id.name, f"Recipient {n}")
            self.assertEqual(order.partner_shipping_id.parent_id, order.partner_id)
            self.assertEqual(order.partner_shipping_id.street, f"Via Roma {n}")

    def test_two_orders_without_email_of_one_buyer_in_a_page_give_one_customer(self):
        orders = [
            make_order(f"405-000000{n}-0000001", email=None, buyer_name="Anna Neri")
            for n in (1, 2)
        ]
        log, _fake = self.sync([orders])
        self.assertEqual(log.created, 2)
        first = self.find_order("405-0000001-0000001")
        second = self.find_order("405-0000002-0000001")
        self.assertEqual(first.partner_id, second.partner_id)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("name", "=", "Anna Neri"), ("parent_id", "=", False)]
            ),
            1,
        )

    def test_two_orders_to_one_new_address_in_a_page_give_one_delivery_contact(self):
        customer = self.env["res.partner"].create(
            {"name": "Known buyer", "email": "known@example.com"}
        )
        orders = [
            make_order(f"405-000000{n}-0000001", email="known@example.com")
            for n in (1, 2)
        ]
        log, _fake = self.sync([orders])
        self.assertEqual(log.created, 2)
        first = self.find_order("405-0000001-0000001")
        second = self.find_order("405-0000002-0000001")
        self.assertEqual(first.partner_id, customer)
        self.assertEqual(first.partner_shipping_id, second.partner_shipping_id)
        self.assertEqual(first.partner_shipping_id.parent_id, customer)
        self.assertEqual(len(customer.child_ids), 1, msg="one delivery contact")
        self.assertFalse(customer.street, msg="the matched contact is not written")

    def test_the_same_order_twice_in_a_page_gives_one_sale_order(self):
        first = make_order("405-0000001-0000001", status="UNSHIPPED")
        again = make_order(
            "405-0000001-0000001",
            status="SHIPPED",
            updated="2026-03-03T08:00:00Z",
        )
        log, _fake = self.sync([[first, again]])
        orders = self.env["sale.order"].search(
            [("amazon_order_id", "=", "405-0000001-0000001")]
        )
        self.assertEqual(len(orders), 1)
        self.assertEqual(
            (log.created, log.updated),
            (1, 0),
            msg="one order is one line of the run: created from its later copy",
        )
        self.assertEqual(orders.amazon_status, "SHIPPED", msg="the later one wins")

    def test_rounding_lines_of_a_page_make_every_total_equal_amazons(self):
        rounded = make_item(quantity=3, unit="0.33")
        orders = [
            make_order("405-0000001-0000001", items=[rounded], grand_total="1.00"),
            make_order("405-0000002-0000001"),
            make_order("405-0000003-0000001", items=[rounded], grand_total="1.00"),
        ]
        line_calls = self._count_creates("sale.order.line")
        log, _fake = self.sync([orders])
        self.assertEqual(log.created, 3)
        expected = {
            "405-0000001-0000001": 1.00,
            "405-0000002-0000001": float(orders[1]["proceeds"]["grandTotal"]["amount"]),
            "405-0000003-0000001": 1.00,
        }
        for order_id, total in expected.items():
            order = self.find_order(order_id)
            rounding = order.order_line.filtered(
                lambda ln: ln.product_id == self.account.rounding_product_id
            )
            self.assertEqual(bool(rounding), total == 1.00, msg=order_id)
            self.assertAlmostEqual(order.amount_total, total, msg=order_id)
        self.assertIn(2, line_calls, msg="both rounding lines in one create")

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
