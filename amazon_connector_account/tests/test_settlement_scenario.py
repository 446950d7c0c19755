# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 16's acceptance scenario, through the real python-amazon-sp-api client
against the sandbox, on the Italian company: 200 orders paid over a EUR
settlement (amazon.it and amazon.de) and a GBP one (amazon.co.uk), with FBA
fees, a partial and a full refund, a charge-back, an advertising fee, a reserve
held then released, a deferred payment and an unknown transaction type; the
orders invoiced, the refunds credited, the settlements booked, Amazon's
invoices billed and both deposits matched with the bank."""

from datetime import timedelta

import httpx

from odoo import fields
from odoo.tests import tagged

from .common import DE, IT, UK, SettlementSandboxCase, make_item

ORDERS = 200
GBP_ORDERS = 60


@tagged("post_install", "-at_install", "amazon_accounting")
class TestSettlementScenario(SettlementSandboxCase):
    account_name = "Sandbox settlement scenario"
    account_vals = (
        ("refund_import_active", True),
        ("seller_invoice_import_active", True),
    )

    def control(self, name, body):
        res = httpx.post(f"{self.server.base_url}/_sandbox/{name}", json=body)
        self.assertLess(res.status_code, 300, res.text)
        return res.json()

    def balance(self, account):
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        )
        return round(sum(lines.mapped("balance")), 2)

    def payloads(self):
        """200 shipped orders posted two days ago: amazon.it, amazon.de (EUR) and
        amazon.co.uk (GBP), every other one fulfilled by Amazon."""
        created = (fields.Datetime.now() - timedelta(days=2)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        payloads = []
        for index in range(ORDERS):
            if index < GBP_ORDERS:
                country, marketplace, currency = "GB", UK, "GBP"
            elif index % 2:
                country, marketplace, currency = "DE", DE, "EUR"
            else:
                country, marketplace, currency = "IT", IT, "EUR"
            payload = self.order_payload(
                f"406-{index:07d}-1616161",
                country=country,
                marketplace=marketplace,
                currency=currency,
                items=[
                    make_item(
                        sku="CUP-1",
                        quantity=2,
                        unit="12.20",
                        shipping="4.88",
                        currency=currency,
                    )
                ],
                fulfilled_by="AMAZON" if index % 2 else "MERCHANT",
                status="SHIPPED",
            )
            payload.update(createdTime=created, lastUpdatedTime=created)
            payloads.append(payload)
        return payloads

    def import_settlements(self):
        self.account.settlement_import_from = fields.Datetime.now() - timedelta(days=30)
        self.account.action_amazon_import_settlements()
        return self.env["amazon.settlement"].search(
            [("account_id", "=", self.account.id)]
        )

    def test_two_hundred_orders_paid_over_two_settlements_to_the_bank(self):
        from tests.sandbox import settlements  # on sys.path by sandbox_support

        settlements.one_window(self.server.state, days=3)
        payloads = self.payloads()
        self.server.state.add_orders(payloads)

        # orders imported; the merchant's shipped, the account policy invoices
        self.account.action_sync_orders()
        orders = self.env["sale.order"].search(
            [("amazon_order_id", "in", [p["orderId"] for p in payloads])]
        )
        self.assertEqual(len(orders), ORDERS)
        self.ship(orders)
        invoices = orders.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(len(invoices), ORDERS, msg="every order invoiced")
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        uk_orders = orders.filtered(lambda o: o.amazon_order_id < "406-0000060")
        self.assertEqual(set(uk_orders.invoice_ids.currency_id.mapped("name")), {"GBP"})
        fba = orders.filtered(lambda o: o.amazon_fulfillment_channel == "fba")
        self.assertEqual(len(fba), ORDERS // 2)

        # a partial and a full refund, imported as credit notes
        eur_orders = (orders - uk_orders).sorted("amazon_order_id")
        partial, full, deferred = eur_orders[0], eur_orders[1], eur_orders[2]
        self.control(
            "refunds",
            {
                "orderId": partial.amazon_order_id,
                "items": [{"sku": "CUP-1", "quantity": 1}],
            },
        )
        self.control("refunds", {"orderId": full.amazon_order_id})
        self.account.action_amazon_import_refunds()
        credits = invoices.reversal_move_ids
        self.assertEqual(len(credits), 2)
        self.assertEqual(
            self.invoice_of(full).reversal_move_ids.amount_total,
            self.invoice_of(full).amount_total,
            msg="the full refund credits the whole invoice",
        )
        self.assertLess(
            self.invoice_of(partial).reversal_move_ids.amount_total,
            self.invoice_of(partial).amount_total,
            msg="the partial refund credits one item",
        )

        # Amazon's charges, a reserve held then released, an unknown type,
        # a payment deferred
        for kind, amount, currency in (
            ("chargeback", 6.50, "EUR"),
            ("advertising", 40, "EUR"),
            ("reserve_hold", 150, "EUR"),
            ("reserve_release", 150, "EUR"),
            ("advertising", 15, "GBP"),
        ):
            self.control(
                "settlements/transactions",
                {"kind": kind, "amount": amount, "currency": currency},
            )
        self.control(
            "settlements/transactions",
            {
                "kind": "reimbursement",
                "amount": 12,
                "currency": "GBP",
                "override": {
                    "transactionType": "LoanServicing",
                    "breakdowns": [
                        {
                            "breakdownType": "LoanAdvance",
                            "breakdownAmount": {
                                "currencyCode": "GBP",
                                "currencyAmount": 12.0,
                            },
                        }
                    ],
                },
            },
        )
        self.control("settlements/defer", {"orderId": deferred.amazon_order_id})
        self.control("settlements/close", {})

        groups = self.import_settlements()
        self.assertEqual(
            sorted(groups.mapped("currency_id.name")),
            ["EUR", "GBP"],
            groups.mapped("name"),
        )
        eur = groups.filtered(lambda s: s.currency_id.name == "EUR")
        gbp = groups - eur
        self.assertEqual(set(groups.mapped("state")), {"closed"})
        shipments = groups.line_ids.filtered(lambda x: x.transaction_type == "Shipment")
        self.assertEqual(
            set(shipments.mapped("amazon_order_id")),
            set(orders.mapped("amazon_order_id")),
            msg="every shipped order paid in one settlement",
        )
        self.assertTrue(
            eur.line_ids.filtered(
                lambda x: x.breakdown_type == "FBAPerUnitFulfillmentFee"
            ),
            msg="FBA fees withheld",
        )
        held = eur.line_ids.filtered("deferred")
        self.assertEqual(
            set(held.mapped("amazon_order_id")), {deferred.amazon_order_id}
        )

        # booked: the unknown type stops the GBP settlement, named
        groups.action_amazon_book()
        self.assertEqual(eur.state, "booked", msg=eur.review_message)
        self.assertEqual(gbp.state, "to_review")
        unknown = gbp.line_ids.filtered(lambda x: x.transaction_type == "LoanServicing")
        self.assertTrue(unknown)
        self.assertIn("LoanServicing", unknown[0].booking_note)
        self.assertIn("LoanServicing", gbp.review_message)
        self.assertFalse(gbp.move_ids, msg="no partial entry")
        loans = self.env["account.account"].create(
            {
                "name": "Amazon lending",
                "code": "AMZLOAN",
                "account_type": "liability_current",
            }
        )
        self.env["amazon.settlement.mapping"].create(
            {
                "company_id": self.company.id,
                "transaction_type": "LoanServicing",
                "kind": "account",
                "account_id": loans.id,
            }
        )
        gbp.action_amazon_book()
        self.assertEqual(gbp.state, "booked", msg=gbp.review_message)

        deferred_invoice = self.invoice_of(deferred)
        self.assertEqual(
            deferred_invoice.amount_residual,
            deferred_invoice.amount_total,
            msg="deferred money is not paid",
        )
        for settlement in groups:
            self.assertTrue(settlement.currency_id.is_zero(settlement.difference))
            for move in settlement.move_ids:
                self.assertEqual(move.state, "posted")
                self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0, 2)

        # released: paid by the next EUR settlement
        self.control("settlements/release", {"orderId": deferred.amazon_order_id})
        self.control("settlements/close", {"currency": "EUR"})
        later = self.import_settlements() - groups
        self.assertEqual(len(later), 1)
        self.assertEqual(later.state, "closed")
        later.action_amazon_book()
        self.assertEqual(later.state, "booked", msg=later.review_message)
        self.assertTrue(later.currency_id.is_zero(later.difference))
        groups |= later

        for entry in invoices | credits:
            self.assertTrue(
                entry.currency_id.is_zero(entry.amount_residual),
                msg=f"{entry.name} reconciled by a settlement",
            )
            self.assertIn(entry.payment_state, ("paid", "in_payment", "reversed"))

        # Amazon's invoices of the fees, as bills: each fee expensed once
        self.account.action_amazon_import_seller_invoices()
        bills = self.env["account.move"].search(
            [
                ("amazon_seller_invoice_ref", "!=", False),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertTrue(bills)
        fee_lines = groups.line_ids.filtered(lambda x: x.mapping_kind == "fee")
        self.assertEqual(fee_lines.vendor_bill_id, bills, msg="each fee names its bill")
        self.assertAlmostEqual(
            self.balance(self.company.amazon_fees_clearing_account_id),
            0.0,
            places=2,
            msg="fee bills and settlement fees do not double count",
        )

        # the deposits matched with the bank; one match undone and confirmed again
        eur_bank = self.company_data["default_journal_bank"]
        gbp_bank = self.env["account.journal"].create(
            {
                "name": "Bank GBP",
                "type": "bank",
                "code": "BGBP",
                "currency_id": self.gbp.id,
            }
        )
        deposits = self.env["account.bank.statement.line"]
        for settlement in groups:
            journal = gbp_bank if settlement == gbp else eur_bank
            deposits |= self.env["account.bank.statement.line"].create(
                {
                    "journal_id": journal.id,
                    "date": fields.Date.to_date(settlement.fund_transfer_date),
                    "amount": settlement.original_total,
                    "payment_ref": f"AMAZON EU SARL {settlement.trace_reference}",
                }
            )
        for settlement, deposit in zip(groups, deposits, strict=True):
            settlement.action_amazon_find_bank_match()
            self.assertEqual(settlement.bank_statement_line_id, deposit)
            settlement.action_amazon_confirm_bank_match()
            self.assertEqual(settlement.state, "reconciled")
            self.assertTrue(deposit.is_reconciled)
        eur_deposit = eur.bank_statement_line_id
        eur.action_amazon_undo_bank_match()
        self.assertEqual(eur.state, "booked")
        self.assertFalse(eur_deposit.is_reconciled, msg="undone from the settlement")
        eur.action_amazon_confirm_bank_match()
        self.assertEqual(eur.state, "reconciled")
        self.assertAlmostEqual(
            self.balance(self.company.amazon_transfer_account_id),
            0.0,
            places=2,
            msg="the transfers account is zero once the deposits are matched",
        )
        self.assertTrue(self.balance(loans) < 0, msg="the loan on the mapped account")
