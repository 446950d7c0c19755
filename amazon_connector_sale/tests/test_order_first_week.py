# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a seller meets in the first week: plain outcomes, reasons, words."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.amazon_connector.exceptions import AmazonAuthError

from .common import AmazonOrderCase, FakeAmazon, make_order, serving


@tagged("post_install", "-at_install")
class TestOrderFirstWeek(AmazonOrderCase):
    def test_sync_refused_by_amazon_says_it_failed_and_why(self):
        refuse = FakeAmazon()
        refuse.errors["*"] = AmazonAuthError(
            "invalid_client: Client authentication failed"
        )
        with serving(self.env, refuse):
            action = self.account.action_sync_orders()
        params = action["params"]
        self.assertEqual(params["type"], "danger", msg="a refused sync is red")
        self.assertIn("failed", params["title"])
        self.assertIn("Failed", params["message"])
        self.assertIn(
            "invalid_client", params["message"], msg="Amazon's reason is shown"
        )
        self.assertNotIn("0 created, 0 updated, 0 failed (", params["message"][:30])

    def test_successful_sync_says_it_succeeded(self):
        with self.fake_amazon([[make_order()]]):
            action = self.account.action_sync_orders()
        self.assertEqual(action["params"]["type"], "success")
        self.assertTrue(action["params"]["message"].startswith("Succeeded: 1 created"))

    def test_skipped_orders_carry_their_reason_in_the_log(self):
        self.account.order_import_fba = False
        fba = make_order(order_id="405-0000001-0000009", fulfilled_by="AMAZON")
        pending = make_order(order_id="405-0000001-0000008", status="PENDING")
        log, _fake = self.sync([[fba, pending, make_order()]])
        self.assertEqual(log.skipped, 2)
        self.assertIn(
            "1 (the account does not import orders fulfilled by Amazon (FBA))",
            log.message,
            msg="the log says why the FBA order was skipped",
        )
        self.assertIn("1 (the account does not import Pending orders)", log.message)
        self.assertIn("Skipped", log.outcome)

    def test_sync_log_shows_kind_and_watermarks_in_words(self):
        log, _fake = self.sync([[make_order()]])
        self.assertEqual(log.kind_name, "orders")
        self.assertIn("Orders", log.display_name, msg="not the raw kind 'orders'")
        self.assertTrue(log.cursor_after_date, msg="the ISO watermark as a date")

    def test_import_email_subject_keeps_zero_counts(self):
        template = self.env.ref(
            "amazon_connector_sale.mail_template_amazon_order_import"
        )
        log, _fake = self.sync([[make_order()]])
        subject = template.with_context(
            amazon_account_name="F5", amazon_stats={"failed": 2}
        )._render_field("subject", log.ids)[log.id]
        self.assertEqual(subject, "Amazon orders F5: 0 imported, 2 failed")

    def test_recovery_checks_the_order_id_before_asking_amazon(self):
        wizard = self.env["amazon.order.recover"].create(
            {"account_id": self.account.id, "amazon_order_id": "my order 12"}
        )
        with self.fake_amazon() as fake, self.assertRaises(UserError) as caught:
            wizard.action_recover()
        self.assertIn("is not an Amazon order id", str(caught.exception))
        self.assertEqual(fake.calls, [], msg="Amazon is not asked about a bad id")

    def test_recovery_of_an_unknown_order_says_so_in_words(self):
        wizard = self.env["amazon.order.recover"].create(
            {"account_id": self.account.id, "amazon_order_id": " 405-1234567-7654321 "}
        )
        with self.fake_amazon(), self.assertRaises(UserError) as caught:
            wizard.action_recover()
        message = str(caught.exception)
        self.assertIn("Amazon has no order 405-1234567-7654321", message)
        self.assertNotIn("404", message)

    def test_invoice_list_shows_the_amazon_order(self):
        self.account.order_auto_confirm = True
        self.sync([[make_order()]])
        order = self.find_order("405-0000001-0000001")
        order.order_line.product_id.invoice_policy = "order"
        invoice = order._create_invoices()
        self.assertEqual(invoice.amazon_order_ref, "405-0000001-0000001")
        self.assertEqual(
            self.env["account.move"].search(
                [("amazon_order_ref", "!=", False), ("id", "=", invoice.id)]
            ),
            invoice,
            msg="the Amazon filter finds it",
        )
