# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    amazon_settlement_journal_id = fields.Many2one(
        related="company_id.amazon_settlement_journal_id",
        readonly=False,
        domain="[('type', '=', 'general'), ('company_id', '=', company_id)]",
    )
    amazon_transfer_account_id = fields.Many2one(
        related="company_id.amazon_transfer_account_id", readonly=False
    )
    amazon_fees_clearing_account_id = fields.Many2one(
        related="company_id.amazon_fees_clearing_account_id", readonly=False
    )
    amazon_reserve_account_id = fields.Many2one(
        related="company_id.amazon_reserve_account_id", readonly=False
    )
    amazon_vendor_partner_id = fields.Many2one(
        related="company_id.amazon_vendor_partner_id", readonly=False
    )
    amazon_fee_tax_id = fields.Many2one(
        related="company_id.amazon_fee_tax_id", readonly=False
    )
