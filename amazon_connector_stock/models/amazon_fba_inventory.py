# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class AmazonFbaInventory(models.Model):
    """Amazon's last reported FBA inventory of one SKU, next to Odoo's figure.

    The drift (Amazon minus Odoo) shows what changed in Odoo's FBA location since
    the last import: FBA orders delivered in Odoo but not yet removed by Amazon,
    or stock Amazon found, lost or damaged.
    """

    _name = "amazon.fba.inventory"
    _description = "Amazon FBA Inventory"
    _order = "account_id, sku"
    _rec_name = "sku"
    _check_company_auto = True

    account_id = fields.Many2one(
        "amazon.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, precompute=True
    )
    marketplace_id = fields.Many2one("amazon.marketplace", required=True)
    sku = fields.Char(string="Amazon SKU", required=True, index=True)
    asin = fields.Char(string="ASIN")
    fnsku = fields.Char(string="FNSKU")
    product_id = fields.Many2one("product.product", index=True, check_company=True)
    location_id = fields.Many2one(related="account_id.fba_location_id")
    fulfillable_qty = fields.Integer(
        string="Fulfillable (Amazon)", help="Units Amazon can pick, pack and ship."
    )
    total_qty = fields.Integer(
        string="Total (Amazon)", help="All units, inbound and unfulfillable included."
    )
    reserved_qty = fields.Integer(string="Reserved (Amazon)")
    inbound_qty = fields.Integer(
        string="Inbound (Amazon)", help="Working, shipped and receiving units."
    )
    unfulfillable_qty = fields.Integer(string="Unfulfillable (Amazon)")
    amazon_update_date = fields.Datetime(string="Updated on Amazon")
    import_date = fields.Datetime(string="Imported on")
    counted_date = fields.Datetime(
        string="Counted in Odoo as of",
        readonly=True,
        help="When Amazon gave the count last applied to Odoo's FBA location: FBA "
        "orders and returns dated before it are already in it.",
    )
    odoo_qty = fields.Float(
        string="On Hand (Odoo)",
        compute="_compute_odoo_qty",
        digits="Product Unit of Measure",
        help="Quantity of the product in the account's FBA location now.",
    )
    drift_qty = fields.Float(
        string="Drift",
        compute="_compute_odoo_qty",
        digits="Product Unit of Measure",
        help="Amazon's fulfillable quantity minus Odoo's (all SKUs of the product).",
    )
    error = fields.Char(readonly=True)

    _sql_constraints = (
        (
            "sku_uniq",
            "unique(account_id, marketplace_id, sku)",
            "One FBA inventory line per SKU, account and marketplace.",
        ),
    )

    @api.depends("product_id", "fulfillable_qty", "account_id.fba_location_id")
    def _compute_odoo_qty(self):
        amazon_by_key = {}
        for record in self:
            key = (record.account_id.id, record.product_id.id)
            amazon_by_key[key] = amazon_by_key.get(key, 0) + record.fulfillable_qty
        for record in self:
            location = record.account_id.fba_location_id
            if not (record.product_id and location):
                record.odoo_qty = 0.0
                record.drift_qty = record.fulfillable_qty
                continue
            qty = record.product_id.with_context(location=location.id).qty_available
            record.odoo_qty = qty
            record.drift_qty = (
                amazon_by_key[(record.account_id.id, record.product_id.id)] - qty
            )


class AmazonFbaLedger(models.AbstractModel):
    _inherit = "amazon.fba.ledger"

    @api.model
    def _counted_until(self, account, products):
        """The latest count of each product applied to the FBA location."""
        counted = super()._counted_until(account, products)
        if not products:
            return counted
        groups = (
            self.env["amazon.fba.inventory"]
            .sudo()
            ._read_group(
                [
                    ("account_id", "=", account.id),
                    ("product_id", "in", products.ids),
                    ("counted_date", "!=", False),
                ],
                ["product_id"],
                ["counted_date:max"],
            )
        )
        counted.update(dict(groups))
        return counted
