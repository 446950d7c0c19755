# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockPicking(models.Model):
    """A validated delivery of a Direct Fulfillment order is queued for Amazon."""

    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        self._amazon_df_flag_shipments()
        return result

    def _amazon_df_flag_shipments(self):
        """Flag the DF orders these deliveries ship; the confirmation job sends them.

        Validation never depends on the user's sales or Amazon rights (a stock
        manager validates any delivery) and never calls Amazon: the message is
        sent by the queued job once this transaction is committed, in its own
        transaction, and retried there when Amazon refuses or is down.
        """
        bindings = self.env["amazon.vendor.order"]
        for picking in self.sudo()._amazon_df_deliveries():
            binding = picking.sale_id.amazon_vendor_order_ids.filtered(
                lambda b: b.kind == "df"
            )[:1]
            if binding and binding.shipment_state != "sent":
                binding.write(
                    {
                        "shipment_state": "to_send",
                        "shipment_error": False,
                        "shipment_attempts": 0,
                        "picking_id": picking.id,
                    }
                )
                bindings |= binding
        if bindings:
            bindings._df_schedule_shipment_sending()

    def _amazon_df_deliveries(self):
        return self.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "outgoing"
                and p.sale_id.amazon_order_kind == "vendor_df"
            )
        )
