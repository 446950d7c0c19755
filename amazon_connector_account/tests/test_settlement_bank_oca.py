# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bank match of a settlement with OCA's ``account_reconcile_oca`` installed
(issue 16: it works the same as without it), on the Italian company.

OCA's reconciliation screen reads a statement line through its own fields
(``reconcile_data_info``, ``can_reconcile``) and unreconciles it with
``unreconcile_bank_line``: a deposit the settlement confirmed must look reconciled
there, one it undid must look open, and OCA's Unreconcile must leave the settlement
in a state its own buttons recover from. Tagged ``amazon_oca``: run only on a
database where OCA's module is installed (``./setup/test --only oca``)."""

from odoo.tests import tagged

from .test_settlement_booking import SettlementCase


@tagged("post_install", "-at_install", "amazon_oca")
class TestSettlementBankOCA(SettlementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        oca = cls.env["ir.module.module"].search(
            [("name", "=", "account_reconcile_oca")]
        )
        # Fail loudly, never skip: the tag is only run where OCA is installed.
        assert oca.state == "installed", "account_reconcile_oca is not installed"
        cls.suspense = cls.bank_journal.suspense_account_id

    @property
    def transfers(self):
        """The "Amazon transfers" account (made by the first booking)."""
        return self.company.amazon_transfer_account_id

    def booked_with_deposit(self, order_id, trace):
        self.shipped(order_id)
        settlement = self.settlement(self.shipment_lines(order_id), trace=trace)
        deposit = self.deposit(settlement.original_total, trace=trace)
        settlement.action_amazon_book()
        self.assertEqual(settlement.state, "booked", msg=settlement.review_message)
        self.assertEqual(settlement.bank_statement_line_id, deposit)
        self.assertEqual(settlement.bank_match_state, "proposed")
        return settlement, deposit

    def oca_data(self, st_line):
        """What OCA's reconciliation screen shows of ``st_line``, freshly read."""
        st_line.invalidate_recordset()
        return st_line.reconcile_data_info["data"]

    def assertOpen(self, deposit, settlement):
        """The deposit open again on the bank suspense account, the payout open
        on the transfers account."""
        self.assertFalse(deposit.is_reconciled)
        self.assertEqual(
            deposit.move_id.line_ids.filtered(
                lambda line: line.account_id == self.suspense
            ).balance,
            -settlement.original_total,
            msg="the deposit waits on the bank suspense account",
        )
        self.assertFalse(settlement.transfer_move_line_ids.reconciled)
        self.assertAlmostEqual(
            self.balance(self.transfers), settlement.original_total, places=2
        )

    def assertOpenInOCA(self, deposit, settlement):
        """The deposit as OCA's screen shows a line still to reconcile: its
        suspense item, nothing to validate until the accountant completes it."""
        self.assertOpen(deposit, settlement)
        data = self.oca_data(deposit)
        self.assertIn("suspense", [line["kind"] for line in data])
        self.assertFalse(deposit.can_reconcile, msg="OCA's Reconcile is not offered")

    def test_a_confirmed_deposit_is_reconciled_in_ocas_screen_and_undone(self):
        settlement, deposit = self.booked_with_deposit("IT-OCA-1", "TR-OCA-1")
        self.assertOpenInOCA(deposit, settlement)
        settlement.action_amazon_confirm_bank_match()
        self.assertEqual(settlement.state, "reconciled")
        self.assertTrue(deposit.is_reconciled)
        self.assertFalse(
            deposit.move_id.line_ids.filtered(
                lambda line: line.account_id == self.suspense
            ),
            msg="no suspense item left, as after OCA's own Reconcile (edit mode)",
        )
        payout = settlement.transfer_move_line_ids
        data = self.oca_data(deposit)
        self.assertEqual(sorted(line["kind"] for line in data), ["liquidity", "other"])
        other = next(line for line in data if line["kind"] == "other")
        self.assertEqual(
            (other["account_id"][0], other["id"]),
            (self.transfers.id, payout.id),
            msg="OCA shows the deposit reconciled with the settlement's payout",
        )
        self.assertAlmostEqual(other["amount"], -settlement.original_total, places=2)
        self.assertAlmostEqual(sum(line["amount"] for line in data), 0.0, places=2)
        self.assertAlmostEqual(self.balance(self.transfers), 0.0, places=2)

        settlement.action_amazon_undo_bank_match()
        self.assertEqual(settlement.state, "booked")
        self.assertEqual(settlement.bank_match_state, "proposed")
        self.assertOpenInOCA(deposit, settlement)

        settlement.action_amazon_confirm_bank_match()
        self.assertEqual(settlement.state, "reconciled", msg="confirmed again")
        self.assertTrue(deposit.is_reconciled)

    def test_ocas_unreconcile_of_a_confirmed_deposit_is_recovered_by_undo(self):
        settlement, deposit = self.booked_with_deposit("IT-OCA-2", "TR-OCA-2")
        settlement.action_amazon_confirm_bank_match()
        self.assertTrue(deposit.is_reconciled)
        booking = settlement.move_ids

        deposit.unreconcile_bank_line()  # OCA's Unreconcile button
        self.assertOpen(deposit, settlement)
        self.assertEqual(settlement.state, "booked", msg="the settlement follows")
        self.assertEqual(settlement.bank_match_state, "proposed")
        data = self.oca_data(deposit)
        self.assertEqual(
            [(line["kind"], line["account_id"][0]) for line in data],
            [("liquidity", self.bank_journal.default_account_id.id)]
            + [("other", self.transfers.id)],
            msg="OCA's screen proposes the payout again",
        )
        self.assertEqual(data[1]["id"], settlement.transfer_move_line_ids.id)
        self.assertEqual(
            settlement.move_ids.mapped("state"),
            ["posted"],
            msg="OCA's Unreconcile leaves the settlement's entry as it is",
        )
        self.assertEqual(settlement.move_ids, booking)
        self.assertFalse(
            booking.reversal_move_ids, msg="nothing of the booking is reversed"
        )

        # The settlement's own Confirm takes it from there.
        self.assertEqual(settlement.bank_statement_line_id, deposit)
        settlement.action_amazon_confirm_bank_match()
        self.assertEqual(settlement.state, "reconciled")
        self.assertTrue(deposit.is_reconciled)
        self.assertAlmostEqual(self.balance(self.transfers), 0.0, places=2)

    def test_a_journal_that_keeps_suspense_items_unreconciles_without_reversal(self):
        # OCA's "Keep Suspense Accounts" mode reverses the counterpart entries on
        # Unreconcile; the settlement's confirmation edits the deposit itself.
        self.bank_journal.reconcile_mode = "keep"
        settlement, deposit = self.booked_with_deposit("IT-OCA-3", "TR-OCA-3")
        settlement.action_amazon_confirm_bank_match()
        self.assertTrue(deposit.is_reconciled)
        self.assertEqual(deposit.reconcile_mode, "edit", msg="edited in place")
        deposit.unreconcile_bank_line()
        self.assertOpen(deposit, settlement)
        self.assertFalse(
            settlement.move_ids.reversal_move_ids,
            msg="the settlement's entry is not reversed by OCA's Unreconcile",
        )
        self.assertEqual(settlement.state, "booked")
        settlement.action_amazon_confirm_bank_match()
        self.assertEqual(settlement.state, "reconciled")
        self.assertTrue(deposit.is_reconciled)
