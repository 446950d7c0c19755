# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Settlements read from the project's sandbox through the real
python-amazon-sp-api client: groups, their transactions, payouts."""

from collections import defaultdict
from unittest.mock import patch

import httpx

from odoo.tests import tagged

from .common import SettlementSandboxCase

SHIPPED = ("SHIPPED", "PARTIALLY_SHIPPED")


@tagged("post_install", "-at_install", "amazon_accounting")
class TestSettlementSandbox(SettlementSandboxCase):
    account_name = "Sandbox settlements"

    def setUp(self):
        super().setUp()
        Importer = type(self.env["amazon.order.importer"])
        self.startPatcher(patch.object(Importer, "_commit", lambda s: None))
        self.Settlement = self.env["amazon.settlement"]

    # --- helpers -----------------------------------------------------------------
    def control(self, name, body):
        res = httpx.post(f"{self.server.base_url}/_sandbox/{name}", json=body)
        self.assertLess(res.status_code, 300, res.text)
        return res.json()

    def shop(self, count=24, countries=("IT", "GB")):
        from tests.sandbox.settlements import one_window

        # all in one settlement window: one open group per currency
        orders = self.server.state.generate_orders(
            count, seed=16, countries=list(countries), **one_window(self.server.state)
        )
        return [o for o in orders if o["fulfillment"]["fulfillmentStatus"] in SHIPPED]

    def run_import(self):
        log = self.env["amazon.settlement.importer"]._run(self.account)
        self.assertIn(log.state, ("done", "partial"), log.message)
        return log

    def settlement(self, currency="EUR", status="open"):
        return self.Settlement.search(
            [
                ("account_id", "=", self.account.id),
                ("currency_id.name", "=", currency),
                ("processing_status", "=", status),
            ]
        )

    def calls(self, operation):
        return [r for r in self.server.state.requests if r["operation"] == operation]

    def assertLinesExplainTransactions(self, settlement):
        by_ref = defaultdict(float)
        for line in settlement.line_ids:
            by_ref[line.finance_transaction_id] += line.amount
        self.assertTrue(by_ref)
        for transaction, total in by_ref.items():
            self.assertAlmostEqual(total, transaction.total_amount, places=2)

    # --- tests -------------------------------------------------------------------
    def test_import_makes_one_settlement_per_group_with_lines_that_sum_to_amazon(
        self,
    ):
        shipped = self.shop()
        skus = {
            item["product"]["sellerSku"] for o in shipped for item in o["orderItems"]
        }
        self.env["product.product"].create(
            [
                {"name": sku, "default_code": sku, "is_storable": True}
                for sku in skus
                if not self.env["product.product"].search_count(
                    [("default_code", "=", sku)]
                )
            ]
        )
        self.account.action_sync_orders()
        log = self.run_import()
        eur, gbp = self.settlement("EUR"), self.settlement("GBP")
        self.assertEqual((len(eur), len(gbp)), (1, 1))
        for settlement in eur | gbp:
            self.assertEqual(settlement.state, "open")
            self.assertLinesExplainTransactions(settlement)
            # an open group's total is its balance: the lines explain it
            self.assertAlmostEqual(settlement.difference, 0.0, places=2)
            self.assertAlmostEqual(
                settlement.original_total, settlement.released_total, places=2
            )
            self.assertGreater(settlement.sales_total, 0)
            self.assertLess(settlement.fee_total, 0)
        lines = (eur | gbp).line_ids
        self.assertEqual(
            set(lines.mapped("amazon_order_id")), {o["orderId"] for o in shipped}
        )
        linked = lines.filtered("sale_order_id")
        self.assertTrue(linked, "the imported orders are resolved")
        for line in linked:
            self.assertEqual(line.sale_order_id.amazon_order_id, line.amazon_order_id)
        fba_fees = lines.filtered(
            lambda x: x.breakdown_type == "FBAPerUnitFulfillmentFee"
        )
        self.assertTrue(fba_fees and all(x.amount_kind == "fee" for x in fba_fees))
        self.assertTrue(all(x.transaction_type_label for x in lines))
        self.assertEqual(
            set(
                lines.filtered(lambda x: x.transaction_type == "Shipment").mapped(
                    "transaction_type_label"
                )
            ),
            {"Order payment"},
        )
        # again: nothing changes
        count = len(lines)
        transactions = self.env["amazon.finance.transaction"].search_count([])
        again = self.run_import()
        self.assertEqual(again.created, 0, "no new settlement or line")
        self.assertEqual(len((eur | gbp).line_ids), count)
        self.assertEqual(
            self.env["amazon.finance.transaction"].search_count([]), transactions
        )
        self.assertTrue(log.created)

    def test_open_group_gains_lines_then_closes_with_its_payout(self):
        shipped = self.shop(16, ("IT",))
        self.run_import()
        eur = self.settlement("EUR")
        before = len(eur.line_ids)
        self.control("refunds", {"orderId": shipped[0]["orderId"]})
        self.control(
            "settlements/transactions", {"kind": "advertising", "amount": "30"}
        )
        self.run_import()
        self.assertEqual(self.settlement("EUR"), eur, "the same open settlement")
        self.assertGreater(len(eur.line_ids), before)
        self.assertIn("Refund", eur.line_ids.mapped("transaction_type"))
        self.assertAlmostEqual(
            sum(
                eur.line_ids.filtered(
                    lambda x: x.transaction_type == "ServiceFee"
                ).mapped("amount")
            ),
            -30.0,
            places=2,
        )
        closed = self.control("settlements/close", {"currency": "EUR"})["closed"][0]
        self.control(
            "settlements/transactions", {"kind": "reserve_hold", "amount": "50"}
        )
        self.run_import()
        self.assertEqual(eur.processing_status, "closed")
        self.assertEqual(eur.state, "closed")
        self.assertEqual(eur.trace_reference, closed["TraceId"])
        self.assertTrue(eur.fund_transfer_date)
        self.assertEqual(eur.fund_transfer_status, "Succeeded")
        self.assertEqual(eur.payout_reference, f"PAYOUT-{eur.name}")
        self.assertEqual(eur.payout_state, "PAID")
        self.assertAlmostEqual(
            eur.original_total, closed["OriginalTotal"]["CurrencyAmount"], places=2
        )
        self.assertAlmostEqual(eur.difference, 0.0, places=2)
        self.assertTrue(eur.transactions_read)
        following = self.settlement("EUR")
        self.assertEqual(len(following), 1)
        self.assertEqual(following.line_ids.transaction_type, "ReserveHold")
        self.assertEqual(following.other_total, -50.0)
        # a closed settlement once read is not read again
        self.server.state.requests = []
        self.run_import()
        read = {
            c["query"].get("relatedIdentifierValue")
            for c in self.calls("listTransactions")
        }
        self.assertEqual(read, {following.name})
        self.assertEqual(len(self.calls("listFinancialEventGroups")), 1)

    def test_a_refund_is_one_transaction_for_its_credit_note_and_its_settlement(self):
        shipped = self.shop(12, ("IT",))
        self.control("refunds", {"orderId": shipped[0]["orderId"]})
        self.run_import()
        self.account.refund_import_active = True
        self.env["amazon.finance.importer"]._run(self.account)
        refunds = self.env["amazon.finance.transaction"].search(
            [("account_id", "=", self.account.id), ("transaction_type", "=", "Refund")]
        )
        self.assertEqual(len(refunds), 1)
        line_refunds = self.settlement("EUR").line_ids.filtered(
            lambda x: x.transaction_type == "Refund"
        )
        self.assertEqual(line_refunds.finance_transaction_id, refunds)
        self.assertEqual(refunds.group_reference, self.settlement("EUR").name)
        self.assertEqual(set(line_refunds.mapped("amount_kind")), {"refund", "fee"})

    def test_deferred_money_is_shown_apart_and_paid_when_released(self):
        shipped = self.shop(12, ("IT",))
        deferred_order = shipped[0]["orderId"]
        self.control("settlements/defer", {"orderId": deferred_order})
        self.run_import()
        eur = self.settlement("EUR")
        held = eur.line_ids.filtered(lambda x: x.amazon_order_id == deferred_order)
        self.assertTrue(held and all(held.mapped("deferred")))
        self.assertEqual(set(held.mapped("transaction_status")), {"deferred"})
        self.assertAlmostEqual(eur.deferred_total, sum(held.mapped("amount")), places=2)
        self.assertAlmostEqual(eur.difference, 0.0, places=2, msg="not counted as paid")
        self.control("settlements/close", {"currency": "EUR"})
        self.control("settlements/release", {"orderId": deferred_order})
        self.run_import()
        self.assertEqual(eur.processing_status, "closed")
        self.assertAlmostEqual(eur.deferred_total, 0.0, places=2)
        self.assertAlmostEqual(eur.difference, 0.0, places=2)
        later = self.settlement("EUR")
        self.assertEqual(
            held.settlement_id, later, "paid in the group it was released in"
        )
        self.assertEqual(set(held.mapped("transaction_status")), {"deferred_released"})
        self.assertFalse(any(held.mapped("deferred")))
        self.assertAlmostEqual(
            later.released_total, sum(held.mapped("amount")), places=2
        )
        self.assertEqual(
            held.finance_transaction_id.transaction_status, "DEFERRED_RELEASED"
        )

    def test_bad_data_is_an_error_on_the_settlement_and_the_rest_continues(self):
        self.shop(12, ("IT",))
        self.control(
            "settlements/transactions",
            {"kind": "reimbursement", "amount": "5", "override": {"totalAmount": "x"}},
        )
        self.control(
            "settlements/transactions",
            {"kind": "reimbursement", "amount": "7", "currency": "XXX"},
        )
        # breakdowns that do not explain the total: the rest is a line of its own
        self.control(
            "settlements/transactions",
            {
                "kind": "advertising",
                "amount": "10",
                "override": {
                    "totalAmount": {"currencyCode": "EUR", "currencyAmount": -12.0}
                },
            },
        )
        log = self.run_import()
        self.assertEqual(log.state, "partial")
        eur = self.settlement("EUR")
        self.assertIn("The total amount", eur.import_message)
        self.assertLinesExplainTransactions(eur)
        advertising = eur.line_ids.filtered(
            lambda x: x.transaction_type == "ServiceFee"
        )
        self.assertEqual(
            sorted(advertising.mapped("breakdown_type")),
            ["CostOfAdvertising", "Unitemized"],
        )
        self.assertAlmostEqual(sum(advertising.mapped("amount")), -12.0, places=2)
        broken = self.Settlement.search(
            [("account_id", "=", self.account.id), ("currency_id", "=", False)]
        )
        self.assertEqual(len(broken), 1)
        self.assertIn("XXX", broken.import_message)
        self.assertEqual(len(log.line_ids), 2)

    def test_fees_charges_reserves_and_reimbursements_count_in_their_totals(self):
        shipped = self.shop(12, ("IT",))
        for kind, amount in (
            ("chargeback", "4"),
            ("advertising", "30"),
            ("reserve_hold", "100"),
            ("reserve_release", "60"),
            ("reimbursement", "12"),
        ):
            body = {"kind": kind, "amount": amount}
            if kind == "chargeback":
                body["orderId"] = shipped[0]["orderId"]
            self.control("settlements/transactions", body)
        self.run_import()
        eur = self.settlement("EUR")
        kinds = defaultdict(float)
        for line in eur.line_ids:
            kinds[(line.transaction_type, line.amount_kind)] += line.amount
        self.assertAlmostEqual(kinds[("Chargeback", "fee")], -4.0)
        self.assertAlmostEqual(kinds[("ServiceFee", "fee")], -30.0)
        self.assertAlmostEqual(kinds[("ReserveHold", "other")], -100.0)
        self.assertAlmostEqual(kinds[("ReserveRelease", "other")], 60.0)
        self.assertAlmostEqual(kinds[("Adjustment", "other")], 12.0)
        self.assertAlmostEqual(eur.other_total, -28.0, places=2)
        self.assertAlmostEqual(
            eur.sales_total + eur.refund_total + eur.fee_total + eur.other_total,
            eur.released_total,
            places=2,
        )
        labels = set(eur.line_ids.mapped("transaction_type_label"))
        self.assertTrue({"Charge-back", "Service fee", "Reserve held"} <= labels)

    def test_settlements_are_a_scheduled_kind_and_a_managers_button(self):
        self.assertIn("settlements", self.account._sync_kinds())
        schedule = self.account._sync_schedule("settlements")
        self.assertEqual(schedule.kind, "settlements")
        self.assertTrue(self.shop(12, ("IT",)))
        self.account.action_amazon_import_settlements()
        self.assertTrue(self.settlement("EUR"))
        self.assertTrue(self.account.settlement_import_from)
        self.assertEqual(self.account.amazon_settlement_count, 1)
