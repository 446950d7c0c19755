# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AmazonOrderRecover(models.TransientModel):
    """Import one order by its Amazon id (e.g. one filtered out or missed)."""

    _name = "amazon.order.recover"
    _description = "Recover an Amazon Order"

    account_id = fields.Many2one("amazon.account", required=True)
    amazon_order_id = fields.Char(string="Amazon Order ID", required=True)

    def action_recover(self):
        self.ensure_one()
        account = self.account_id._as_sync_runner()
        sale_order = account.env["amazon.order.importer"]._recover_order(
            account, self.amazon_order_id.strip()
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": sale_order.id,
            "view_mode": "form",
        }
