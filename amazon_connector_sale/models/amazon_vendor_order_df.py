# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import threading

from odoo import api, fields, models

from odoo.addons.amazon_connector.exceptions import AmazonError, AmazonThrottled

from . import amazon_vendor_const as const
from .amazon_vendor_tools import decimal_text, to_iso

_logger = logging.getLogger(__name__)

# Automatic retries of a refused shipment confirmation before a person must act
# (the same bound as FBM confirmations, amazon_connector_stock).
DF_SHIPMENT_MAX_AUTO_RETRIES = 5

SHIPMENT_STATES = [
    ("to_send", "To send"),
    ("sent", "Sent"),
    ("error", "Error"),
]


class AmazonVendorOrder(models.Model):
    """Direct Fulfillment: order-wide acknowledgement and shipment confirmation."""

    _inherit = "amazon.vendor.order"

    customer_order_number = fields.Char(readonly=True)
    ship_method = fields.Char(readonly=True)
    is_priority_shipment = fields.Boolean("Priority shipment", readonly=True)
    is_gift = fields.Boolean("Gift", readonly=True)
    required_ship_date = fields.Datetime("Ship by", readonly=True)
    promised_delivery_date = fields.Datetime("Promised delivery", readonly=True)
    df_ack_code = fields.Selection(
        const.DF_ACK_SELECTION,
        "DF answer",
        default=const.DF_ACK_ACCEPT,
        help="A Direct Fulfillment order is accepted or cancelled as a whole.",
    )
    shipment_state = fields.Selection(
        SHIPMENT_STATES, "Shipment confirmation", readonly=True, tracking=True
    )
    shipment_transaction_id = fields.Char("Shipment transaction", readonly=True)
    shipment_date = fields.Datetime("Shipment confirmed on", readonly=True)
    shipment_error = fields.Text(readonly=True)
    shipment_attempts = fields.Integer(readonly=True, copy=False)
    picking_id = fields.Many2one("stock.picking", "Confirmed delivery", readonly=True)

    # --- acknowledgement ------------------------------------------------------
    def _df_prepare_acknowledgement_body(self):
        """``SubmitAcknowledgementRequest`` of vendorDfOrders 2021-12-28.

        Amazon wants every item, each with its whole ordered quantity: the order
        is shipped or cancelled as a whole (use case guide, business requirements).
        """
        self.ensure_one()
        label = dict(const.DF_ACK_SELECTION)[self.df_ack_code or const.DF_ACK_ACCEPT]
        items = [
            line._df_item(
                line.item_sequence_number, "acknowledgedQuantity", line.ordered_qty
            )
            for line in self.line_ids
        ]
        return {
            "orderAcknowledgements": [
                {
                    "purchaseOrderNumber": self.name,
                    "vendorOrderNumber": self.sale_order_id.name or self.name,
                    "acknowledgementDate": to_iso(fields.Datetime.now()),
                    "acknowledgementStatus": {
                        "code": self.df_ack_code or const.DF_ACK_ACCEPT,
                        "description": label.split(" - ", 1)[-1],
                    },
                    "sellingParty": {"partyId": self.selling_party_id},
                    "shipFromParty": {"partyId": self.ship_from_party_id},
                    "itemAcknowledgements": items,
                }
            ]
        }

    def _df_after_acknowledgement(self, payload):
        """Accepted: confirm the sale order. Cancelled: cancel it (retention starts)."""
        self.ensure_one()
        self._mark_acknowledged(payload)
        order = self.sale_order_id
        if not order or order.state not in ("draft", "sent"):
            return
        if (self.df_ack_code or const.DF_ACK_ACCEPT) == const.DF_ACK_ACCEPT:
            order.action_confirm()
        else:
            order._action_cancel()
            order.amazon_closed_date = fields.Datetime.now()

    # --- shipment confirmation ------------------------------------------------
    def _df_schedule_shipment_sending(self):
        """Run the confirmation job as soon as the current transaction commits.

        The same queue as FBM confirmations: a cron trigger is a row of the
        validating transaction, so a rolled-back validation sends nothing and
        the job reads committed deliveries in a transaction of its own.
        """
        cron = self.env.ref(
            "amazon_connector_sale.ir_cron_amazon_df_shipment_confirm",
            raise_if_not_found=False,
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_df_send_shipments(self):
        """Send the flagged DF shipment confirmations and retry refused ones."""
        pending = self.search(
            [
                ("kind", "=", "df"),
                ("picking_id", "!=", False),
                "|",
                ("shipment_state", "=", "to_send"),
                "&",
                ("shipment_state", "=", "error"),
                ("shipment_attempts", "<", DF_SHIPMENT_MAX_AUTO_RETRIES),
            ],
            order="id",
        )
        for binding in pending:
            try:
                with self.env.cr.savepoint():
                    binding._df_confirm_shipment(binding.picking_id)
            except AmazonThrottled:
                break  # the rest stays to send, for the next run
            except Exception as exc:  # one order never blocks the others
                _logger.exception("DF shipment confirmation of %s failed", binding.id)
                binding.write(
                    {
                        "shipment_state": "error",
                        "shipment_error": self.env._(
                            "Unexpected error: %(error)s", error=exc
                        ),
                        "shipment_attempts": binding.shipment_attempts + 1,
                    }
                )
            if not getattr(threading.current_thread(), "testing", False):
                # What Amazon accepted must not be rolled back by a later crash.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return True

    def _df_confirm_shipment(self, picking):
        """Tell Amazon a validated delivery left (``submitShipmentConfirmations``).

        Called by the confirmation job, never while the delivery is validated:
        a refusal is kept on the order, and the job retries it.
        """
        self.ensure_one()
        body = self._df_prepare_shipment_body(picking)
        attempts = self.shipment_attempts + 1
        try:
            payload = self.account_id._spapi_call(
                const.OP_DF_SUBMIT_SHIPMENT_CONFIRMATIONS, body=body
            )
        except AmazonThrottled:
            raise
        except AmazonError as error:
            self.write(
                {
                    "shipment_state": "error",
                    "shipment_error": str(error),
                    "shipment_attempts": attempts,
                    "picking_id": picking.id,
                }
            )
            self.message_post(
                body=self.env._("Amazon refused the shipment confirmation: %s", error)
            )
            return False
        self.write(
            {
                "shipment_state": "sent",
                "shipment_transaction_id": (payload or {}).get("transactionId"),
                "shipment_date": fields.Datetime.now(),
                "shipment_error": False,
                "shipment_attempts": attempts,
                "picking_id": picking.id,
            }
        )
        order = self.sale_order_id
        if order and not order.amazon_closed_date:
            # Shipped: the retention period of the customer's address starts.
            order.amazon_closed_date = fields.Datetime.now()
        return True

    def action_retry_shipment_confirmation(self):
        for order in self.filtered(lambda o: o.kind == "df" and o.picking_id):
            try:
                order._df_confirm_shipment(order.picking_id)
            except AmazonThrottled as error:
                order.shipment_error = str(error)
        return True

    def _df_shipped_quantities(self, picking):
        """Shipped quantity (in units) per vendor line, read from the done moves."""
        quantities = {}
        for line in self.line_ids:
            moves = picking.move_ids.filtered(
                lambda m, line=line: (
                    m.sale_line_id == line.sale_line_id and m.state == "done"
                )
            )
            quantities[line] = int(
                sum(
                    m.product_uom._compute_quantity(m.quantity, m.product_id.uom_id)
                    for m in moves
                )
            )
        return quantities

    def _df_prepare_shipment_body(self, picking):
        """``SubmitShipmentConfirmationsRequest`` (vendorDfShipping 2021-12-28)."""
        self.ensure_one()
        items, packed = [], []
        for line, quantity in self._df_shipped_quantities(picking).items():
            if not quantity:
                continue
            item = line._df_item(
                int(line.item_sequence_number), "shippedQuantity", quantity
            )
            items.append(item)
            packed.append(
                {
                    "itemSequenceNumber": item["itemSequenceNumber"],
                    "packedQuantity": item["shippedQuantity"],
                }
            )
        details = {
            "shippedDate": to_iso(picking.date_done or fields.Datetime.now()),
            "shipmentStatus": const.DF_SHIPMENT_SHIPPED,
            "isPriorityShipment": self.is_priority_shipment,
            "vendorOrderNumber": self.sale_order_id.name,
        }
        confirmation = {
            "purchaseOrderNumber": self.name,
            "shipmentDetails": details,
            "sellingParty": {"partyId": self.selling_party_id},
            "shipFromParty": {"partyId": self.ship_from_party_id},
            "items": items,
        }
        container = self._df_prepare_container(picking, packed)
        if container:
            confirmation["containers"] = [container]
        return {"shipmentConfirmations": [confirmation]}

    def _df_prepare_container(self, picking, packed):
        """The parcel with its tracking number, when the delivery has one.

        Carrier, tracking number and weight come from ``stock_delivery`` when it is
        installed; without them the confirmation goes without containers.
        """
        if "carrier_tracking_ref" not in picking._fields:
            return None
        tracking = picking.carrier_tracking_ref
        if not tracking:
            return None
        uom_name = self.env[
            "product.template"
        ]._get_weight_uom_name_from_ir_config_parameter()
        weight = picking.shipping_weight or picking.weight or 0.0
        container = {
            "containerType": "Carton",
            "containerIdentifier": tracking,
            "trackingNumber": tracking,
            "containerSequenceNumber": 1,
            "weight": {
                "unitOfMeasure": "LB" if uom_name in ("lb", "lbs") else "KG",
                "value": decimal_text(weight),
            },
            "packedItems": packed,
        }
        if picking.carrier_id:
            container["carrier"] = picking.carrier_id.name
            container["shipMethod"] = self.ship_method or picking.carrier_id.name
        return container
