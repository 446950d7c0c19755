# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    def action_undo_reconciliation(self):
        """A deposit unreconciled elsewhere (OCA's or Enterprise's screen) takes
        its settlement back to booked, the deposit still proposed."""
        res = super().action_undo_reconciliation()
        self.env["amazon.settlement"].sudo().search(
            [("bank_statement_line_id", "in", self.ids), ("state", "=", "reconciled")]
        ).write({"state": "booked", "bank_match_state": "proposed"})
        return res
