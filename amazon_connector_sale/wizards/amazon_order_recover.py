# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import fields, models
from odoo.exceptions import UserError

# Amazon's seller order ids: three groups of 3, 7 and 7 digits (405-1234567-1234567).
ORDER_ID_FORMAT = re.compile(r"^\d{3}-\d{7}-\d{7}$")


class AmazonOrderRecover(models.TransientModel):
    """Import one order by its Amazon id (e.g. one filtered out or missed)."""

    _name = "amazon.order.recover"
    _description = "Recover an Amazon Order"

    account_id = fields.Many2one("amazon.account", required=True)
    amazon_order_id = fields.Char(string="Amazon Order ID", required=True)

    def action_recover(self):
        self.ensure_one()
        order_id = (self.amazon_order_id or "").strip()
        if not ORDER_ID_FORMAT.match(order_id):
            raise UserError(
                self.env._(
                    "%(text)r is not an Amazon order id. An order id has three "
                    "groups of 3, 7 and 7 digits, like 405-1234567-1234567: copy it "
                    "from Seller Central > Orders.",
                    text=order_id[:40],
                )
            )
        account = self.account_id._as_sync_runner()
        sale_order = account.env["amazon.order.importer"]._recover_order(
            account, order_id
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Amazon order %s", order_id),
            "res_model": "sale.order",
            "res_id": sale_order.id,
            "view_mode": "form",
        }
