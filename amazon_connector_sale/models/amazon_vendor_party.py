# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from babel.core import get_global

from odoo import fields, models

from ..buyer_text import clean_text
from ..exceptions import AmazonOrderDataError

PARTY_ROLES = [
    ("buying", "Buying party"),
    ("ship_to", "Ship-to party"),
    ("bill_to", "Bill-to party"),
]


class AmazonVendorParty(models.Model):
    """The contact standing for one Amazon party id (buyer, warehouse, bill-to).

    Amazon names its legal entities and fulfilment centres by party ids (e.g.
    ``ABCD``) and rarely sends their address. Each (account, role, party id) gets
    one contact, created on the first order and reused afterwards, so renaming or
    completing it in Odoo (a VAT number for invoices) sticks.
    """

    _name = "amazon.vendor.party"
    _description = "Amazon vendor party"
    _order = "account_id, role, party_id"
    _rec_name = "party_id"

    account_id = fields.Many2one(
        "amazon.account", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    role = fields.Selection(PARTY_ROLES, required=True)
    party_id = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    vat = fields.Char(
        "VAT number",
        help="The VAT registration of this Amazon entity, sent as the bill-to VAT "
        "on invoices: purchase orders do not carry it. Empty: the contact's.",
    )

    _sql_constraints = (
        (
            "party_uniq",
            "unique(account_id, role, party_id)",
            "An Amazon party has one contact per account and role.",
        ),
    )

    def _get_partner(self, account, role, party, parent=None):
        """Return the contact of an Amazon party, creating it on first sight.

        :param account: the ``amazon.account``.
        :param role: one of ``PARTY_ROLES``.
        :param party: Amazon's ``PartyIdentification`` dict (``partyId``, optional
            ``address`` and ``taxInfo``).
        :param parent: for a delivery or invoice contact, its commercial partner.
        :return: a ``res.partner``.
        :raise AmazonOrderDataError: when the party has no id.
        """
        party = party if isinstance(party, dict) else {}
        party_id = party.get("partyId")
        if not isinstance(party_id, str) or not party_id.strip():
            raise AmazonOrderDataError(
                self.env._(
                    "The order has no %(role)s id.",
                    role=dict(self._fields["role"]._description_selection(self.env))
                    .get(role, role)
                    .lower(),
                )
            )
        binding = self.search(
            [
                ("account_id", "=", account.id),
                ("role", "=", role),
                ("party_id", "=", party_id),
            ],
            limit=1,
        )
        if binding:
            return binding.partner_id
        values = self._prepare_partner_values(account, role, party, parent)
        partner = self.env["res.partner"].create(values)
        self.create(
            {
                "account_id": account.id,
                "role": role,
                "party_id": party_id,
                "partner_id": partner.id,
            }
        )
        return partner

    def _prepare_partner_values(self, account, role, party, parent=None):
        """Values of a new party contact: Amazon entities, not personal data."""
        party_id = party["partyId"]
        address = party.get("address") or {}
        values = {
            "name": clean_text(address.get("name")) or f"Amazon {party_id}",
            "ref": party_id,
            "amazon_account_id": account.id,
        }
        lang = account.home_marketplace_id.lang
        if lang and lang in dict(self.env["res.lang"].get_installed()):
            values["lang"] = lang
        if role == "buying" or not parent:
            values["is_company"] = True
        else:
            values.update(
                parent_id=parent.id,
                type="delivery" if role == "ship_to" else "invoice",
            )
        values.update(self._prepare_address_values(address))
        tax_info = party.get("taxInfo") or {}
        vat = clean_text(tax_info.get("taxRegistrationNumber"), 32)
        if vat and values.get("is_company"):
            values["vat"] = vat
        return values

    def _prepare_address_values(self, address):
        """Map an Amazon ``Address`` onto res.partner address fields.

        Vendor APIs send the country as ISO 3166 alpha-2 or alpha-3 (``USA``);
        babel's territory aliases translate the latter.
        """
        if not address:
            return {}
        street2 = " ".join(
            part
            for part in (
                clean_text(address.get("addressLine2")),
                clean_text(address.get("addressLine3")),
            )
            if part
        )
        values = {
            "street": clean_text(address.get("addressLine1")) or False,
            "street2": street2 or False,
            "city": clean_text(address.get("city")) or False,
            "zip": clean_text(
                address.get("postalCode") or address.get("postalOrZipCode"), 24
            )
            or False,
            "phone": clean_text(address.get("phone"), 64) or False,
        }
        country = self._find_country(address.get("countryCode"))
        if country:
            values["country_id"] = country.id
            region = clean_text(address.get("stateOrRegion"))
            if region:
                state = self.env["res.country.state"].search(
                    [
                        ("country_id", "=", country.id),
                        "|",
                        ("code", "=ilike", region),
                        ("name", "=ilike", region),
                    ],
                    limit=1,
                )
                values["state_id"] = state.id or False
        return values

    def _find_country(self, code):
        """Return the res.country of an alpha-2 or alpha-3 code (empty if unknown)."""
        code = clean_text(code, 3).upper()
        if len(code) == 3:
            code = (get_global("territory_aliases").get(code) or [""])[0]
        if not code:
            return self.env["res.country"]
        return self.env["res.country"].search([("code", "=", code)], limit=1)
