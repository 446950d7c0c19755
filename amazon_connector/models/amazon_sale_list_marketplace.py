# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AmazonSaleListMarketplace(models.Model):
    """A marketplace a sales list publishes to, and how it is priced there.

    A marketplace may follow a main marketplace of the same list (Amazon's
    "international listings", or BigBuy's "Listing Internazionale"): it offers
    only what the main marketplace offers successfully, under the same SKU and
    ASIN, priced through its own pricelist and currency.
    """

    _name = "amazon.sale.list.marketplace"
    _description = "Amazon Sales List Marketplace"
    _order = "sale_list_id, sequence, id"

    sale_list_id = fields.Many2one(
        "amazon.sale.list",
        string="Sales List",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    account_id = fields.Many2one(related="sale_list_id.account_id")
    company_id = fields.Many2one(related="sale_list_id.company_id", store=True)
    marketplace_id = fields.Many2one(
        "amazon.marketplace",
        required=True,
        ondelete="restrict",
        domain="[('id', 'in', allowed_marketplace_ids)]",
    )
    allowed_marketplace_ids = fields.Many2many(
        related="sale_list_id.account_id.active_marketplace_ids"
    )
    main_marketplace_id = fields.Many2one(
        "amazon.marketplace",
        string="Follows",
        ondelete="restrict",
        help="International listing: offer here what the main marketplace offers, "
        "priced with this line's pricelist and currency.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        help="Pricelist for this marketplace; the sales list's pricelist when empty. "
        "Prices are converted into the marketplace currency when they differ.",
    )
    currency_id = fields.Many2one(related="marketplace_id.currency_id")

    _sql_constraints = (
        (
            "list_marketplace_uniq",
            "unique(sale_list_id, marketplace_id)",
            "A marketplace appears once per sales list.",
        ),
    )

    @api.constrains("marketplace_id", "main_marketplace_id", "sale_list_id")
    def _check_main_marketplace(self):
        for line in self.filtered("main_marketplace_id"):
            lines = line.sale_list_id.marketplace_line_ids
            main = lines.filtered(
                lambda ln, m=line: ln.marketplace_id == m.main_marketplace_id
            )
            if line.main_marketplace_id == line.marketplace_id:
                raise ValidationError(self.env._("A marketplace cannot follow itself."))
            if not main:
                raise ValidationError(
                    self.env._(
                        "%(mkt)s follows %(main)s, which is not a marketplace of the "
                        "same sales list.",
                        mkt=line.marketplace_id.name,
                        main=line.main_marketplace_id.name,
                    )
                )
            if main.main_marketplace_id:
                raise ValidationError(
                    self.env._(
                        "%(main)s already follows another marketplace: a marketplace "
                        "can only follow a main one.",
                        main=main.marketplace_id.name,
                    )
                )

    def _effective_pricelist(self):
        self.ensure_one()
        return self.pricelist_id or self.sale_list_id.pricelist_id
