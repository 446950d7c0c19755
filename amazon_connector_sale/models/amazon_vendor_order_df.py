# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import logging

from odoo import fields, models

from odoo.addons.amazon_connector.exceptions import AmazonError, AmazonNotFound

from .. import const
from ..utils import decimal_text, to_iso

_logger = logging.getLogger(__name__)

# How attachments made by the connector are recognized (retention, see README):
# ``description`` starts with this tag, followed by the document kind.
ATTACHMENT_TAG = "amazon_connector:"

SHIPMENT_STATES = [
    ("to_send", "To send"),
    ("queued", "Waiting to be sent"),
    ("sent", "Received by Amazon"),
    ("accepted", "Accepted by Amazon"),
    ("unknown", "Outcome unknown"),
    ("error", "Rejected by Amazon"),
]
# The order shows its most worrying shipment confirmation (one per delivery).
OUTBOX_TO_SHIPMENT_STATE = {
    "pending": "queued",
    "sending": "queued",
    "sent": "sent",
    "accepted": "accepted",
    "rejected": "error",
    "unknown": "unknown",
    "cancelled": "to_send",
}
SHIPMENT_STATE_PRIORITY = ("error", "unknown", "queued", "sent", "to_send", "accepted")


class AmazonVendorOrder(models.Model):
    """Direct Fulfillment: order-wide acknowledgement and shipment confirmation."""

    _inherit = "amazon.vendor.order"

    customer_order_number = fields.Char(readonly=True)
    ship_method = fields.Char(readonly=True)
    is_priority_shipment = fields.Boolean("Priority shipment", readonly=True)
    is_gift = fields.Boolean("Gift", readonly=True)
    is_pslip_required = fields.Boolean(
        "Packing slip required",
        readonly=True,
        help="Amazon requires its packing slip in the parcel: it is fetched and "
        "attached to the delivery once the order is accepted.",
    )
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

    def _df_apply_acknowledgement(self):
        """Accepted: confirm the sale order. Cancelled: cancel it (retention starts)."""
        self.ensure_one()
        order = self.sale_order_id
        if not order or order.state not in ("draft", "sent"):
            return
        if (self.df_ack_code or const.DF_ACK_ACCEPT) == const.DF_ACK_ACCEPT:
            order.action_confirm()
        else:
            order._action_cancel()
            order.amazon_closed_date = fields.Datetime.now()

    # --- packing slips and labels --------------------------------------------
    def action_df_fetch_documents(self):
        """Fetch Amazon's packing slip and shipping label onto the delivery."""
        self._check_amazon_action_rights()
        for order in self.filtered(lambda o: o.kind == "df"):
            order._df_fetch_shipping_documents(force=True)
        return True

    def _df_delivery(self):
        """The delivery that is still to ship (the first one not done)."""
        pickings = self.sale_order_id.picking_ids.filtered(
            lambda p: (
                p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
            )
        )
        return pickings.sorted("id")[:1]

    def _df_fetch_shipping_documents(self, force=False):
        """Attach the packing slip (when Amazon requires one) and Amazon's label
        (when the account ships on Amazon's carrier account) to the delivery.

        Read-only for the order: a failure is noted on the order, never raised,
        and the documents can be fetched again with the button. Documents the
        delivery already has are not fetched again unless ``force``.
        """
        self.ensure_one()
        picking = self._df_delivery()
        if not picking:
            return False
        attached = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "stock.picking"),
                ("res_id", "=", picking.id),
                ("description", "=like", f"{ATTACHMENT_TAG}%"),
            ]
        )
        kinds = {(a.description or "").split()[0] for a in attached}
        try:
            if self.is_pslip_required and (
                force or f"{ATTACHMENT_TAG}df_packing_slip" not in kinds
            ):
                self._df_attach_packing_slip(picking)
            if self.account_id.vendor_df_label_source == "amazon" and (
                force or f"{ATTACHMENT_TAG}df_label" not in kinds
            ):
                self._df_attach_labels(picking)
        except AmazonError as error:
            self.message_post(
                body=self.env._(
                    "Packing slip or shipping label not fetched from Amazon: %s", error
                )
            )
            return False
        return True

    def _df_attachment(self, picking, kind, name, data, mimetype):
        """An attachment of the delivery, marked as the connector's."""
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "res_model": "stock.picking",
                "res_id": picking.id,
                "raw": data,
                "mimetype": mimetype,
                "description": f"{ATTACHMENT_TAG}{kind} {self.name}",
                # The end customer's name and address: deleted by the retention job.
                "amazon_personal_data": True,
            }
        )

    def _df_attach_packing_slip(self, picking):
        data = self.account_id._spapi_call(
            const.OP_DF_GET_PACKING_SLIP, purchaseOrderNumber=self.name
        )
        content = base64.b64decode((data or {}).get("content") or "")
        if not content:
            return None
        return self._df_attachment(
            picking,
            "df_packing_slip",
            self.env._("Amazon packing slip %s.pdf", self.name),
            content,
            (data or {}).get("contentType") or "application/pdf",
        )

    def _df_attach_labels(self, picking):
        """Amazon's label: the one already created, else a new one for one parcel."""
        party = {
            "sellingParty": {"partyId": self.selling_party_id},
            "shipFromParty": {"partyId": self.ship_from_party_id},
        }
        try:
            label = self.account_id._spapi_call(
                const.OP_DF_GET_SHIPPING_LABEL, purchaseOrderNumber=self.name
            )
        except AmazonNotFound:
            label = self.account_id._spapi_call(
                const.OP_DF_CREATE_SHIPPING_LABELS,
                purchaseOrderNumber=self.name,
                body=party,
            )
        label = label or {}
        extension = "zpl" if label.get("labelFormat") == "ZPL" else "png"
        mimetype = "text/plain" if extension == "zpl" else "image/png"
        attachments = self.env["ir.attachment"]
        for package in label.get("labelData") or []:
            content = base64.b64decode(package.get("content") or "")
            name = self.env._(
                "Amazon label %(po)s %(package)s.%(ext)s",
                po=self.name,
                package=package.get("packageIdentifier") or "001",
                ext=extension,
            )
            attachments |= self._df_attachment(
                picking, "df_label", name, content, mimetype
            )
            tracking = package.get("trackingNumber")
            if tracking:
                self._df_keep_tracking_number(picking, tracking)
        return attachments

    # --- shipment confirmation ------------------------------------------------
    def _df_confirm_shipment(self, picking):
        """Queue the confirmation of one validated delivery
        (``submitShipmentConfirmations``): each delivery confirms its own items,
        so a backorder shipped later is confirmed on its own.

        Never blocks the warehouse: a body that cannot be built is kept on the
        order as an error, to retry.

        :return: the outbox message, or None when nothing could be queued.
        """
        self.ensure_one()
        try:
            body = self._df_prepare_shipment_body(picking)
        except Exception as error:  # the warehouse must not be blocked
            self.write(
                {
                    "shipment_state": "error",
                    "shipment_error": str(error),
                    "picking_id": picking.id,
                }
            )
            return None
        self.picking_id = picking
        order = self.sale_order_id
        if order and not order.amazon_closed_date:
            # Shipped: the retention period of the customer's address starts.
            order.amazon_closed_date = fields.Datetime.now()
        message = self.env["amazon.outbox.message"]._post(
            self.account_id,
            "df_shipment",
            picking,
            body,
            key=f"{self.name}/{picking.id}",
            vendor_order_id=self.id,
            picking_id=picking.id,
        )
        self._df_shipment_updated(message)
        return message

    def _df_shipment_updated(self, message):
        """The order shows the most worrying of its deliveries' confirmations."""
        self.ensure_one()
        messages = self.outbox_message_ids.filtered(lambda m: m.kind == "df_shipment")
        states = {OUTBOX_TO_SHIPMENT_STATE[m.state] for m in messages}
        state = next((s for s in SHIPMENT_STATE_PRIORITY if s in states), False)
        errors = [
            f"{m.document_name}: {m.error}"
            for m in messages
            if m.error and m.state in ("rejected", "unknown")
        ]
        self.write(
            {
                "shipment_state": state,
                "shipment_transaction_id": message.transaction_id
                or self.shipment_transaction_id,
                "shipment_date": message.sent_date or self.shipment_date,
                "shipment_error": "\n".join(errors) or False,
            }
        )

    def action_retry_shipment_confirmation(self):
        """Send again the confirmations Amazon rejected; queue missing ones."""
        self._check_amazon_action_rights()
        for order in self.filtered(lambda o: o.kind == "df"):
            messages = order.outbox_message_ids.filtered(
                lambda m: m.kind == "df_shipment" and m.state == "rejected"
            )
            for message in messages:
                picking = message.picking_id
                if picking:
                    order._df_confirm_shipment(picking)
            if not messages and order.shipment_state == "error" and order.picking_id:
                order._df_confirm_shipment(order.picking_id)
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
        """The parcel with its tracking number, real weight and Amazon's carrier.

        The tracking number comes from ``stock_delivery`` (or Amazon's label);
        without one the confirmation goes without containers.
        """
        tracking = self._df_tracking_number(picking)
        if not tracking:
            return None
        uom_name = self.env[
            "product.template"
        ]._get_weight_uom_name_from_ir_config_parameter()
        container = {
            "containerType": "Carton",
            "containerIdentifier": tracking,
            "trackingNumber": tracking,
            "containerSequenceNumber": 1,
            "weight": {
                "unitOfMeasure": "LB" if uom_name in ("lb", "lbs") else "KG",
                "value": decimal_text(self._df_package_weight(picking)),
            },
            "packedItems": packed,
        }
        carrier = self._df_carrier_code(picking)
        if carrier:
            container["carrier"] = carrier
        ship_method = self.ship_method or self._df_delivery_method_name(picking)
        if ship_method:
            container["shipMethod"] = ship_method
        return container

    def _df_package_weight(self, picking):
        """The weight of the parcel: what was weighed (``shipping_weight``), else
        the products' weights times the shipped quantities
        (``amazon_connector_stock`` adds the delivery's computed weight)."""
        if picking.shipping_weight:
            return picking.shipping_weight
        return sum(
            move.product_id.weight
            * move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id)
            for move in picking.move_ids
            if move.state == "done"
        )

    # --- the delivery method: Odoo's stock_delivery, which this addon does not
    # depend on; amazon_connector_stock (which does) answers these ---------------
    def _df_carrier_code(self, picking):
        """Amazon's carrier code of the delivery's method; none here."""
        return False

    def _df_delivery_method_name(self, picking):
        """The name of the delivery's method; none here."""
        return False

    def _df_tracking_number(self, picking):
        """The delivery's tracking number; none here."""
        return False

    def _df_keep_tracking_number(self, picking, tracking):
        """Keep the tracking number of Amazon's label on the delivery; nowhere
        to keep it here."""
