# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockPicking(models.Model):
    """A validated delivery of a Direct Fulfillment order is confirmed to Amazon."""

    _inherit = "stock.picking"

    amazon_outbox_message_ids = fields.One2many(
        "amazon.outbox.message",
        "picking_id",
        string="Messages to Amazon",
        readonly=True,
        help="The Direct Fulfillment shipment confirmation of this delivery and "
        "Amazon's verdict on it.",
    )

    def _action_done(self):
        result = super()._action_done()
        for picking in self._amazon_df_deliveries():
            binding = picking.sale_id.amazon_vendor_order_ids.filtered(
                lambda b: b.kind == "df"
            )[:1]
            if binding:
                # Only queued here: the outbox job sends it after the commit.
                # The warehouse user needs no right on Amazon's purchase orders.
                binding.sudo()._df_confirm_shipment(picking)
        return result

    def _amazon_df_deliveries(self):
        return self.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "outgoing"
                and p.sale_id.amazon_order_kind == "vendor_df"
            )
        )
