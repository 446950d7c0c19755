# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    amazon_order_item_id = fields.Char(string="Amazon Item", readonly=True, copy=False)
    amazon_sku = fields.Char(string="Amazon SKU", readonly=True, copy=False)
    amazon_gift_message = fields.Boolean(
        readonly=True,
        copy=False,
        help="A buyer's gift message: printed for the parcel, never invoiced, "
        "erased with the buyer's data after the retention period.",
    )
