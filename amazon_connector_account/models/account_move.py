# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    amazon_invoiced_by_amazon = fields.Boolean(
        string="Issued by Amazon",
        readonly=True,
        copy=False,
        help="Amazon issued the buyer's invoice: this entry records the sale and "
        "is never sent.",
    )
    amazon_tax_note = fields.Text(
        string="Tax Difference with Amazon", readonly=True, copy=False
    )
    amazon_rounding_amount = fields.Monetary(
        string="Rounding with Amazon",
        compute="_compute_amazon_rounding_amount",
        store=True,
        help="The amount of the line that makes the total equal Amazon's.",
    )
    amazon_refund_transaction_id = fields.Many2one(
        "amazon.finance.transaction",
        string="Amazon Refund",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    amazon_settlement_id = fields.Many2one(
        "amazon.settlement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    amazon_seller_invoice_ref = fields.Char(
        string="Amazon Invoice Id",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Amazon's invoice to the seller (fees) this bill records.",
    )
    amazon_account_id = fields.Many2one("amazon.account", readonly=True, copy=False)
    amazon_settlement_line_ids = fields.One2many(
        "amazon.settlement.line",
        "vendor_bill_id",
        string="Amazon Fees Invoiced",
        readonly=True,
    )

    _sql_constraints = (
        (
            "amazon_seller_invoice_uniq",
            "unique(company_id, amazon_seller_invoice_ref)",
            "Amazon's invoice is recorded once per company.",
        ),
    )

    def _invoice_paid_hook(self):
        """A settlement booking pays thousands of invoices at once: sale's note
        "Invoice ... paid" on each order is collected and logged in one batch
        (``sale.order._amazon_log_paid_notes``), not posted one order at a time."""
        if not self.env.context.get("amazon_settlement_booking") or (
            self.env.context.get("amazon_paid_notes") is not None
        ):
            return super()._invoice_paid_hook()
        notes = []
        result = super(
            AccountMove, self.with_context(amazon_paid_notes=notes)
        )._invoice_paid_hook()
        self.env["sale.order"]._amazon_log_paid_notes(notes)
        return result

    @api.depends("invoice_line_ids.price_total", "invoice_line_ids.product_id")
    def _compute_amazon_rounding_amount(self):
        rounding_products = (
            self.env["amazon.account"]
            .sudo()
            .with_context(active_test=False)
            .search([])
            .rounding_product_id
        )
        for move in self:
            lines = move.invoice_line_ids.filtered(
                lambda line: line.product_id in rounding_products
            )
            move.amazon_rounding_amount = sum(lines.mapped("price_total"))

    def action_send_and_print(self):
        self._amazon_check_sendable()
        return super().action_send_and_print()

    def action_invoice_sent(self):
        self._amazon_check_sendable()
        return super().action_invoice_sent()

    def _amazon_check_sendable(self):
        issued = self.filtered("amazon_invoiced_by_amazon")
        if issued:
            raise UserError(
                self.env._(
                    "Amazon issued the buyer's invoice of %s: Odoo's entry records "
                    "the sale and must not be sent as a second invoice.",
                    ", ".join(issued.mapped("name")),
                )
            )
