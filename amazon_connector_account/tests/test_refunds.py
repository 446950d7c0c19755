# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import AmazonMoneyCase, refund_transaction


@tagged("post_install", "-at_install", "amazon_accounting")
class TestRefunds(AmazonMoneyCase):
    def setUp(self):
        super().setUp()
        self.account.refund_import_active = True

    def shipped_order(self, order_id):
        order = self.import_orders([self.order_payload(order_id)])
        self.ship(order)
        return order, self.invoice_of(order)

    def credit_notes(self, order):
        """Credit notes of refunds credit the invoice, not the order's lines: the
        order must not become "to invoice" again (see amazon_refund_booker.py)."""
        return self.env["account.move"].search(
            [
                ("move_type", "=", "out_refund"),
                ("reversed_entry_id", "in", order.invoice_ids.ids),
            ]
        )

    def test_full_refund_is_a_credit_note_of_the_invoice_to_the_cent(self):
        order, invoice = self.shipped_order("IT-REF-FULL")
        self.fake.pages = [
            [refund_transaction("IT-REF-FULL", "TX-FULL", [("CUP-1", 2, 24.40)], 4.88)]
        ]
        log = self.account.action_amazon_import_refunds() and self.env[
            "amazon.sync.log"
        ].search([("kind", "=", "refunds")], limit=1, order="id desc")
        self.assertBodiesFitAmazonModels()
        refund = self.env["amazon.finance.transaction"].search(
            [("transaction_id", "=", "TX-FULL")]
        )
        credit = self.credit_notes(order)
        self.assertEqual(len(credit), 1, msg=refund.refund_message)
        self.assertEqual(credit.state, "posted")
        self.assertEqual(credit.reversed_entry_id, invoice, msg="linked to the invoice")
        self.assertEqual(credit.journal_id, invoice.journal_id, msg="same journal")
        self.assertAlmostEqual(credit.amount_total, 29.28, places=2)
        self.assertEqual(
            set(credit.invoice_line_ids.tax_ids.mapped("amount")),
            {22.0},
            msg="the invoice's VAT",
        )
        self.assertEqual(log.state, "done")
        refund = self.env["amazon.finance.transaction"].search(
            [("transaction_id", "=", "TX-FULL")]
        )
        self.assertEqual(refund.refund_state, "done")
        self.assertTrue(
            refund.line_ids.filtered(
                lambda line: line.breakdown_type == "RefundCommission"
            ),
            msg="the breakdowns are kept for the settlements",
        )

    def test_partial_refund_gives_back_what_amazon_refunded(self):
        order, invoice = self.shipped_order("IT-REF-PART")
        self.fake.pages = [
            [refund_transaction("IT-REF-PART", "TX-PART", [("CUP-1", 1, 12.20)])]
        ]
        self.account.action_amazon_import_refunds()
        credit = self.credit_notes(order)
        self.assertAlmostEqual(credit.amount_total, 12.20, places=2)
        goods = credit.invoice_line_ids.filtered(
            lambda line: line.product_id == self.product
        )
        self.assertEqual(goods.quantity, 1, msg="one cup of two")
        self.assertAlmostEqual(
            invoice.amount_residual,
            29.28 - 12.20,
            places=2,
            msg="the credit note is matched with its invoice",
        )
        self.assertEqual(
            order.invoice_status, "invoiced", msg="a refund does not reopen the order"
        )

    def test_refund_of_an_order_not_invoiced_waits_and_is_booked_once_invoiced(self):
        self.account.invoice_policy_fbm = "never"
        order = self.import_orders([self.order_payload("IT-REF-WAIT")])
        self.ship(order)
        self.fake.pages = [
            [refund_transaction("IT-REF-WAIT", "TX-WAIT", [("CUP-1", 1, 12.20)])]
        ]
        self.account.action_amazon_import_refunds()
        refund = self.env["amazon.finance.transaction"].search(
            [("transaction_id", "=", "TX-WAIT")]
        )
        self.assertEqual(refund.refund_state, "waiting", msg="kept, not lost")
        self.assertTrue(order.amazon_refund_waiting, msg="shown on the order")
        self.assertIn(
            order,
            self.env["sale.order"].search([("amazon_refund_waiting", "=", True)]),
        )
        order.action_amazon_create_invoices()
        self.assertEqual(refund.refund_state, "done")
        self.assertAlmostEqual(self.credit_notes(order).amount_total, 12.20, places=2)

    def test_importing_the_same_refunds_twice_changes_nothing(self):
        order, _invoice = self.shipped_order("IT-REF-TWICE")
        page = [refund_transaction("IT-REF-TWICE", "TX-TWICE", [("CUP-1", 1, 12.20)])]
        self.fake.pages = [page]
        self.account.action_amazon_import_refunds()
        self.fake.pages = [page]
        self.account.refund_import_from = False
        self.account.action_amazon_import_refunds()
        self.assertEqual(len(self.credit_notes(order)), 1)
        self.assertEqual(
            self.env["amazon.finance.transaction"].search_count(
                [("transaction_id", "=", "TX-TWICE")]
            ),
            1,
        )

    def test_transactions_are_read_by_posting_window_page_by_page(self):
        self.fake.pages = [[], []]
        self.account.action_amazon_import_refunds()
        calls = [p for op, p in self.fake.calls if op == "finances.listTransactions"]
        self.assertEqual(
            len(calls), 2, msg="an empty page with a nextToken is followed"
        )
        self.assertIn("postedAfter", calls[0])
        self.assertIn("postedBefore", calls[0])
        self.assertNotIn(
            "relatedIdentifierName", calls[0], msg="not one call per order"
        )
        self.assertEqual(calls[1]["nextToken"], "token-1")
        self.assertEqual(calls[0]["postedBefore"], "2026-03-19T23:57:00Z")

    def test_an_unreadable_transaction_is_a_line_in_the_log_and_the_rest_goes_on(self):
        order, _invoice = self.shipped_order("IT-REF-BAD")
        bad = refund_transaction("IT-REF-BAD", "TX-BAD", [("CUP-1", 1, 12.20)])
        bad["totalAmount"] = {"currencyCode": "EUR", "currencyAmount": "lots"}
        good = refund_transaction("IT-REF-BAD", "TX-GOOD", [("CUP-1", 1, 12.20)])
        self.fake.pages = [[bad, good]]
        self.account.action_amazon_import_refunds()
        log = self.env["amazon.sync.log"].search(
            [("kind", "=", "refunds")], limit=1, order="id desc"
        )
        self.assertEqual(log.state, "partial")
        self.assertIn("TX-BAD", log.line_ids.mapped("amazon_ref"))
        self.assertEqual(len(self.credit_notes(order)), 1)

    def test_only_managers_import_and_only_invoicing_users_invoice_or_credit(self):
        user = new_test_user(
            self.env,
            login="amazon_salesman",
            groups="sales_team.group_sale_salesman,"
            "amazon_connector.amazon_connector_group_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.account.with_user(user).action_amazon_import_refunds()
        with self.assertRaises(AccessError):
            self.account.with_user(user).action_amazon_import_returns()
        self.assertEqual(self.fake.calls, [], msg="nothing asked of Amazon")
        self.account.invoice_policy_fbm = "never"
        order = self.import_orders([self.order_payload("IT-RIGHTS-1")])
        self.ship(order)
        with self.assertRaises(AccessError):
            order.with_user(user).action_amazon_create_invoices()
        self.assertFalse(order.invoice_ids)

    def test_the_import_refunds_button_runs_in_the_background(self):
        """The button triggers the account's scheduled action of the refunds; the
        run (as Odoo's cron worker does it) makes the credit note."""
        order, _invoice = self.shipped_order("IT-REF-BG")
        self.fake.pages = [
            [refund_transaction("IT-REF-BG", "TX-BG", [("CUP-1", 2, 24.40)], 4.88)]
        ]
        self.account.write({"state": "connected"})
        self.account.with_context(
            amazon_sync_kind="refunds"
        ).action_sync_in_background()
        self.assertFalse(self.credit_notes(order), msg="nothing in the request")
        schedule = self.account._sync_schedule("refunds")
        self.assertEqual(schedule.manual_user_id, self.env.user)
        self.env["amazon.sync.schedule"]._cron_run_schedule(schedule.id)
        log = self.env["amazon.sync.log"].search(
            [("kind", "=", "refunds")], limit=1, order="id desc"
        )
        self.assertEqual((log.trigger, log.state), ("manual", "done"))
        self.assertEqual(len(self.credit_notes(order)), 1)
