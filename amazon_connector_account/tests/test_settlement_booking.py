# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Settlements booked as an accountant books them (issue 16), on the Italian
company: invoices and credit notes cleared, fees through the clearing account,
the payout matched with the bank deposit."""

import itertools
from datetime import datetime
from unittest.mock import patch

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.amazon_connector.tests.spapi_models import schema_errors

from .common import UK, AmazonMoneyCase, make_item, refund_transaction

SEQUENCE = itertools.count(1)


class SettlementCase(AmazonMoneyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank_journal = cls.company_data["default_journal_bank"]

    def shipped(self, order_id, **kwargs):
        order = self.import_orders([self.order_payload(order_id, **kwargs)])
        self.ship(order)
        return order, self.invoice_of(order)

    @staticmethod
    def shipment_lines(order_id, goods=24.40, shipping=4.88, posted="2026-03-10"):
        """An order paid: the buyer's money and Amazon's 15% commission."""
        return [
            ("Shipment", "Principal", goods, order_id, "ProductCharges"),
            ("Shipment", "Shipping", shipping, order_id, ""),
            (
                "Shipment",
                "Commission",
                -round(goods * 0.15, 2),
                order_id,
                "AmazonFees",
            ),
        ]

    def settlement(
        self,
        rows,
        currency=None,
        total=None,
        trace="TRACE-1",
        deferred=(),
        posted="2026-03-10 10:00:00",
        **values,
    ):
        """A closed settlement (as the import leaves it) with a line per row
        (type, breakdown, amount, order id, path)."""
        currency = currency or self.company.currency_id
        seq = next(SEQUENCE)
        lines = []
        for index, (kind, breakdown, amount, order_id, path) in enumerate(rows):
            lines.append(
                Command.create(
                    {
                        "transaction_reference": f"TX-{seq}-{index}",
                        "transaction_type": kind,
                        "transaction_status": "deferred"
                        if index in deferred
                        else "released",
                        "breakdown_type": breakdown,
                        "breakdown_path": path,
                        "amazon_order_id": order_id,
                        "amount": amount,
                        "currency_id": currency.id,
                        "posted_date": posted,
                    }
                )
            )
        released = sum(
            row[2] for index, row in enumerate(rows) if index not in deferred
        )
        vals = {
            "account_id": self.account.id,
            "name": f"GROUP-{seq}",
            "processing_status": "closed",
            "state": "closed",
            "start_date": datetime(2026, 3, 1),
            "end_date": datetime(2026, 3, 14),
            "fund_transfer_date": datetime(2026, 3, 16),
            "trace_reference": trace,
            "currency_id": currency.id,
            "original_total": round(released, 2) if total is None else total,
            "line_ids": lines,
        }
        vals.update(values)
        return self.env["amazon.settlement"].create(vals)

    def balance(self, account):
        lines = self.env["account.move.line"].search(
            [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        )
        return round(sum(lines.mapped("balance")), 2)

    def deposit(self, amount, trace="TRACE-1", date="2026-03-17"):
        return self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.bank_journal.id,
                "date": date,
                "amount": amount,
                "payment_ref": f"AMAZON PAYMENTS EUROPE {trace}",
            }
        )


@tagged("post_install", "-at_install", "amazon_accounting")
class TestSettlementBooking(SettlementCase):
    def test_defaults_use_the_company_chart_and_the_italian_reverse_charge(self):
        self.env["amazon.settlement.mapping"].action_create_defaults()
        company = self.company
        self.assertEqual(company.amazon_settlement_journal_id.type, "general")
        self.assertTrue(company.amazon_transfer_account_id.reconcile)
        self.assertEqual(
            company.amazon_fees_clearing_account_id.account_type,
            "liability_payable",
            msg="Amazon's payable: its bills credit it",
        )
        self.assertEqual(
            company.amazon_vendor_partner_id.property_account_payable_id,
            company.amazon_fees_clearing_account_id,
        )
        tax = company.amazon_fee_tax_id
        self.assertEqual(
            (tax.type_tax_use, tax.amount, tax.tax_scope),
            ("purchase", 22.0, "service"),
            msg="l10n_it's reverse charge on EU services",
        )
        self.assertEqual(
            sum(tax.invoice_repartition_line_ids.mapped("factor_percent")),
            100.0,
            msg="self-cancelling (+100% / -100% on the tax lines)",
        )
        mappings = self.env["amazon.settlement.mapping"].search(
            [("company_id", "=", company.id)]
        )
        commission = mappings.filtered(lambda m: m.breakdown_type == "Commission")
        self.assertEqual(commission.kind, "fee")
        self.assertEqual(commission.account_id.account_type, "expense")
        self.assertEqual(commission.tax_id, tax)
        reserve = mappings.filtered(lambda m: m.transaction_type == "ReserveHold")
        self.assertEqual(reserve.account_id, company.amazon_reserve_account_id)
        count = len(mappings)
        self.env["amazon.settlement.mapping"].action_create_defaults()
        self.assertEqual(
            self.env["amazon.settlement.mapping"].search_count(
                [("company_id", "=", company.id)]
            ),
            count,
            msg="on demand again: nothing duplicated",
        )

    def test_a_settlement_books_one_balanced_entry_that_pays_the_invoices(self):
        order1, invoice1 = self.shipped("IT-SET-1")
        order2, invoice2 = self.shipped("IT-SET-2")
        rows = self.shipment_lines("IT-SET-1") + self.shipment_lines("IT-SET-2")
        rows.append(
            ("Shipment", "FBAPerUnitFulfillmentFee", -3.10, "IT-SET-2", "AmazonFees")
        )
        settlement = self.settlement(rows)
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
        move = settlement.move_ids
        self.assertEqual(len(move), 1)
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, self.company.amazon_settlement_journal_id)
        self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0, places=2)
        for invoice in invoice1 | invoice2:
            self.assertTrue(
                invoice.currency_id.is_zero(invoice.amount_residual),
                msg=f"{invoice.name} paid by the settlement",
            )
        self.assertAlmostEqual(
            self.balance(self.company.amazon_transfer_account_id),
            settlement.original_total,
            places=2,
            msg="the payout waits on the transfers account",
        )
        self.assertAlmostEqual(
            self.balance(self.company.amazon_fees_clearing_account_id),
            3.66 * 2 + 3.10,
            places=2,
            msg="the fees withheld, waiting for Amazon's invoices",
        )
        self.assertTrue(all(settlement.line_ids.mapped("booked")))
        self.assertEqual(
            settlement.line_ids.filtered(
                lambda x: x.amazon_order_id == "IT-SET-1"
            ).sale_order_id,
            order1,
        )
        settlement.action_amazon_reset()
        self.assertEqual(settlement.state, "closed")
        self.assertFalse(settlement.move_ids)
        self.assertEqual(invoice1.amount_residual, invoice1.amount_total)
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg="booked again after reset")

    def test_each_order_gets_sales_invoice_paid_note_once(self):
        """Sale notes "Invoice ... paid" on each order; a booking logs them in one
        batch, and the orders with a follower of notes get theirs posted."""
        order1, invoice1 = self.shipped("IT-NOTE-1")
        order2, invoice2 = self.shipped("IT-NOTE-2")
        # notes are internal: an employee following them is told
        watcher = (
            self.env["res.users"]
            .create(
                {
                    "name": "Watcher",
                    "login": "watcher-notes",
                    "email": "watcher@example.com",
                    "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
                }
            )
            .partner_id
        )
        note = self.env.ref("mail.mt_note")
        order2.message_subscribe(watcher.ids, subtype_ids=note.ids)
        settlement = self.settlement(
            self.shipment_lines("IT-NOTE-1") + self.shipment_lines("IT-NOTE-2")
        )
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
        notes = {}
        for order, invoice in ((order1, invoice1), (order2, invoice2)):
            messages = order.message_ids.filtered(
                lambda m, name=invoice.name: (
                    m.body and f"Invoice {name} paid" in str(m.body)
                )
            )
            self.assertEqual(len(messages), 1, msg=f"one note on {order.name}")
            notes[order] = messages
        batch, posted = notes[order1], notes[order2]
        for field in ("message_type", "subtype_id", "author_id", "model"):
            self.assertEqual(batch[field], posted[field], msg=field)
        self.assertEqual(batch.subtype_id, note)
        self.assertEqual(batch.author_id, self.env.user.partner_id)
        self.assertIn(
            watcher, posted.notification_ids.res_partner_id, msg="the follower told"
        )
        self.assertFalse(batch.notification_ids, msg="nobody follows order 1's notes")

    def test_customer_ranks_and_analytic_models_as_odoo_posts_them(self):
        """Odoo's posting raises each customer's rank by one and gives each
        journal item the distribution of the analytic models that match it; the
        booking does both in bulk, with the same result."""
        order1, __ = self.shipped("IT-RANK-1")
        order2, __ = self.shipped("IT-RANK-2")
        customers = (order1 | order2).partner_invoice_id.commercial_partner_id
        self.assertEqual(len(customers), 2)
        before = {partner: partner.customer_rank for partner in customers}
        settlement = self.settlement(
            self.shipment_lines("IT-RANK-1") + self.shipment_lines("IT-RANK-2")
        )
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
        customers.invalidate_recordset(["customer_rank"])
        for partner in customers:
            self.assertEqual(partner.customer_rank, before[partner] + 1)
        self.assertFalse(
            any(settlement.move_ids.line_ids.mapped("analytic_distribution")),
            msg="no analytic model: no distribution",
        )
        # a model for the second customer's items, as Odoo applies it
        plan = self.env["account.analytic.plan"].create({"name": "Channels"})
        channel = self.env["account.analytic.account"].create(
            {"name": "Amazon IT", "plan_id": plan.id, "company_id": self.company.id}
        )
        self.env["account.analytic.distribution.model"].create(
            {
                "partner_id": order2.partner_invoice_id.commercial_partner_id.id,
                "company_id": self.company.id,
                "analytic_distribution": {str(channel.id): 100},
            }
        )
        settlement.action_amazon_reset()
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
        items = settlement.move_ids.line_ids
        by_name = {item.name: item.analytic_distribution for item in items}
        self.assertEqual(by_name["Amazon order IT-RANK-2"], {str(channel.id): 100.0})
        self.assertFalse(by_name["Amazon order IT-RANK-1"])
        customers.invalidate_recordset(["customer_rank"])
        for partner in customers:
            self.assertEqual(partner.customer_rank, before[partner] + 2)

    def test_refunds_clear_the_credit_notes(self):
        self.account.refund_import_active = True
        _order, invoice = self.shipped("IT-SET-REF")
        _order2, invoice2 = self.shipped("IT-SET-FULL")
        self.fake.pages = [
            [
                refund_transaction("IT-SET-REF", "TX-R1", [("CUP-1", 1, 12.20)]),
                refund_transaction("IT-SET-FULL", "TX-R2", [("CUP-1", 2, 24.40)], 4.88),
            ]
        ]
        self.account.action_amazon_import_refunds()
        credit = invoice.reversal_move_ids
        credit2 = invoice2.reversal_move_ids
        self.assertTrue(credit and credit2)
        rows = self.shipment_lines("IT-SET-REF") + self.shipment_lines("IT-SET-FULL")
        rows += [
            ("Refund", "Principal", -12.20, "IT-SET-REF", "ProductCharges"),
            ("Refund", "RefundCommission", 1.46, "IT-SET-REF", "AmazonFees"),
            ("Refund", "Principal", -24.40, "IT-SET-FULL", "ProductCharges"),
            ("Refund", "Shipping", -4.88, "IT-SET-FULL", ""),
            ("Refund", "RefundCommission", 2.93, "IT-SET-FULL", "AmazonFees"),
        ]
        settlement = self.settlement(rows)
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
        for move in invoice | credit | invoice2 | credit2:
            self.assertTrue(
                move.currency_id.is_zero(move.amount_residual),
                msg=f"{move.name} is reconciled",
            )
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).account_id
        open_items = self.env["account.move.line"].search(
            [
                ("account_id", "=", receivable.id),
                ("reconciled", "=", False),
                ("move_id", "in", settlement.move_ids.ids),
            ]
        )
        self.assertFalse(open_items, msg="nothing left open on the customers")

    def test_an_unknown_type_goes_to_review_with_the_line_named_then_books(self):
        self.shipped("IT-SET-UNK")
        rows = self.shipment_lines("IT-SET-UNK")
        rows.append(("LoanServicing", "LoanAdvance", 50.0, False, ""))
        settlement = self.settlement(rows)
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "to_review", msg="never dropped")
        unknown = settlement.line_ids.filtered(
            lambda x: x.transaction_type == "LoanServicing"
        )
        self.assertIn("LoanServicing / LoanAdvance", unknown.booking_note)
        self.assertIn("LoanServicing", settlement.review_message)
        self.assertFalse(settlement.move_ids, msg="no partial entry")
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
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
        self.assertFalse(unknown.booking_note)
        self.assertAlmostEqual(self.balance(loans), -50.0, places=2)

    def test_a_difference_with_amazons_total_goes_to_review(self):
        self.shipped("IT-SET-DIFF")
        settlement = self.settlement(self.shipment_lines("IT-SET-DIFF"), total=26.00)
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "to_review")
        self.assertIn("differs", settlement.review_message)

    def test_deferred_money_is_booked_only_when_released(self):
        _order, invoice = self.shipped("IT-SET-DEF")
        rows = self.shipment_lines("IT-SET-DEF")
        settlement = self.settlement(rows, deferred=(0, 1, 2))
        self.assertEqual(settlement.original_total, 0.0)
        self.shipped("IT-SET-NOW")
        settlement.line_ids = [
            Command.create(
                {
                    "transaction_reference": "TX-NOW",
                    "transaction_type": "Shipment",
                    "breakdown_type": "Principal",
                    "amazon_order_id": "IT-SET-NOW",
                    "amount": 29.28,
                    "currency_id": self.company.currency_id.id,
                }
            )
        ]
        settlement.original_total = 29.28
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
        self.assertEqual(
            invoice.amount_residual, invoice.amount_total, msg="deferred: not paid"
        )
        self.assertFalse(any(settlement.line_ids.filtered("deferred").mapped("booked")))
        settlement.line_ids.filtered(
            "deferred"
        ).transaction_status = "deferred_released"
        settlement.action_amazon_book()
        self.assertTrue(
            invoice.currency_id.is_zero(invoice.amount_residual),
            msg="paid once released",
        )
        self.assertEqual(len(settlement.move_ids), 2, msg="the released lines apart")

    def test_the_bank_deposit_is_matched_confirmed_and_undone(self):
        self.shipped("IT-SET-BANK")
        settlement = self.settlement(self.shipment_lines("IT-SET-BANK"), trace="TR-77")
        other = self.deposit(settlement.original_total, trace="OTHER")
        deposit = self.deposit(settlement.original_total, trace="TR-77")
        settlement.action_amazon_book()
        self.assertEqual(
            settlement.bank_statement_line_id,
            deposit,
            msg="Amazon's trace reference decides between equal amounts",
        )
        self.assertEqual(settlement.bank_match_state, "proposed")
        settlement.action_amazon_confirm_bank_match()
        self.assertEqual(settlement.state, "reconciled")
        self.assertTrue(deposit.is_reconciled)
        self.assertFalse(other.is_reconciled)
        self.assertAlmostEqual(
            self.balance(self.company.amazon_transfer_account_id),
            0.0,
            places=2,
            msg="the transfers account is zero once the deposit is matched",
        )
        settlement.action_amazon_undo_bank_match()
        self.assertEqual(settlement.state, "booked")
        self.assertFalse(deposit.is_reconciled)
        self.assertAlmostEqual(
            self.balance(self.company.amazon_transfer_account_id),
            settlement.original_total,
            places=2,
        )
        settlement.action_amazon_confirm_bank_match()
        self.assertEqual(settlement.state, "reconciled", msg="confirmed again")

    def test_a_deposit_matched_or_unmatched_outside_the_settlement_is_followed(self):
        """Another reconciliation screen (Enterprise's, OCA's) works on the
        statement line: the settlement follows what it did."""
        self.shipped("IT-SET-ELSE")
        settlement = self.settlement(self.shipment_lines("IT-SET-ELSE"), trace="TR-88")
        deposit = self.deposit(settlement.original_total, trace="TR-88")
        settlement.action_amazon_book()
        self.assertEqual(settlement.bank_match_state, "proposed")
        # reconciled elsewhere: the deposit's counterpart on the transfers account
        # reconciled with the payout, as those screens do
        transfers = self.company.amazon_transfer_account_id
        vals = deposit._prepare_move_line_default_vals(
            counterpart_account_id=transfers.id
        )
        deposit.with_context(force_delete=True, skip_readonly_check=True).write(
            {"line_ids": [Command.clear()] + [Command.create(v) for v in vals]}
        )
        counterpart = deposit.move_id.line_ids.filtered(
            lambda line: line.account_id == transfers
        )
        (counterpart | settlement.transfer_move_line_ids).reconcile()
        self.assertEqual(settlement.state, "booked", msg="not known yet")
        settlement.action_amazon_find_bank_match()
        self.assertEqual(settlement.state, "reconciled")
        self.assertEqual(settlement.bank_match_state, "confirmed")
        self.assertEqual(settlement.bank_statement_line_id, deposit)
        # unreconciled elsewhere (Odoo's own undo, which those screens call)
        deposit.action_undo_reconciliation()
        self.assertEqual(settlement.state, "booked")
        self.assertEqual(settlement.bank_match_state, "proposed")
        self.assertFalse(deposit.is_reconciled)
        # put on the transfers account elsewhere, the payout left open: Find
        # reconciles the two
        deposit.with_context(force_delete=True, skip_readonly_check=True).write(
            {"line_ids": [Command.clear()] + [Command.create(v) for v in vals]}
        )
        self.assertFalse(settlement.transfer_move_line_ids.reconciled)
        settlement.action_amazon_find_bank_match()
        self.assertEqual(settlement.state, "reconciled")
        self.assertTrue(settlement.transfer_move_line_ids.reconciled)
        self.assertAlmostEqual(self.balance(transfers), 0.0, places=2)
        settlement.action_amazon_undo_bank_match()
        self.assertFalse(deposit.is_reconciled)
        settlement.action_amazon_confirm_bank_match()
        self.assertEqual(settlement.state, "reconciled", msg="and confirmed again")
        self.assertTrue(deposit.is_reconciled)

    def test_a_gbp_settlement_of_a_eur_company_is_booked_in_gbp(self):
        self.env["res.currency.rate"].create(
            {
                "name": "2026-03-14",
                "rate": 0.80,
                "currency_id": self.gbp.id,
                "company_id": self.company.id,
            }
        )
        payload = self.order_payload(
            "UK-SET-1",
            country="GB",
            marketplace=UK,
            currency="GBP",
            items=[make_item(sku="CUP-1", quantity=1, unit="20.00", currency="GBP")],
        )
        order = self.import_orders([payload])
        self.ship(order)
        invoice = self.invoice_of(order)
        self.assertEqual(invoice.currency_id, self.gbp)
        gross = invoice.amount_total
        settlement = self.settlement(
            [
                ("Shipment", "Principal", gross, "UK-SET-1", "ProductCharges"),
                ("Shipment", "Commission", -3.00, "UK-SET-1", "AmazonFees"),
            ],
            currency=self.gbp,
            trace="TR-GBP",
            converted_currency_id=self.company.currency_id.id,
        )
        payout_eur = round(settlement.original_total / 0.79, 2)
        settlement.converted_total = payout_eur
        deposit = self.deposit(payout_eur, trace="TR-GBP")
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
        move = settlement.move_ids
        self.assertEqual(move.currency_id, self.gbp, msg="booked in GBP")
        transfer = settlement.transfer_move_line_ids
        self.assertAlmostEqual(transfer.amount_currency, settlement.original_total, 2)
        self.assertAlmostEqual(
            transfer.balance,
            round(settlement.original_total / 0.80, 2),
            places=2,
            msg="Odoo's rate of the settlement date",
        )
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        self.assertEqual(settlement.bank_statement_line_id, deposit)
        settlement.action_amazon_confirm_bank_match()
        self.assertTrue(deposit.is_reconciled)
        self.assertAlmostEqual(
            self.balance(self.company.amazon_transfer_account_id),
            0.0,
            places=2,
            msg="the exchange difference goes where Odoo puts it",
        )

    def test_an_amazon_user_without_accounting_opens_a_booked_settlement(self):
        self.shipped("IT-SET-VIEW")
        settlement = self.settlement(self.shipment_lines("IT-SET-VIEW"))
        settlement.action_amazon_book()
        user = new_test_user(
            self.env,
            login="amazon_reader",
            groups="base.group_user,amazon_connector.amazon_connector_group_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        Settlement = self.env["amazon.settlement"].with_user(user)
        views = Settlement.get_views([(False, "form")])
        self.assertNotIn(
            "move_ids", views["views"]["form"]["arch"], msg="the books are hidden"
        )
        arch = etree.fromstring(views["views"]["form"]["arch"])
        spec = {
            node.get("name"): {}
            for node in arch.iter("field")
            if not any(parent.tag == "field" for parent in node.iterancestors())
        }
        record = Settlement.browse(settlement.id).web_read(spec)[0]
        self.assertEqual(record["state"], "booked")

    def test_only_invoicing_users_book_and_match(self):
        self.shipped("IT-SET-RIGHTS")
        settlement = self.settlement(self.shipment_lines("IT-SET-RIGHTS"))
        user = new_test_user(
            self.env,
            login="amazon_manager_not_accountant",
            groups="amazon_connector.amazon_connector_group_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        for method in (
            "action_amazon_book",
            "action_amazon_reset",
            "action_amazon_confirm_bank_match",
            "action_amazon_undo_bank_match",
            "action_amazon_find_bank_match",
        ):
            with self.assertRaises(AccessError, msg=method):
                getattr(settlement.with_user(user), method)()
        self.assertEqual(settlement.state, "closed")
        with self.assertRaises(AccessError):
            self.env["amazon.settlement.mapping"].with_user(
                user
            ).action_create_defaults()


def seller_invoice(identifier, lines, currency="EUR", issued="2026-03-15T10:00:00Z"):
    """Amazon's invoice to the seller (financesInvoices_2026-06-25.json):
    ``lines`` = [(fee type, amount)], reverse charge (no VAT)."""
    total = round(sum(amount for _kind, amount in lines), 2)
    header = {
        "invoiceNumber": identifier,
        "invoiceIdentifier": identifier,
        "invoiceStatus": "DEDUCTED",
        "invoiceType": "OTHER",
        "billingPeriod": {
            "startDate": "2026-03-01T00:00:00Z",
            "endDate": "2026-03-14T23:59:59Z",
        },
        "payer": {"partnerId": "A1ITSELLER", "partnerType": "SELLER"},
        "payee": {
            "partnerId": "AMAZON_EU",
            "partnerType": "AMAZON",
            "partnerName": "Amazon EU S.a r.l.",
            "taxRegistrationNumber": "LU20260743",
        },
        "issueDate": issued,
        "invoiceAmount": {"currencyCode": currency, "currencyAmount": total},
        "creationDate": issued,
        "lastUpdatedDate": issued,
    }
    items = [
        {
            "lineItemId": f"{identifier}-{index}",
            "quantity": 1,
            "taxRateCodes": ["LU 0"],
            "totalAmount": {"currencyCode": currency, "currencyAmount": amount},
            "totalAmountBreakdown": [
                {
                    "breakdownType": "ItemCostWithoutTax",
                    "breakdownAmount": {
                        "currencyCode": currency,
                        "currencyAmount": amount,
                    },
                }
            ],
            "lineItemContext": {"lineItemType": "SERVICES", "itemDescription": kind},
        }
        for index, (kind, amount) in enumerate(lines)
    ]
    return header, items


@tagged("post_install", "-at_install", "amazon_accounting")
class TestAmazonInvoices(SettlementCase):
    def setUp(self):
        super().setUp()
        self.invoices = {}
        fake, invoices = self.fake, self.invoices
        original = type(fake).__call__

        def call(this, account, operation, **params):
            if operation == "financesInvoices.getInvoiceHeaders":
                this.calls.append((operation, params))
                payload = {"invoices": [h for h, _i in invoices.values()]}
                this.schema_violations += schema_errors(
                    "financesInvoices", "GetInvoicesResponse", payload
                )
                return payload
            if operation == "financesInvoices.getInvoice":
                this.calls.append((operation, params))
                header, items = invoices[params["invoiceIdentifier"]]
                payload = {"invoiceHeader": header, "invoiceItems": items}
                this.schema_violations += schema_errors(
                    "financesInvoices", "GetInvoiceResponse", payload
                )
                return payload
            return original(this, account, operation, **params)

        self.startPatcher(patch.object(type(fake), "__call__", call))
        self.startPatcher(
            patch.object(
                type(self.env["amazon.seller.invoice.importer"]),
                "_now",
                lambda s: datetime(2026, 3, 20),
            )
        )

    def expensed(self, mapping):
        return self.balance(mapping.account_id)

    def test_amazons_invoice_is_a_reverse_charge_bill_and_fees_count_once(self):
        self.shipped("IT-FEE-1")
        self.shipped("IT-FEE-2")
        rows = self.shipment_lines("IT-FEE-1") + self.shipment_lines("IT-FEE-2")
        rows.append(("ServiceFee", "CostOfAdvertising", -20.0, False, "AmazonFees"))
        settlement = self.settlement(rows)
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
        commission = self.env["amazon.settlement.mapping"].search(
            [
                ("company_id", "=", self.company.id),
                ("breakdown_type", "=", "Commission"),
            ]
        )
        before = self.expensed(commission)
        header, items = seller_invoice(
            "AEU-1", [("Commission", 7.32), ("CostOfAdvertising", 20.0)]
        )
        self.invoices["AEU-1"] = (header, items)
        self.account.action_amazon_import_seller_invoices()
        self.assertBodiesFitAmazonModels()
        bill = self.env["account.move"].search(
            [("amazon_seller_invoice_ref", "=", "AEU-1")]
        )
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.partner_id, self.company.amazon_vendor_partner_id)
        self.assertEqual(bill.partner_id.vat, "LU20260743")
        self.assertEqual(
            bill.invoice_line_ids.tax_ids,
            self.company.amazon_fee_tax_id,
            msg="reverse charge on services from another EU state",
        )
        self.assertAlmostEqual(bill.amount_total, 27.32, places=2, msg="no VAT paid")
        self.assertAlmostEqual(
            self.expensed(commission) - before,
            27.32,
            places=2,
            msg="each fee is expensed once, by Amazon's bill",
        )
        self.assertAlmostEqual(
            self.balance(self.company.amazon_fees_clearing_account_id),
            0.0,
            places=2,
            msg="the fees withheld are matched with the bill",
        )
        self.assertTrue(bill.currency_id.is_zero(bill.amount_residual))
        fee_lines = settlement.line_ids.filtered(lambda x: x.amount < 0)
        self.assertEqual(
            fee_lines.vendor_bill_id, bill, msg="the fee lines name their bill"
        )
        self.account.seller_invoice_import_from = False
        self.account.action_amazon_import_seller_invoices()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("amazon_seller_invoice_ref", "=", "AEU-1")]
            ),
            1,
            msg="idempotent by Amazon's invoice id",
        )

    def test_a_bill_before_the_settlement_waits_on_the_clearing_account(self):
        header, items = seller_invoice("AEU-2", [("Commission", 3.66)])
        self.invoices["AEU-2"] = (header, items)
        self.account.action_amazon_import_seller_invoices()
        clearing = self.company.amazon_fees_clearing_account_id
        self.assertAlmostEqual(self.balance(clearing), -3.66, places=2)
        self.shipped("IT-FEE-3")
        self.settlement(self.shipment_lines("IT-FEE-3")).action_amazon_book()
        self.assertAlmostEqual(
            self.balance(clearing), 0.0, places=2, msg="whichever arrives first"
        )
