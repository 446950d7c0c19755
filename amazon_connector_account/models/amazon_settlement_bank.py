# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bank deposit of a payout, found and matched without a reconciliation screen.

Odoo 18 Community has no bank reconciliation widget nor matching engine. The
settlement proposes the statement line of its deposit (same amount, booked within
``BANK_MATCH_DAYS`` of Amazon's fund transfer date, Amazon's trace reference in its
label or reference preferred), and Confirm does what Odoo's own widgets do with a
statement line: its suspense item is replaced by a counterpart on the "Amazon
transfers" account (``_prepare_move_line_default_vals``), which is reconciled with
the settlement's payout item. Undo is Odoo's ``action_undo_reconciliation``. The
statement line ends in the state Enterprise's widget or OCA's
``account_reconcile_oca`` would leave it: reconciled, no suspense item.

A deposit reconciled with the payout in one of those screens instead is found by
**Find** (the settlement becomes reconciled); one unreconciled there takes the
settlement back to booked (``account.bank.statement.line``).
"""

from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

BANK_MATCH_DAYS = 7


class AmazonSettlementBankMatch(models.AbstractModel):
    """Finds, confirms and undoes the bank match of settlements (the buttons
    are on ``amazon.settlement``, amazon_settlement_booking.py)."""

    _name = "amazon.settlement.bank.match"
    _description = "Amazon Payouts Matched with the Bank"

    @api.model
    def _payout_amounts(self, settlement):
        """{currency: amount} the deposit may carry: the payout in the settlement's
        currency, or converted by Amazon."""
        amounts = {}
        if settlement.currency_id:
            amounts[settlement.currency_id] = settlement.original_total
        if settlement.converted_currency_id and settlement.converted_total:
            amounts.setdefault(
                settlement.converted_currency_id, settlement.converted_total
            )
        return amounts

    @api.model
    def _find_bank_line(self, settlement):
        """The statement line of the deposit, or an empty recordset."""
        StLine = self.env["account.bank.statement.line"]
        moment = settlement.fund_transfer_date or settlement.end_date
        if not moment:
            return StLine
        day = fields.Date.to_date(moment)
        candidates = StLine
        for currency, amount in self._payout_amounts(settlement).items():
            if currency.is_zero(amount):
                continue
            found = StLine.search(
                [
                    ("company_id", "=", settlement.company_id.id),
                    ("is_reconciled", "=", False),
                    ("state", "=", "posted"),
                    ("date", ">=", day - timedelta(days=BANK_MATCH_DAYS)),
                    ("date", "<=", day + timedelta(days=BANK_MATCH_DAYS)),
                ]
            )
            candidates |= found.filtered(
                lambda st, currency=currency, amount=amount: (
                    st.currency_id == currency
                    and currency.compare_amounts(st.amount, amount) == 0
                )
            )
        taken = (
            self.env["amazon.settlement"]
            .search(
                [
                    ("bank_statement_line_id", "in", candidates.ids),
                    ("id", "!=", settlement.id),
                ]
            )
            .bank_statement_line_id
        )
        candidates -= taken
        trace = (settlement.trace_reference or "").strip().lower()
        if trace:
            with_trace = candidates.filtered(
                lambda st: (
                    trace
                    in " ".join(
                        filter(None, [st.payment_ref, st.ref, st.narration or ""])
                    ).lower()
                )
            )
            if with_trace:
                return with_trace[:1]
        # Without Amazon's reference, only an unambiguous amount and date.
        return candidates if len(candidates) == 1 else StLine

    @api.model
    def _matched_elsewhere(self, settlement):
        """The statement line the payout was matched with outside the settlement
        (Enterprise's or OCA's reconciliation screen), or empty.

        A screen may also have put the deposit on "Amazon transfers" without
        reconciling it with the payout (OCA's Reconcile of its own proposal
        does): that one item of a statement line, open for exactly the payout, is
        reconciled with it here.
        """
        StLine = self.env["account.bank.statement.line"]
        transfer = settlement.transfer_move_line_ids
        if not transfer:
            return StLine
        if not all(transfer.mapped("reconciled")):
            open_items = transfer.filtered(lambda line: not line.reconciled)
            if len(open_items.currency_id) != 1:
                return StLine
            due = sum(open_items.mapped("amount_residual_currency"))
            deposits = (
                self.env["account.move.line"]
                .search(
                    [
                        ("company_id", "=", settlement.company_id.id),
                        (
                            "account_id",
                            "=",
                            settlement.company_id.amazon_transfer_account_id.id,
                        ),
                        ("statement_line_id", "!=", False),
                        ("parent_state", "=", "posted"),
                        ("reconciled", "=", False),
                        ("currency_id", "=", open_items.currency_id.id),
                    ]
                )
                .filtered(
                    lambda line: (
                        open_items.currency_id.compare_amounts(
                            line.amount_residual_currency, -due
                        )
                        == 0
                    )
                )
            )
            if len(deposits) != 1:
                return StLine
            (deposits | open_items).reconcile()
            return deposits.statement_line_id
        partials = transfer.matched_debit_ids | transfer.matched_credit_ids
        counterparts = (partials.debit_move_id | partials.credit_move_id) - transfer
        st_lines = counterparts.move_id.statement_line_id
        return st_lines if len(st_lines) == 1 else StLine

    @api.model
    def _propose(self, settlements):
        for settlement in settlements.filtered(
            lambda s: s.state == "booked" and s.bank_match_state != "confirmed"
        ):
            matched = self._matched_elsewhere(settlement)
            if matched:
                settlement.write(
                    {
                        "bank_statement_line_id": matched.id,
                        "bank_match_state": "confirmed",
                        "state": "reconciled",
                    }
                )
                continue
            line = self._find_bank_line(settlement)
            settlement.write(
                {
                    "bank_statement_line_id": line.id,
                    "bank_match_state": "proposed" if line else "none",
                }
            )

    @api.model
    def _confirm(self, settlement):
        st_line = settlement.bank_statement_line_id.sudo()
        transfer = settlement.transfer_move_line_ids.sudo().filtered(
            lambda line: not line.reconciled
        )
        if not transfer:
            raise UserError(
                self.env._(
                    "The payout of settlement %s is matched already.", settlement.name
                )
            )
        _liquidity, suspense, other = st_line._seek_for_lines()
        if other or not suspense:
            raise UserError(
                self.env._(
                    "The bank statement line %s is reconciled with something else.",
                    st_line.display_name,
                )
            )
        account = settlement.company_id.amazon_transfer_account_id
        vals = st_line._prepare_move_line_default_vals(
            counterpart_account_id=account.id
        )
        payout_currency = transfer.currency_id
        if len(payout_currency) == 1 and vals[1]["currency_id"] != payout_currency.id:
            # A deposit Amazon converted (a GBP payout paid in EUR): the counterpart
            # carries the payout's currency, so that the reconciliation closes it
            # and Odoo books the exchange difference on its own account.
            vals[1].update(
                currency_id=payout_currency.id,
                amount_currency=-sum(transfer.mapped("amount_residual_currency")),
            )
        st_line.with_context(force_delete=True, skip_readonly_check=True).write(
            {"line_ids": [Command.clear()] + [Command.create(v) for v in vals]}
        )
        if "reconcile_mode" in st_line._fields:
            # OCA's account_reconcile_oca unreconciles a line the way it was
            # reconciled: edited in place here, never by reversing other entries.
            st_line.reconcile_mode = "edit"
        counterpart = st_line.move_id.line_ids.filtered(
            lambda line: line.account_id == account
        )
        (counterpart | transfer).reconcile()
        settlement.write({"state": "reconciled", "bank_match_state": "confirmed"})

    @api.model
    def _undo(self, settlement):
        st_line = settlement.bank_statement_line_id.sudo()
        if st_line:
            st_line.action_undo_reconciliation()
            if "reconcile_data" in st_line._fields:
                st_line.reconcile_data = False  # OCA's draft of the old match
        settlement.write(
            {"state": "booked", "bank_match_state": "proposed" if st_line else "none"}
        )
