# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AmazonOrderCase, make_item, make_order


@tagged("post_install", "-at_install")
class TestOrderChanges(AmazonOrderCase):
    def test_cancelled_on_amazon_cancels_an_undelivered_order(self):
        self.sync([[make_order()]])
        self.sync([[make_order(status="CANCELLED", updated="2026-03-03T09:00:00Z")]])
        order = self.find_order("405-0000001-0000001")
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.amazon_status, "CANCELLED")

    def test_cancelled_after_delivery_leaves_order_with_message_and_activity(self):
        self.sync([[make_order(fulfilled_by="AMAZON", status="SHIPPED")]])
        order = self.find_order("405-0000001-0000001")
        self.sync(
            [
                [
                    make_order(
                        fulfilled_by="AMAZON",
                        status="CANCELLED",
                        updated="2026-03-03T09:00:00Z",
                    )
                ]
            ]
        )
        self.assertEqual(order.state, "sale", msg="delivered: not cancelled")
        self.assertTrue(order.activity_ids, msg="activity for the salesperson")
        self.assertIn("already delivered", order.message_ids[0].body)

    def test_cancelled_order_never_imported_is_not_created(self):
        self.sync([[make_order(status="CANCELLED")]])
        self.assertFalse(self.find_order("405-0000001-0000001"))

    def test_pending_order_is_imported_once_when_it_becomes_unshipped(self):
        pending = make_order(status="PENDING", items=[make_item()], grand_total="0")
        self.sync([[pending]])
        self.assertFalse(self.find_order("405-0000001-0000001"), msg="pending skipped")
        self.sync([[make_order(updated="2026-03-03T09:00:00Z")]])
        self.sync([[make_order(updated="2026-03-03T09:00:00Z")]])
        self.assertEqual(len(self.find_order("405-0000001-0000001")), 1)

    def test_status_change_updates_the_amazon_status(self):
        self.sync([[make_order()]])
        log, _fake = self.sync(
            [[make_order(status="PARTIALLY_SHIPPED", updated="2026-03-03T09:00:00Z")]]
        )
        order = self.find_order("405-0000001-0000001")
        self.assertEqual(order.amazon_status, "PARTIALLY_SHIPPED")
        self.assertEqual(log.updated, 1)
        self.sync([[make_order(status="SHIPPED", updated="2026-03-04T09:00:00Z")]])
        self.assertEqual(order.amazon_status, "SHIPPED")
        self.assertTrue(order.amazon_closed_date, msg="retention clock starts")

    def test_older_copy_of_an_order_changes_nothing(self):
        self.sync([[make_order(status="SHIPPED", updated="2026-03-04T09:00:00Z")]])
        self.sync([[make_order(status="UNSHIPPED", updated="2026-03-02T09:00:00Z")]])
        self.assertEqual(
            self.find_order("405-0000001-0000001").amazon_status, "SHIPPED"
        )

    def test_recover_wizard_imports_one_order_by_its_id(self):
        self.account.order_import_shipped = False
        order = make_order(status="SHIPPED")
        wizard = self.env["amazon.order.recover"].create(
            {"account_id": self.account.id, "amazon_order_id": " 405-0000001-0000001 "}
        )
        with self.fake_amazon(orders_by_id={"405-0000001-0000001": order}) as fake:
            action = wizard.action_recover()
        sale = self.find_order("405-0000001-0000001")
        self.assertEqual(action["res_id"], sale.id)
        self.assertEqual(fake.calls[0][0], "orders.getOrder")

    def test_recover_wizard_says_when_amazon_has_no_such_order(self):
        wizard = self.env["amazon.order.recover"].create(
            {"account_id": self.account.id, "amazon_order_id": "405-404"}
        )
        with (
            self.fake_amazon(orders_by_id={}),
            self.assertRaisesRegex(UserError, "405-404"),
        ):
            wizard.action_recover()

    def test_notification_email_lists_imported_and_failed_orders(self):
        recipient = self.env["res.partner"].create(
            {"name": "Back office", "email": "office@example.com"}
        )
        self.account.order_notify_partner_ids = recipient
        bad = make_order("405-9999999-0000001", items=[make_item(sku="NOPE")])
        self.sync([[make_order(), bad]])
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", recipient.ids)], order="id desc", limit=1
        )
        self.assertTrue(mail, msg="e-mail to the configured recipients")
        self.assertIn("1 imported, 1 failed", mail.subject)
        self.assertIn("405-0000001-0000001", mail.body_html)
        self.assertIn("AMZ-IT/00001", mail.body_html)
        self.assertIn("NOPE", mail.body_html)

    def test_no_email_when_nothing_was_imported_or_failed(self):
        recipient = self.env["res.partner"].create(
            {"name": "Back office", "email": "office@example.com"}
        )
        self.account.order_notify_partner_ids = recipient
        self.sync([[]])
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", recipient.ids)])
        )
