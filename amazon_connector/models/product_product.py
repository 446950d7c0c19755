# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    amazon_listing_ids = fields.One2many(
        "amazon.listing", "product_id", string="Amazon Listings"
    )
    amazon_listing_count = fields.Integer(
        compute="_compute_amazon_listing_count",
        groups="amazon_connector.amazon_connector_group_user",
    )

    def _compute_amazon_listing_count(self):
        counts = dict(
            self.env["amazon.listing"]._read_group(
                [("product_id", "in", self.ids)], ["product_id"], ["__count"]
            )
        )
        for product in self:
            product.amazon_listing_count = counts.get(product, 0)

    def action_view_amazon_listings(self):
        """Listings of this variant, on every account and marketplace."""
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector.amazon_listing_action"
        )
        action["domain"] = [("product_id", "in", self.ids)]
        action["context"] = {"create": False}
        return action
