# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A settlement from the sandbox to the bank, through the real python-amazon-sp-api
client: orders paid, a refund, an advertising fee, Amazon's invoice of the fees,
the deposit matched."""

from datetime import timedelta
from unittest.mock import patch

import httpx

from odoo import fields
from odoo.tests import tagged

from .common import IT, SettlementSandboxCase, make_item


@tagged("post_install", "-at_install", "amazon_accounting")
class TestSettlementSandbox(SettlementSandboxCase):
    account_name = "Sandbox settlements"
    account_vals = (
        ("refund_import_active", True),
        ("seller_invoice_import_active", True),
    )

    def setUp(self):
        super().setUp()
        # The settlements import commits through its run (never in a test).
        Importer = type(self.env["amazon.order.importer"])
        self.startPatcher(patch.object(Importer, "_commit", lambda s: None))

    def control(self, name, body):
        res = httpx.post(f"{self.server.base_url}/_sandbox/{name}", json=body)
        self.assertLess(res.status_code, 300, res.text)
        return res.json()

    def balance(self, account):
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        )
        return round(sum(lines.mapped("balance")), 2)

    def test_a_sandbox_settlement_is_booked_invoiced_and_matched_with_the_bank(self):
        created = (fields.Datetime.now() - timedelta(days=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        payloads = []
        for index in range(2):
            payload = self.order_payload(
                f"405-1616161-000000{index}",
                items=[
                    make_item(sku="CUP-1", quantity=2, unit="12.20", shipping="4.88")
                ],
                status="SHIPPED",
            )
            payload.update(createdTime=created, lastUpdatedTime=created)
            payload["salesChannel"]["marketplaceId"] = IT
            payloads.append(payload)
        self.server.state.add_orders(payloads)
        self.account.action_sync_orders()
        orders = self.env["sale.order"].search(
            [("amazon_order_id", "in", [p["orderId"] for p in payloads])]
        )
        self.assertEqual(len(orders), 2)
        for order in orders:
            self.ship(order)
        invoices = orders.invoice_ids
        self.assertEqual(len(invoices), 2)
        self.control(
            "refunds",
            {
                "orderId": orders[0].amazon_order_id,
                "items": [{"sku": "CUP-1", "quantity": 1}],
            },
        )
        self.account.action_amazon_import_refunds()
        credit = invoices.reversal_move_ids
        self.assertEqual(len(credit), 1)
        self.control(
            "settlements/transactions",
            {"kind": "advertising", "amount": 20, "currency": "EUR"},
        )
        self.control("settlements/close", {})
        # the groups of the last 30 days (a 14-day window may have begun today)
        self.account.settlement_import_from = fields.Datetime.now() - timedelta(days=30)
        self.account.action_amazon_import_settlements()
        settlements = self.env["amazon.settlement"].search(
            [("account_id", "=", self.account.id), ("state", "=", "closed")]
        )
        self.assertTrue(settlements)
        paid = settlements.line_ids.filtered(lambda x: x.transaction_type == "Shipment")
        self.assertEqual(
            set(paid.mapped("amazon_order_id")),
            set(orders.mapped("amazon_order_id")),
            msg="every shipped order is paid",
        )
        settlements.action_amazon_book()
        for settlement in settlements:
            self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
            move = settlement.move_ids
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0, 2)
        for entry in invoices | credit:
            self.assertTrue(
                entry.currency_id.is_zero(entry.amount_residual),
                msg=f"{entry.name} reconciled by the settlement",
            )

        self.account.action_amazon_import_seller_invoices()
        bill = self.env["account.move"].search(
            [
                ("amazon_seller_invoice_ref", "!=", False),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(
            len(bill), len(settlements), msg="Amazon invoices each group's fees"
        )
        fee_lines = settlements.line_ids.filtered(lambda x: x.mapping_kind == "fee")
        fees = -sum(fee_lines.mapped("amount"))
        self.assertAlmostEqual(
            sum(bill.mapped("amount_untaxed")),
            fees,
            places=2,
            msg="the fees the payouts withheld",
        )
        self.assertAlmostEqual(
            self.balance(self.company.amazon_fees_clearing_account_id),
            0.0,
            places=2,
            msg="fees not double counted",
        )
        self.assertEqual(fee_lines.vendor_bill_id, bill, msg="each fee names its bill")

        for settlement in settlements:
            deposit = self.env["account.bank.statement.line"].create(
                {
                    "journal_id": self.company_data["default_journal_bank"].id,
                    "date": fields.Date.to_date(settlement.fund_transfer_date),
                    "amount": settlement.original_total,
                    "payment_ref": f"AMAZON EU SARL {settlement.trace_reference}",
                }
            )
            settlement.action_amazon_find_bank_match()
            self.assertEqual(settlement.bank_statement_line_id, deposit)
            settlement.action_amazon_confirm_bank_match()
            self.assertEqual(settlement.state, "reconciled")
        self.assertAlmostEqual(
            self.balance(self.company.amazon_transfer_account_id), 0.0, places=2
        )
