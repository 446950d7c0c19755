# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..const import CARRIER_CODE_OTHER


class AmazonCarrier(models.Model):
    """A carrier Amazon knows by code, and the Odoo delivery methods mapped to it.

    Amazon validates tracking numbers against the carrier code, so a shipment
    confirmed with the right code shows tracking to the buyer; anything unmapped
    is confirmed as "Other" with the carrier's name.
    """

    _name = "amazon.carrier"
    _description = "Amazon Carrier"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=False)
    code = fields.Char(
        required=True,
        help="Amazon's carrier code, sent as carrierCode in shipment confirmations.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    delivery_carrier_ids = fields.One2many(
        "delivery.carrier",
        "amazon_carrier_id",
        string="Odoo Delivery Methods",
        help="Deliveries shipped with these methods are confirmed to Amazon with "
        "this carrier code.",
    )

    _sql_constraints = (
        ("code_uniq", "unique(code)", "An Amazon carrier code must be unique."),
    )

    @api.model
    def _find_for_delivery_carrier(self, delivery_carrier):
        """Return the Amazon carrier for an Odoo delivery method.

        The explicit mapping wins; otherwise a carrier whose name or code equals
        the delivery method's name (case-insensitive) is used, so "DHL" or "UPS"
        work without configuration.

        :param delivery_carrier: delivery.carrier record (may be empty)
        :return: amazon.carrier record, empty when unmapped
        """
        if not delivery_carrier:
            return self.browse()
        if delivery_carrier.amazon_carrier_id:
            return delivery_carrier.amazon_carrier_id
        name = (delivery_carrier.name or "").strip().lower()
        for carrier in self.search([("code", "!=", CARRIER_CODE_OTHER)]):
            if name in (carrier.name.lower(), carrier.code.lower()):
                return carrier
        return self.browse()
