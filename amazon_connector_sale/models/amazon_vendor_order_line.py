# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .. import const


class AmazonVendorOrderLine(models.Model):
    """One item of an Amazon purchase order, and what the vendor answers for it.

    Quantities are Amazon's (``orderedQuantity.amount`` in cases or eaches); the
    sale order line holds the same quantity in units (cases times case size).
    """

    _name = "amazon.vendor.order.line"
    _description = "Amazon vendor purchase order item"
    _order = "vendor_order_id, sequence, id"

    vendor_order_id = fields.Many2one(
        "amazon.vendor.order", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(related="vendor_order_id.kind")
    company_id = fields.Many2one(
        related="vendor_order_id.company_id", store=True, index=True
    )
    sequence = fields.Integer()
    sale_line_id = fields.Many2one("sale.order.line", ondelete="set null")
    product_id = fields.Many2one(related="sale_line_id.product_id")
    item_sequence_number = fields.Char("Item", required=True)
    amazon_product_identifier = fields.Char("ASIN")
    vendor_product_identifier = fields.Char("Vendor SKU")
    title = fields.Char()
    ordered_qty = fields.Integer("Ordered", help="Quantity ordered, in Amazon's unit.")
    unit_of_measure = fields.Char("Unit", default=const.UOM_EACHES)
    unit_size = fields.Integer("Case size", default=1)
    net_cost = fields.Float("Net cost", digits="Product Price")
    list_price = fields.Float(digits="Product Price")
    currency_code = fields.Char("Currency")
    cost_unit_of_measure = fields.Char(
        "Cost per", help="Items priced by weight: the weight unit of the net cost."
    )
    is_backorder_allowed = fields.Boolean("Backorder allowed")
    # Acknowledgement (Retail, per line).
    ack_code = fields.Selection(
        const.ACK_CODE_SELECTION,
        "Answer",
        default=const.ACK_ACCEPTED,
        help="Accept: ship the acknowledged quantity (any rest is rejected). "
        "Backorder: ship it later, on the scheduled date. Reject: ship nothing.",
    )
    ack_qty = fields.Integer(
        "Acknowledged",
        help="Quantity accepted or backordered, in Amazon's unit. The rest of the "
        "ordered quantity is rejected with the rejection reason.",
    )
    scheduled_ship_date = fields.Datetime()
    scheduled_delivery_date = fields.Datetime()
    rejection_reason = fields.Selection(const.REJECTION_REASON_SELECTION)
    # Read back with getPurchaseOrdersStatus.
    confirmation_status = fields.Selection(
        const.CONFIRMATION_STATUS_SELECTION, readonly=True
    )
    accepted_qty = fields.Integer(readonly=True)
    rejected_qty = fields.Integer(readonly=True)
    receive_status = fields.Selection(const.RECEIVE_STATUS_SELECTION, readonly=True)
    received_qty = fields.Integer(readonly=True)

    @api.constrains("ack_qty", "ordered_qty")
    def _check_ack_qty(self):
        for line in self:
            if line.ack_qty < 0 or line.ack_qty > line.ordered_qty:
                raise ValidationError(
                    self.env._(
                        "Item %(item)s: Amazon accepts between 0 and %(qty)s.",
                        item=line.item_sequence_number,
                        qty=line.ordered_qty,
                    )
                )

    @api.onchange("ack_code")
    def _onchange_ack_code(self):
        for line in self:
            if line.ack_code == const.ACK_REJECTED:
                line.ack_qty = 0
                line.rejection_reason = (
                    line.rejection_reason or "TemporarilyUnavailable"
                )
            elif not line.ack_qty:
                line.ack_qty = line.ordered_qty

    def _units(self, amazon_qty):
        """Amazon quantity (cases or eaches) to units of the product."""
        self.ensure_one()
        if self.unit_of_measure and self.unit_of_measure.lower() == "cases":
            return amazon_qty * (self.unit_size or 1)
        return amazon_qty

    def _check_acknowledgement(self):
        """Refuse answers Amazon would reject, before sending them.

        :raise ValidationError: a rejection without reason, a backorder without
            date or on an item Amazon does not allow backorders for.
        """
        for line in self:
            item = line.item_sequence_number
            rest = line.ordered_qty - (
                0 if line.ack_code == const.ACK_REJECTED else line.ack_qty
            )
            if rest and not line.rejection_reason:
                raise ValidationError(
                    self.env._("Item %s: choose the reason of the rejection.", item)
                )
            if line.ack_code == const.ACK_BACKORDERED:
                if not line.is_backorder_allowed:
                    raise ValidationError(
                        self.env._("Item %s: Amazon allows no backorder for it.", item)
                    )
                if not (line.scheduled_ship_date or line.scheduled_delivery_date):
                    raise ValidationError(
                        self.env._(
                            "Item %s: a backorder needs a scheduled ship or "
                            "delivery date.",
                            item,
                        )
                    )

    def _df_item(self, sequence, quantity_key, quantity):
        """A Direct Fulfillment item of this line: its sequence number, a quantity
        in units (``acknowledgedQuantity``, ``shippedQuantity``) and Amazon's and
        the vendor's product identifiers when known.

        :param sequence: the item sequence number, as the operation's model types it
        """
        self.ensure_one()
        item = {
            "itemSequenceNumber": sequence,
            quantity_key: {"amount": quantity, "unitOfMeasure": const.DF_UOM_EACH},
        }
        if self.amazon_product_identifier:
            item["buyerProductIdentifier"] = self.amazon_product_identifier
        if self.vendor_product_identifier:
            item["vendorProductIdentifier"] = self.vendor_product_identifier
        return item
