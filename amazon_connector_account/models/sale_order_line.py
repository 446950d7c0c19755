# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.depends(
        "order_id.amazon_account_id.invoice_policy_fbm",
        "order_id.amazon_account_id.invoice_policy_fba",
    )
    def _compute_qty_to_invoice(self):
        """The account's invoicing policy decides what an Amazon order invoices:
        what Amazon sold when invoiced on import, what shipped when invoiced on
        shipment (charges such as shipping go with the goods), whatever the
        products' own invoicing policy. By hand ("never"), Odoo's rule applies."""
        res = super()._compute_qty_to_invoice()
        for line in self:
            order = line.order_id
            if (
                line.state != "sale"
                or line.display_type
                or not order.amazon_account_id
                or order.amazon_order_kind != "seller"
            ):
                continue
            policy = order.amazon_account_id._get_invoice_policy(
                order.amazon_fulfillment_channel
            )
            if policy == "import" or (
                policy == "ship" and line.product_id.type != "consu"
            ):
                line.qty_to_invoice = line.product_uom_qty - line.qty_invoiced
            elif policy == "ship":
                line.qty_to_invoice = line.qty_delivered - line.qty_invoiced
        return res
