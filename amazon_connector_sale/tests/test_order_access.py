# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AmazonOrderCase, make_order


@tagged("post_install", "-at_install")
class TestOrderAccess(AmazonOrderCase):
    """Amazon users see the orders imported from Amazon, and only those."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.amazon_user = new_test_user(
            cls.env,
            login="amazon-order-reader",
            groups="base.group_user,amazon_connector.amazon_connector_group_user",
        )
        cls.other_order = cls.env["sale.order"].create(
            {"partner_id": cls.env["res.partner"].create({"name": "Shop"}).id}
        )

    def test_an_amazon_user_reads_amazon_orders_without_sales_rights(self):
        self.sync([[make_order()]])
        order = self.env["sale.order"].search(
            [("amazon_account_id", "=", self.account.id)]
        )
        self.assertTrue(order)
        as_user = order.with_user(self.amazon_user)
        self.assertEqual(as_user.amazon_order_id, order.amazon_order_id)
        self.assertEqual(
            self.account.with_user(self.amazon_user).sale_order_count,
            1,
            msg="the account's order counter works for Amazon users",
        )

    def test_an_amazon_user_sees_no_other_sale_order(self):
        Orders = self.env["sale.order"].with_user(self.amazon_user)
        self.assertFalse(
            Orders.search([("id", "=", self.other_order.id)]),
            msg="orders that did not come from Amazon stay hidden",
        )
        with self.assertRaises(AccessError):
            self.other_order.with_user(self.amazon_user).read(["name"])

    def test_an_amazon_user_cannot_change_amazon_orders(self):
        self.sync([[make_order()]])
        order = self.env["sale.order"].search(
            [("amazon_account_id", "=", self.account.id)]
        )
        with self.assertRaises(AccessError):
            order.with_user(self.amazon_user).write({"client_order_ref": "x"})

    def test_only_amazon_managers_run_a_sync(self):
        with self.assertRaises(AccessError):
            self.account.with_user(self.amazon_user).action_sync_orders()
