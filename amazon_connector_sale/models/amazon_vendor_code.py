# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class AmazonVendorCode(models.Model):
    """A vendor code (Amazon's "selling party") of a Vendor Central account.

    Amazon orders from a vendor code; one Vendor Central account usually holds
    several (one per legal entity, currency or business line). The import asks
    Amazon for the orders of each active code, and the acknowledgement, shipment
    confirmation and invoice all carry the code back as ``sellingParty``.
    """

    _name = "amazon.vendor.code"
    _description = "Amazon vendor code"
    _order = "account_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(
        "Vendor code",
        required=True,
        help="Amazon's party id of the selling party, e.g. ABCDE (Vendor Central > "
        "Settings > Vendor codes).",
    )
    description = fields.Char()
    account_id = fields.Many2one(
        "amazon.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    active = fields.Boolean(default=True)
    use_retail = fields.Boolean(
        "Retail", default=True, help="Import the Retail purchase orders of this code."
    )
    use_direct_fulfillment = fields.Boolean(
        "Direct Fulfillment",
        help="Import the Direct Fulfillment orders of this code.",
    )
    ship_from_party_id = fields.Char(
        "DF warehouse code",
        help="Amazon's id of the vendor warehouse shipping Direct Fulfillment "
        "orders (shipFromPartyId). Empty: the orders of every warehouse.",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        help="Warehouse of the orders of this code. Empty: the account's warehouse.",
    )

    _sql_constraints = (
        (
            "vendor_code_uniq",
            "unique(account_id, name, ship_from_party_id)",
            "This vendor code is already set on the account.",
        ),
    )

    @api.depends("name", "description")
    def _compute_display_name(self):
        for code in self:
            code.display_name = (
                f"{code.name} - {code.description}" if code.description else code.name
            )
