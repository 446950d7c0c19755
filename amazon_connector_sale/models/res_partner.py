# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    amazon_created = fields.Boolean(
        string="Created from Amazon",
        readonly=True,
        copy=False,
        index=True,
        help="Created by the order import; its personal data is anonymized after "
        "the retention period.",
    )
    amazon_account_id = fields.Many2one("amazon.account", readonly=True, copy=False)
    amazon_match_key = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        help="Normalized name and address, used to recognize a buyer without e-mail.",
    )
    amazon_anonymized = fields.Boolean(readonly=True, copy=False)
    amazon_invoice_copy = fields.Boolean(
        string="Kept for Issued Invoices",
        readonly=True,
        copy=False,
        help="An Amazon buyer past the retention period, kept archived with the "
        "name and address its posted invoices were issued to (tax law): used by "
        "those invoices and their credit notes only.",
    )

    def _handle_first_contact_creation(self):
        """Never copy an Amazon delivery address onto an existing contact.

        Odoo gives a parent without address the address of its first child; a
        contact matched by e-mail must stay exactly as it was.
        """
        if self.env.context.get("amazon_keep_parent"):
            return
        return super()._handle_first_contact_creation()
