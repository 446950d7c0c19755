# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    amazon_personal_data = fields.Boolean(
        readonly=True,
        copy=False,
        help="A file the Amazon connector stored with a buyer's data (shipping "
        "label, packing slip): deleted with the buyer's data after the retention "
        "period of its order.",
    )
