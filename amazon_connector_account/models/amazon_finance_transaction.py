# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's financial transactions (Finances API 2024-06-19), kept as Amazon sent
them: one record per transaction with its breakdowns, by item. Refunds become
credit notes from here; settlements read the same records."""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..const import TRANSACTION_STATUSES, TRANSACTION_TYPE_REFUND


class AmazonFinanceTransaction(models.Model):
    _name = "amazon.finance.transaction"
    _description = "Amazon Financial Transaction"
    _order = "posted_date desc, id desc"
    _check_company_auto = True

    account_id = fields.Many2one(
        "amazon.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, precompute=True
    )
    transaction_id = fields.Char(
        string="Amazon Transaction", required=True, readonly=True
    )
    transaction_type = fields.Char(string="Type", readonly=True, index=True)
    transaction_status = fields.Selection(
        TRANSACTION_STATUSES, string="Status", readonly=True
    )
    description = fields.Char(readonly=True)
    posted_date = fields.Datetime(readonly=True, index=True)
    marketplace_id = fields.Many2one("amazon.marketplace", readonly=True)
    amazon_order_id = fields.Char(readonly=True, index=True)
    sale_order_id = fields.Many2one(
        "sale.order", readonly=True, index="btree_not_null", check_company=True
    )
    refund_reference = fields.Char(string="Amazon Refund Id", readonly=True)
    group_reference = fields.Char(string="Financial Event Group", readonly=True)
    total_amount = fields.Monetary(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    line_ids = fields.One2many(
        "amazon.finance.transaction.line", "transaction_id", string="Breakdowns"
    )
    refund_state = fields.Selection(
        [
            ("none", "Not a refund"),
            ("waiting", "Waiting for the invoice"),
            ("done", "Credit note"),
            ("error", "Error"),
        ],
        default="none",
        readonly=True,
        index=True,
    )
    refund_message = fields.Text(readonly=True)
    credit_note_id = fields.Many2one("account.move", readonly=True, check_company=True)

    _sql_constraints = (
        (
            "transaction_uniq",
            "unique(account_id, transaction_id)",
            "An Amazon transaction is recorded once per account.",
        ),
    )

    @api.depends("transaction_type", "transaction_id")
    def _compute_display_name(self):
        for record in self:
            record.display_name = (
                f"{record.transaction_type or ''} {record.transaction_id or ''}"
            ).strip()

    def action_amazon_make_credit_notes(self):
        """Make the credit notes of the selected refunds that can have one now.

        :raise AccessError: the user may not invoice (credit notes are made as
            the system)
        """
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only invoicing users may make credit notes."))
        refunds = self.filtered(lambda t: t.transaction_type == TRANSACTION_TYPE_REFUND)
        self.env["amazon.refund.booker"]._book_refunds(refunds)
        return True

    def action_open_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.credit_note_id.id,
            "view_mode": "form",
        }


class AmazonFinanceTransactionLine(models.Model):
    """One breakdown of a transaction (leaves and their parents), per item."""

    _name = "amazon.finance.transaction.line"
    _description = "Amazon Financial Transaction Breakdown"
    _order = "transaction_id, sequence, id"

    transaction_id = fields.Many2one(
        "amazon.finance.transaction", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="transaction_id.company_id", store=True, precompute=True
    )
    sequence = fields.Integer()
    from_item = fields.Boolean(
        help="A breakdown of one item; the others are the transaction's totals."
    )
    sku = fields.Char(string="SKU")
    quantity = fields.Float()
    item_reference = fields.Char(string="Amazon Item Id")
    breakdown_type = fields.Char(string="Type")
    path = fields.Char(help="The breakdown's parents, outermost first.")
    is_leaf = fields.Boolean()
    amount = fields.Monetary()
    currency_id = fields.Many2one("res.currency")
