# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AmazonSkuRecode(models.Model):
    """The SKU recoding table: which Odoo product an Amazon SKU stands for.

    Sellers often list under SKUs that differ from their internal references
    (a prefix per channel, a supplier code, a bundle code). A row maps one Amazon
    SKU of one account either to a product or to an internal reference; the
    reference form survives product re-creation and is what a spreadsheet export
    from another system usually carries. Every import and export goes through
    ``amazon.account._find_products_by_skus`` / ``_amazon_skus_for_products``,
    which read this table.
    """

    _name = "amazon.sku.recode"
    _description = "Amazon SKU Recoding"
    _order = "account_id, amazon_sku"
    _rec_name = "amazon_sku"
    _check_company_auto = True

    account_id = fields.Many2one(
        "amazon.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, precompute=True
    )
    amazon_sku = fields.Char(string="Amazon SKU", required=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        check_company=True,
        ondelete="cascade",
        help="Product the Amazon SKU stands for. Leave empty to match by internal "
        "reference.",
    )
    default_code = fields.Char(
        string="Internal Reference",
        index="btree_not_null",
        help="Internal reference of the product the Amazon SKU stands for; used "
        "when no product is set.",
    )
    resolved_product_id = fields.Many2one(
        "product.product",
        compute="_compute_resolved_product_id",
        help="Product the row resolves to today.",
    )
    note = fields.Char()
    active = fields.Boolean(default=True)

    _sql_constraints = (
        (
            "account_sku_uniq",
            "unique(account_id, amazon_sku)",
            "An Amazon SKU can be recoded only once per account.",
        ),
    )

    @api.constrains("amazon_sku", "product_id", "default_code")
    def _check_target(self):
        for row in self:
            if not row.product_id and not (row.default_code or "").strip():
                raise ValidationError(
                    self.env._(
                        "The recoding of %(sku)s needs a product or an internal "
                        "reference.",
                        sku=row.amazon_sku,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._clean_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._clean_vals(vals))

    @api.model
    def _clean_vals(self, vals):
        """Strip the spaces spreadsheets leave around codes (SKUs have none)."""
        vals = dict(vals)
        for key in ("amazon_sku", "default_code"):
            if isinstance(vals.get(key), str):
                vals[key] = vals[key].strip()
        return vals

    @api.depends("product_id", "default_code", "account_id")
    def _compute_resolved_product_id(self):
        by_code = self._products_by_reference(
            self.filtered(lambda r: not r.product_id and r.default_code)
        )
        for row in self:
            row.resolved_product_id = row.product_id or by_code.get(
                (row.account_id.company_id.id, row.default_code)
            )

    @api.model
    def _products_by_reference(self, rows):
        """Products by internal reference for rows without a product.

        :return: {(company id, default_code): product} for references that name
            exactly one product of the row's company (an ambiguous reference
            resolves to nothing rather than to a guess)
        """
        result = {}
        for company in rows.account_id.company_id:
            codes = rows.filtered(
                lambda r, c=company: r.account_id.company_id == c
            ).mapped("default_code")
            found = self.env["amazon.account"]._amazon_products_by_default_code(
                codes, company
            )
            for code, product in found.items():
                result[(company.id, code)] = product
        return result
