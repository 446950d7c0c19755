# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    amazon_fba_date = fields.Datetime(
        string="Amazon FBA Date",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When this move changed Amazon's FBA stock (order placed, return "
        "received): compared with the time of Amazon's FBA inventory snapshots so "
        "that no unit is counted twice.",
    )
