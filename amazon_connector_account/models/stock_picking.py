# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        """An Amazon order invoiced "when it ships" is invoiced when its delivery
        is validated (FBM) or when Amazon's shipment is recorded (FBA)."""
        res = super()._action_done()
        delivered = self.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        )
        # The warehouse user validating may see neither Amazon accounts nor
        # invoices: the account's policy decides, as the system.
        orders = delivered.sudo().sale_id.filtered(
            lambda o: o.amazon_account_id and o.amazon_order_kind == "seller"
        )
        if orders:
            self.env["amazon.invoicer"]._invoice_on(orders, "ship")
        return res
