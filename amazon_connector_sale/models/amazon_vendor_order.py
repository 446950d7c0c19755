# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.amazon_connector.exceptions import AmazonError

from . import amazon_vendor_const as const
from .amazon_vendor_tools import to_iso

ACK_STATES = [
    ("to_send", "To send"),
    ("sent", "Sent"),
    ("error", "Error"),
]


class AmazonVendorOrder(models.Model):
    """An Amazon Vendor purchase order (Retail or Direct Fulfillment).

    The binding between Amazon's purchase order and its Odoo sale order: it keeps
    what Amazon sent that a sale order has no field for (parties, windows, states)
    and the vendor's answers (acknowledgement, shipment confirmation) with the
    transaction ids Amazon returned.
    """

    _name = "amazon.vendor.order"
    _description = "Amazon vendor purchase order"
    _inherit = "mail.thread"
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
    ack_error = fields.Text("Acknowledgement error", readonly=True)
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
        for order in self.filtered(lambda o: o.ack_state != "sent"):
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
        """Send the answers of the items to Amazon (``submitAcknowledgement``).

        Retail orders send the per-item answers; Direct Fulfillment orders the
        order-wide code (``_df_send_acknowledgement``). On success the sale order
        follows: quantities become the acknowledged ones, and the order is
        confirmed (anything accepted) or cancelled (everything rejected). A
        refusal by Amazon is kept on the order (state "Error") rather than
        raised, so it is not rolled back with the request.

        :return: a notification action when Amazon refused an order, else True.
        :raise UserError: the order is already acknowledged.
        :raise AccessError: the user is not an Amazon manager of the orders
        """
        self._check_amazon_action_rights()
        errors = []
        for order in self:
            if order.ack_state == "sent":
                raise UserError(
                    self.env._("Purchase order %s is already acknowledged.", order.name)
                )
            if order.kind == "df":
                body = order._df_prepare_acknowledgement_body()
                operation = const.OP_DF_SUBMIT_ACKNOWLEDGEMENT
            else:
                order.line_ids._check_acknowledgement()
                body = order._prepare_acknowledgement_body()
                operation = const.OP_SUBMIT_ACKNOWLEDGEMENT
            try:
                payload = order.account_id._spapi_call(operation, body=body)
            except AmazonError as error:
                order.write({"ack_state": "error", "ack_error": str(error)})
                order.message_post(
                    body=self.env._("Amazon refused the acknowledgement: %s", error)
                )
                errors.append(f"{order.name}: {error}")
                continue
            if order.kind == "df":
                order._df_after_acknowledgement(payload)
            else:
                order._after_acknowledgement(payload)
        if errors:
            return self._notify_errors(errors)
        return True

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

    def _mark_acknowledged(self, payload):
        self.write(
            {
                "ack_state": "sent",
                "ack_transaction_id": (payload or {}).get("transactionId"),
                "ack_date": fields.Datetime.now(),
                "ack_error": False,
            }
        )
        self.message_post(
            body=self.env._(
                "Acknowledgement sent to Amazon (transaction %s).",
                self.ack_transaction_id or "-",
            )
        )

    def _after_acknowledgement(self, payload):
        """Store Amazon's transaction id and make the sale order follow the answers."""
        self.ensure_one()
        self._mark_acknowledged(payload)
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
        else:
            order._action_cancel()

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
