# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AmazonReturn(models.Model):
    """One returned item as Amazon's returns report lists it, and what it did to
    Odoo's stock (a return picking for FBM, a move into the FBA or damaged
    location for FBA)."""

    _name = "amazon.return"
    _description = "Amazon Customer Return"
    _order = "return_date desc, id desc"
    _check_company_auto = True

    account_id = fields.Many2one(
        "amazon.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True
    )
    channel = fields.Selection(
        [("fbm", "Returned to the seller (FBM)"), ("fba", "Returned to Amazon (FBA)")],
        required=True,
        readonly=True,
    )
    return_key = fields.Char(
        required=True, readonly=True, help="What makes the return unique at Amazon."
    )
    amazon_order_id = fields.Char(readonly=True, index=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True, check_company=True)
    sku = fields.Char(string="SKU", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float(readonly=True)
    return_date = fields.Datetime(readonly=True)
    disposition = fields.Char(readonly=True)
    reason = fields.Char(readonly=True)
    state = fields.Selection(
        [
            ("waiting", "Waiting for the goods"),
            ("done", "Back in stock"),
            ("counted", "Already in Amazon's inventory"),
            ("error", "Error"),
        ],
        default="waiting",
        readonly=True,
        index=True,
    )
    message = fields.Text(readonly=True)
    picking_id = fields.Many2one("stock.picking", readonly=True, check_company=True)
    move_id = fields.Many2one("stock.move", readonly=True, check_company=True)
    location_dest_id = fields.Many2one(
        "stock.location", string="Returned To", readonly=True
    )

    _sql_constraints = (
        (
            "return_uniq",
            "unique(account_id, channel, return_key)",
            "An Amazon return is recorded once per account.",
        ),
    )
