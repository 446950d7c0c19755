# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleOrder(models.Model):
    """Link a sale order to its Amazon vendor purchase order (if any)."""

    _inherit = "sale.order"

    amazon_vendor_order_ids = fields.One2many(
        "amazon.vendor.order", "sale_order_id", string="Amazon Purchase Orders"
    )
    amazon_vendor_order_id = fields.Many2one(
        "amazon.vendor.order",
        string="Amazon Purchase Order",
        compute="_compute_amazon_vendor_order_id",
    )

    @api.depends("amazon_vendor_order_ids")
    def _compute_amazon_vendor_order_id(self):
        for order in self:
            order.amazon_vendor_order_id = order.amazon_vendor_order_ids[:1]

    def action_open_amazon_vendor_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "amazon.vendor.order",
            "res_id": self.amazon_vendor_order_id.id,
            "view_mode": "form",
        }
