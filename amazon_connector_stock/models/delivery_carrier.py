# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    amazon_carrier_id = fields.Many2one(
        "amazon.carrier",
        ondelete="set null",
        help="Carrier code sent to Amazon when a delivery shipped with this method "
        'is confirmed. Empty: a carrier with the same name, else "Other".',
    )
    amazon_shipping_method = fields.Char(
        help="Shipping method sent to Amazon (e.g. 'FedEx Ground'); defaults to the "
        "delivery method's name.",
    )
