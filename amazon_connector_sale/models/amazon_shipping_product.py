# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..const import SERVICE_LEVELS


class AmazonShippingProduct(models.Model):
    _name = "amazon.shipping.product"
    _description = "Amazon Shipping Product by Service Level"

    account_id = fields.Many2one("amazon.account", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    service_level = fields.Selection(SERVICE_LEVELS, required=True)
    product_id = fields.Many2one("product.product", required=True)
