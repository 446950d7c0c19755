# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockPicking(models.Model):
    """A validated delivery of a Direct Fulfillment order is queued for Amazon."""

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
        self._amazon_df_flag_shipments()
        return result

    def _amazon_df_flag_shipments(self):
        """Queue the DF shipment confirmations; the outbox job sends them.

        Validation never depends on the user's sales or Amazon rights (a stock
        manager validates any delivery) and never calls Amazon: the message is
        recorded in ``amazon.outbox.message`` and sent by its job once this
        transaction is committed, in its own transaction, exactly once.
        """
        for picking in self.sudo()._amazon_df_deliveries():
            binding = picking.sale_id.amazon_vendor_order_ids.filtered(
                lambda b: b.kind == "df"
            )[:1]
            if binding:
                # Only queued here: the outbox job sends it after the commit.
                binding._df_confirm_shipment(picking)

    def _amazon_df_deliveries(self):
        return self.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "outgoing"
                and p.sale_id.amazon_order_kind == "vendor_df"
            )
        )
