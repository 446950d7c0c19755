# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class AmazonListingBind(models.TransientModel):
    """Bind imported listings that matched no product, by hand.

    Binding a SKU binds it on every marketplace of the account: within an
    account a SKU always stands for one product (orders only carry the SKU).
    """

    _name = "amazon.listing.bind"
    _description = "Bind Amazon Listings to a Product"

    listing_ids = fields.Many2many("amazon.listing", string="Listings", required=True)
    product_id = fields.Many2one("product.product", required=True)
    sku_count = fields.Integer(compute="_compute_sku_count")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "amazon.listing":
            res["listing_ids"] = [
                fields.Command.set(self.env.context.get("active_ids") or [])
            ]
        return res

    @api.depends("listing_ids")
    def _compute_sku_count(self):
        for wizard in self:
            wizard.sku_count = len(set(wizard.listing_ids.mapped("sku")))

    def action_bind(self):
        self.ensure_one()
        bound = self.listing_ids.filtered(
            lambda lst: lst.product_id and lst.product_id != self.product_id
        )
        if bound:
            raise UserError(
                self.env._(
                    "These listings are already bound to another product: %s",
                    ", ".join(bound.mapped("display_name")),
                )
            )
        companies = self.listing_ids.company_id
        if self.product_id.company_id and companies - self.product_id.company_id:
            raise UserError(
                self.env._("The product belongs to another company than the listings.")
            )
        same_sku = self.env["amazon.listing"].search(
            [
                ("account_id", "in", self.listing_ids.account_id.ids),
                ("sku", "in", self.listing_ids.mapped("sku")),
                ("product_id", "=", False),
            ]
        )
        (self.listing_ids | same_sku).write({"product_id": self.product_id.id})
        return {"type": "ir.actions.act_window_close"}
