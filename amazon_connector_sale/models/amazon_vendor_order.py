# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .. import const
from ..utils import to_iso

ACK_STATES = [
    ("to_send", "To send"),
    ("queued", "Waiting to be sent"),
    ("sent", "Received by Amazon"),
    ("accepted", "Accepted by Amazon"),
    ("unknown", "Outcome unknown"),
    ("error", "Rejected by Amazon"),
]
# The acknowledgement state shown for each state of its outbox message.
OUTBOX_TO_ACK_STATE = {
    "pending": "queued",
    "sending": "queued",
    "sent": "sent",
    "accepted": "accepted",
    "rejected": "error",
    "unknown": "unknown",
    "cancelled": "to_send",
}
# Acknowledgement states in which the answers can still be changed and sent.
ACK_OPEN_STATES = ("to_send", "error")


class AmazonVendorOrder(models.Model):
    """An Amazon Vendor purchase order (Retail or Direct Fulfillment).

    The binding between Amazon's purchase order and its Odoo sale order: it keeps
    what Amazon sent that a sale order has no field for (parties, windows, states)
    and the vendor's answers (acknowledgement, shipment confirmation) with the
    transaction ids Amazon returned.
    """

    _name = "amazon.vendor.order"
    _description = "Amazon vendor purchase order"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "po_date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Purchase order", required=True, readonly=True, index=True)
    kind = fields.Selection(
        [("retail", "Retail"), ("df", "Direct Fulfillment")],
        required=True,
        readonly=True,
    )
    account_id = fields.Many2one(
        "amazon.account", required=True, readonly=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    sale_order_id = fields.Many2one(
        "sale.order", readonly=True, ondelete="cascade", index=True, check_company=True
    )
    partner_id = fields.Many2one(related="sale_order_id.partner_id")
    sale_state = fields.Selection(related="sale_order_id.state", string="Order state")
    currency_id = fields.Many2one(related="sale_order_id.currency_id")
    amount_untaxed = fields.Monetary(related="sale_order_id.amount_untaxed")
    vendor_code_id = fields.Many2one("amazon.vendor.code", readonly=True)
    selling_party_id = fields.Char("Vendor code", readonly=True)
    ship_from_party_id = fields.Char("Ship-from party", readonly=True)
    buying_party_id = fields.Char("Buying party", readonly=True)
    ship_to_party_id = fields.Char("Ship-to party", readonly=True)
    bill_to_party_id = fields.Char("Bill-to party", readonly=True)
    po_state = fields.Selection(const.PO_STATE_SELECTION, "Amazon state", readonly=True)
    df_status = fields.Selection(const.DF_STATUS_SELECTION, "DF status", readonly=True)
    po_type = fields.Selection(const.PO_TYPE_SELECTION, "Order type", readonly=True)
    payment_method = fields.Char(readonly=True)
    po_date = fields.Datetime("Ordered on", readonly=True)
    po_changed_date = fields.Datetime("Changed on", readonly=True)
    po_state_changed_date = fields.Datetime("State changed on", readonly=True)
    ship_window_start = fields.Datetime(readonly=True)
    ship_window_end = fields.Datetime(readonly=True)
    delivery_window_start = fields.Datetime(readonly=True)
    delivery_window_end = fields.Datetime(readonly=True)
    line_ids = fields.One2many("amazon.vendor.order.line", "vendor_order_id", "Items")
    # Acknowledgement.
    ack_state = fields.Selection(
        ACK_STATES, "Acknowledgement", default="to_send", readonly=True, tracking=True
    )
    ack_transaction_id = fields.Char("Acknowledgement transaction", readonly=True)
    ack_date = fields.Datetime("Acknowledged on", readonly=True)
    ack_error = fields.Text("Amazon's answer", readonly=True)
    outbox_message_ids = fields.One2many(
        "amazon.outbox.message", "vendor_order_id", "Messages to Amazon", readonly=True
    )
    # Status read back (Retail, getPurchaseOrdersStatus).
    po_status = fields.Selection(
        const.PO_STATUS_SELECTION, "Amazon status", readonly=True, tracking=True
    )
    status_date = fields.Datetime("Status read on", readonly=True)

    _sql_constraints = (
        (
            "po_uniq",
            "unique(account_id, kind, name)",
            "This purchase order is already imported for the account.",
        ),
    )

    @api.depends("name", "kind")
    def _compute_display_name(self):
        for order in self:
            order.display_name = order.name

    def action_open_sale_order(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Retail acknowledgement
    # ------------------------------------------------------------------
    def action_accept_all(self):
        """Answer every item "accepted, as ordered" (the usual answer)."""
        for order in self.filtered(lambda o: o.ack_state in ACK_OPEN_STATES):
            for line in order.line_ids:
                line.write(
                    {"ack_code": const.ACK_ACCEPTED, "ack_qty": line.ordered_qty}
                )

    def _check_amazon_action_rights(self):
        """Before anything else in an action that talks to Amazon.

        A refused user must not reach Amazon: an acknowledgement sent and then
        rolled back by an AccessError would change Amazon's state, not Odoo's.

        :raise AccessError: the user is not an Amazon manager of the orders
        """
        self.env["amazon.account"]._check_amazon_manager(self)

    def action_send_acknowledgement(self):
        """Queue the answers of the items for Amazon (``submitAcknowledgement``).

        Retail orders send the per-item answers; Direct Fulfillment orders the
        order-wide code (``_df_prepare_acknowledgement_body``). The sale order
        follows at once (quantities become the acknowledged ones; confirmed when
        anything is accepted, cancelled otherwise) in the same transaction as the
        message: a confirmation error rolls both back and Amazon gets nothing.
        The job of ``amazon.outbox.message`` sends the message after the commit
        and reads Amazon's verdict back onto the order.

        :raise UserError: the order is already acknowledged or being sent.
        :raise AccessError: the user is not an Amazon manager of the orders
        """
        self._check_amazon_action_rights()
        outbox = self.env["amazon.outbox.message"]
        for order in self:
            if order.ack_state not in ("to_send", "error"):
                raise UserError(
                    self.env._("Purchase order %s is already acknowledged.", order.name)
                )
            if order.kind == "df":
                body = order._df_prepare_acknowledgement_body()
                kind = "df_ack"
                order._df_apply_acknowledgement()
            else:
                order.line_ids._check_acknowledgement()
                body = order._prepare_acknowledgement_body()
                kind = "retail_ack"
                order._apply_acknowledgement()
            order.write({"ack_state": "queued", "ack_error": False})
            outbox._post(
                order.account_id,
                kind,
                order,
                body,
                key=order.name,
                vendor_order_id=order.id,
            )
        return True

    def _amazon_outbox_updated(self, message):
        """Show the state of a message about this order (acknowledgement, shipment)."""
        self.ensure_one()
        if message.kind in ("retail_ack", "df_ack"):
            self.write(
                {
                    "ack_state": OUTBOX_TO_ACK_STATE[message.state],
                    "ack_transaction_id": message.transaction_id,
                    "ack_date": message.sent_date,
                    "ack_error": message.error
                    if message.state in ("rejected", "unknown")
                    else False,
                }
            )
            if message.state in ("sent", "accepted", "rejected"):
                self.message_post(
                    body=self.env._(
                        "Acknowledgement: %(verdict)s (transaction %(tx)s).",
                        verdict=message.verdict,
                        tx=message.transaction_id or "-",
                    )
                )
            if (
                message.kind == "df_ack"
                and message.state in ("sent", "accepted")
                and (self.df_ack_code or const.DF_ACK_ACCEPT) == const.DF_ACK_ACCEPT
            ):
                # Accepted: the warehouse needs Amazon's packing slip and label.
                self._df_fetch_shipping_documents()
        elif message.kind == "df_shipment":
            self._df_shipment_updated(message)

    def _notify_errors(self, errors):
        return self.env["amazon.account"]._notify(
            self.env._("Amazon refused the request"),
            "\n".join(errors),
            "danger",
            sticky=True,
            reload=False,
        )

    def _prepare_acknowledgement_body(self):
        """``SubmitAcknowledgementRequest`` of this purchase order (vendorOrders v1)."""
        self.ensure_one()
        return {
            "acknowledgements": [
                {
                    "purchaseOrderNumber": self.name,
                    "sellingParty": {"partyId": self.selling_party_id},
                    "acknowledgementDate": to_iso(fields.Datetime.now()),
                    "items": [
                        self._prepare_acknowledgement_item(line)
                        for line in self.line_ids
                    ],
                }
            ]
        }

    def _prepare_acknowledgement_item(self, line):
        """``OrderAcknowledgementItem``: the item as ordered and the answers.

        An accepted or backordered quantity below the ordered one is sent as two
        answers: the quantity kept, and the rest rejected with the line's reason.
        """
        quantity = {"amount": line.ordered_qty, "unitOfMeasure": line.unit_of_measure}
        if line.unit_size:
            quantity["unitSize"] = line.unit_size
        item = {
            "itemSequenceNumber": line.item_sequence_number,
            "orderedQuantity": quantity,
            "itemAcknowledgements": [],
        }
        if line.amazon_product_identifier:
            item["amazonProductIdentifier"] = line.amazon_product_identifier
        if line.vendor_product_identifier:
            item["vendorProductIdentifier"] = line.vendor_product_identifier
        if line.currency_code:
            item["netCost"] = {
                "currencyCode": line.currency_code,
                "amount": f"{line.net_cost:.2f}",
            }
        kept = 0 if line.ack_code == const.ACK_REJECTED else line.ack_qty
        if kept:
            answer = {
                "acknowledgementCode": line.ack_code,
                "acknowledgedQuantity": dict(quantity, amount=kept),
            }
            if line.scheduled_ship_date:
                answer["scheduledShipDate"] = to_iso(line.scheduled_ship_date)
            if line.scheduled_delivery_date:
                answer["scheduledDeliveryDate"] = to_iso(line.scheduled_delivery_date)
            item["itemAcknowledgements"].append(answer)
        if line.ordered_qty - kept > 0 or not kept:
            item["itemAcknowledgements"].append(
                {
                    "acknowledgementCode": const.ACK_REJECTED,
                    "acknowledgedQuantity": dict(
                        quantity, amount=line.ordered_qty - kept
                    ),
                    "rejectionReason": line.rejection_reason
                    or "TemporarilyUnavailable",
                }
            )
        return item

    def _apply_acknowledgement(self):
        """Make the sale order follow the answers: acknowledged quantities,
        confirmed (anything accepted) or cancelled (everything rejected)."""
        self.ensure_one()
        order = self.sale_order_id
        if not order or order.state not in ("draft", "sent"):
            return
        for line in self.line_ids.filtered("sale_line_id"):
            kept = 0 if line.ack_code == const.ACK_REJECTED else line.ack_qty
            # Writing the price with the quantity keeps Amazon's cost: Odoo would
            # otherwise recompute the price from the pricelist.
            line.sale_line_id.write(
                {
                    "product_uom_qty": line._units(kept),
                    "price_unit": line.sale_line_id.price_unit,
                }
            )
        if any(line.product_uom_qty for line in order.order_line):
            order.action_confirm()
            self._schedule_backorders()
        else:
            order._action_cancel()

    def _schedule_backorders(self):
        """Move the backordered quantities to their own delivery, on the date the
        acknowledgement promised (``scheduledShipDate``), so the warehouse does
        not see them as due now."""
        self.ensure_one()
        for line in self.line_ids.filtered(
            lambda v: (
                v.ack_code == const.ACK_BACKORDERED
                and v.scheduled_ship_date
                and v.sale_line_id
            )
        ):
            moves = line.sale_line_id.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel") and m.picking_id
            )
            for picking in moves.picking_id:
                own = moves.filtered(lambda m, p=picking: m.picking_id == p)
                if own != picking.move_ids:
                    picking = picking.copy(
                        {"move_ids": [], "scheduled_date": line.scheduled_ship_date}
                    )
                    own.write({"picking_id": picking.id})
                own.write({"date": line.scheduled_ship_date})
                picking.scheduled_date = line.scheduled_ship_date

    # ------------------------------------------------------------------
    # Retail status read back
    # ------------------------------------------------------------------
    def action_refresh_status(self):
        """Read Amazon's view of the order (``getPurchaseOrdersStatus``)."""
        self._check_amazon_action_rights()
        for order in self.filtered(lambda o: o.kind == "retail"):
            payload = order.account_id._spapi_call(
                const.OP_GET_PURCHASE_ORDERS_STATUS, purchaseOrderNumber=order.name
            )
            for status in (payload or {}).get("ordersStatus") or []:
                if status.get("purchaseOrderNumber") == order.name:
                    order._apply_status(status)
        return True

    def _apply_status(self, status):
        """Write one ``OrderStatus`` onto the order and its items."""
        self.ensure_one()
        self.write(
            {
                "po_status": status.get("purchaseOrderStatus") or self.po_status,
                "status_date": fields.Datetime.now(),
            }
        )
        lines = {line.item_sequence_number: line for line in self.line_ids}
        for item in status.get("itemStatus") or []:
            line = lines.get(item.get("itemSequenceNumber"))
            if not line:
                continue
            ack = item.get("acknowledgementStatus") or {}
            receiving = item.get("receivingStatus") or {}
            line.write(
                {
                    "confirmation_status": ack.get("confirmationStatus") or False,
                    "accepted_qty": (ack.get("acceptedQuantity") or {}).get("amount")
                    or 0,
                    "rejected_qty": (ack.get("rejectedQuantity") or {}).get("amount")
                    or 0,
                    "receive_status": receiving.get("receiveStatus") or False,
                    "received_qty": (receiving.get("receivedQuantity") or {}).get(
                        "amount"
                    )
                    or 0,
                }
            )

    @api.model
    def _refresh_statuses(self, account, after, before):
        """Read the statuses updated in a window and apply those of known orders.

        :return: number of orders updated.
        """
        known = {
            order.name: order
            for order in self.search(
                [("account_id", "=", account.id), ("kind", "=", "retail")]
            )
        }
        if not known:
            return 0
        count, token = 0, None
        while True:
            params = {
                "updatedAfter": to_iso(after),
                "updatedBefore": to_iso(before),
                "limit": const.PAGE_LIMIT,
            }
            if token:
                params["nextToken"] = token
            payload = account._spapi_call(const.OP_GET_PURCHASE_ORDERS_STATUS, **params)
            payload = payload or {}
            for status in payload.get("ordersStatus") or []:
                order = known.get(status.get("purchaseOrderNumber"))
                if order:
                    order._apply_status(status)
                    count += 1
            token = (payload.get("pagination") or {}).get("nextToken")
            if not token:
                return count
