# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    amazon_listing_count = fields.Integer(
        compute="_compute_amazon_listing_count",
        groups="amazon_connector.amazon_connector_group_user",
    )

    def _compute_amazon_listing_count(self):
        counts = dict(
            self.env["amazon.listing"]._read_group(
                [("product_tmpl_id", "in", self.ids)], ["product_tmpl_id"], ["__count"]
            )
        )
        for template in self:
            template.amazon_listing_count = counts.get(template, 0)

    def action_view_amazon_listings(self):
        """Listings of all variants of this product."""
        return self.product_variant_ids.action_view_amazon_listings()
