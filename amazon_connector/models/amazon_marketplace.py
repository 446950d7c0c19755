# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.base.models.res_partner import _tz_get

from ..const import REGIONS, SPAPI_ENDPOINTS


class AmazonMarketplace(models.Model):
    """One Amazon marketplace (amazon.it, amazon.com...), shipped as data.

    Amazon's list: https://developer-docs.amazon.com/sp-api/docs/marketplace-ids
    """

    _name = "amazon.marketplace"
    _description = "Amazon Marketplace"
    _order = "region, name"

    name = fields.Char(required=True, translate=True)
    marketplace_id = fields.Char(
        string="Marketplace ID",
        required=True,
        index=True,
        help="Amazon's identifier of the marketplace, e.g. APJ6JRA9NG5V4 for Italy.",
    )
    active = fields.Boolean(default=True)
    country_id = fields.Many2one("res.country", required=True)
    country_code = fields.Char(related="country_id.code")
    region = fields.Selection(REGIONS, required=True)
    currency_id = fields.Many2one("res.currency", required=True)
    lang = fields.Char(
        string="Language",
        required=True,
        help="Default language of the marketplace, as Amazon names it (it_IT).",
    )
    domain = fields.Char(required=True, help="Shop domain, e.g. amazon.it.")
    seller_central_url = fields.Char(string="Seller Central URL", required=True)
    price_includes_tax = fields.Boolean(
        help="Prices on this marketplace include VAT or GST (all marketplaces but "
        "the United States and Canada)."
    )
    tz = fields.Selection(
        _tz_get,
        string="Time Zone",
        required=True,
        help="Local time zone of the marketplace, used to read Amazon's local dates.",
    )
    endpoint = fields.Char(
        compute="_compute_endpoint",
        string="SP-API Endpoint",
        help="Production SP-API endpoint of the marketplace's region.",
    )

    _sql_constraints = (
        (
            "marketplace_id_uniq",
            "unique(marketplace_id)",
            "An Amazon marketplace ID can only be defined once.",
        ),
    )

    @api.depends("region")
    def _compute_endpoint(self):
        for marketplace in self:
            marketplace.endpoint = SPAPI_ENDPOINTS.get(marketplace.region, ("",))[0]

    @api.depends("name", "domain")
    def _compute_display_name(self):
        for marketplace in self:
            marketplace.display_name = (
                f"{marketplace.name} ({marketplace.domain})"
                if marketplace.domain
                else marketplace.name
            )

    @api.model
    def _search_display_name(self, operator, value):
        if operator in ("ilike", "=ilike", "like", "=like", "=") and value:
            return [
                "|",
                "|",
                ("name", operator, value),
                ("domain", operator, value),
                ("marketplace_id", "=", value),
            ]
        return super()._search_display_name(operator, value)

    @api.model
    def _find_by_amazon_id(self, amazon_marketplace_id):
        """The marketplace of an Amazon marketplace id, archived ones included.

        :param str amazon_marketplace_id: e.g. ``APJ6JRA9NG5V4``
        :return: the marketplace, or an empty recordset for an unknown id
        """
        return self.with_context(active_test=False).search(
            [("marketplace_id", "=", amazon_marketplace_id)], limit=1
        )
