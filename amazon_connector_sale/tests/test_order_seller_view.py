# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a seller sees on an imported Amazon order."""

from datetime import datetime

from lxml import etree

from odoo.tests import tagged

from .common import AmazonOrderCase, make_order


def promised_order(**kwargs):
    order = make_order(**kwargs)
    order["fulfillment"].update(
        {
            "fulfillmentServiceLevel": "NEXT_DAY",
            "shipByWindow": {
                "earliestDateTime": "2026-03-02T00:00:00Z",
                "latestDateTime": "2026-03-03T22:59:59Z",
            },
            "deliverByWindow": {
                "earliestDateTime": "2026-03-04T00:00:00Z",
                "latestDateTime": "2026-03-05T22:59:59Z",
            },
        }
    )
    return order


@tagged("post_install", "-at_install")
class TestOrderSellerView(AmazonOrderCase):
    def test_paid_order_arrives_confirmed_with_amazon_purchase_date(self):
        self.assertTrue(
            self.env["amazon.account"].default_get(["order_auto_confirm"])[
                "order_auto_confirm"
            ],
            msg="a new account confirms paid orders",
        )
        self.account.order_auto_confirm = True
        self.sync([[promised_order()]])
        order = self.find_order("405-0000001-0000001")
        self.assertEqual(order.state, "sale", msg="an unshipped order is paid")
        self.assertEqual(
            order.date_order,
            datetime(2026, 3, 1, 23, 30),
            msg="the order date stays Amazon's purchase date after confirmation",
        )

    def test_quotation_confirmed_later_keeps_the_purchase_date(self):
        self.account.order_auto_confirm = False
        self.sync([[promised_order()]])
        order = self.find_order("405-0000001-0000001")
        self.assertEqual(order.state, "draft")
        order.action_confirm()
        self.assertEqual(order.date_order, datetime(2026, 3, 1, 23, 30))

    def test_order_shows_where_and_by_when_to_ship(self):
        self.sync([[promised_order()]])
        order = self.find_order("405-0000001-0000001")
        self.assertIn("Via Roma 1", order.amazon_ship_to, msg="the address is shown")
        self.assertIn("Milano", order.amazon_ship_to)
        self.assertEqual(order.amazon_ship_by, datetime(2026, 3, 3, 22, 59, 59))
        self.assertEqual(order.amazon_deliver_by, datetime(2026, 3, 5, 22, 59, 59))
        self.assertEqual(order.amazon_service_level, "NEXT_DAY")
        self.assertEqual(
            order.amazon_status_label, "Unshipped", msg="Amazon's status in words"
        )
        self.assertEqual(order.amazon_seller_status, "UNSHIPPED")

    def test_salesperson_comes_from_the_account_never_the_import_user(self):
        self.sync([[promised_order()]])
        order = self.find_order("405-0000001-0000001")
        self.assertFalse(
            order.user_id, msg="no salesperson rather than the user running the sync"
        )
        salesman = self.env["res.users"].create(
            {"name": "Giulia", "login": "giulia.amazon@example.com"}
        )
        team = self.env["crm.team"].create({"name": "Amazon Italia"})
        self.account.write({"order_user_id": salesman.id, "order_team_id": team.id})
        self.sync([[promised_order(order_id="405-0000001-0000002")]])
        order = self.find_order("405-0000001-0000002")
        self.assertEqual(order.user_id, salesman)
        self.assertEqual(order.team_id, team)

    def test_amazon_orders_offer_no_quotation_email_buttons(self):
        arch = self.env["sale.order"].get_view(
            self.env.ref("sale.view_order_form").id, "form"
        )["arch"]
        tree = etree.fromstring(arch)
        for button_id in (
            "send_by_email_primary",
            "send_proforma_primary",
            "send_proforma",
            "send_by_email",
        ):
            for button in tree.xpath(f"//button[@id='{button_id}']"):
                self.assertIn(
                    "amazon_order_id",
                    button.get("invisible", ""),
                    msg=f"{button_id} is hidden on Amazon orders",
                )
