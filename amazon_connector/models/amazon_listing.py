# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Amazon's condition vocabulary, from ItemSummaryByMarketplace.conditionType in
# spapi-models/listingsItems_2021-08-01.json (also the values of the
# ``condition_type`` listing attribute).
CONDITION_TYPES = [
    ("new_new", "New"),
    ("new_open_box", "New - Open Box"),
    ("new_oem", "New - OEM"),
    ("refurbished_refurbished", "Refurbished"),
    ("used_like_new", "Used - Like New"),
    ("used_very_good", "Used - Very Good"),
    ("used_good", "Used - Good"),
    ("used_acceptable", "Used - Acceptable"),
    ("collectible_like_new", "Collectible - Like New"),
    ("collectible_very_good", "Collectible - Very Good"),
    ("collectible_good", "Collectible - Good"),
    ("collectible_acceptable", "Collectible - Acceptable"),
    ("club_club", "Club"),
]

FULFILLMENT_CHANNELS = [("fbm", "Merchant (FBM)"), ("fba", "Amazon (FBA)")]

# ``fulfillment_channel_code`` of the fulfillment_availability attribute: DEFAULT is
# the merchant network, AMAZON_<region> the FBA network (Listings Items API guide,
# "Manage Advanced Multiple-Offer and Multiple-Fulfillment Use Cases").
MERCHANT_CHANNEL_CODE = "DEFAULT"
FBA_CHANNEL_CODES = {"na": "AMAZON_NA", "eu": "AMAZON_EU", "fe": "AMAZON_JP"}

LISTING_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("active", "Active"),
    ("inactive", "Inactive"),
    ("error", "Error"),
]


class AmazonListing(models.Model):
    """An offer of one product on one marketplace of an account, under a seller SKU.

    Amazon keys a listings item by seller and SKU and keeps one offer per
    marketplace inside it, so a record here is (account, marketplace, SKU). The
    same SKU always means the same product within an account: orders only carry
    the SKU, and two products behind one SKU would make order lines ambiguous.

    ``price``, ``quantity`` and ``handling_time`` are what Amazon holds as far as
    we know (last accepted submission or last import): publishing compares its
    targets with them and sends only what differs.
    """

    _name = "amazon.listing"
    _description = "Amazon Listing"
    _order = "account_id, sku, marketplace_id"
    _rec_name = "sku"
    _check_company_auto = True

    account_id = fields.Many2one(
        "amazon.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, precompute=True
    )
    marketplace_id = fields.Many2one(
        "amazon.marketplace", required=True, index=True, ondelete="restrict"
    )
    currency_id = fields.Many2one(related="marketplace_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        index=True,
        check_company=True,
        ondelete="restrict",
        help="Empty while the listing waits to be bound to a product.",
    )
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", store=True, index=True
    )
    sku = fields.Char(string="Amazon SKU", required=True, index=True)
    asin = fields.Char(string="ASIN", index=True)
    ean = fields.Char(
        string="EAN", help="Barcode Amazon knows the product by, when any."
    )
    item_name = fields.Char(string="Amazon Title")
    product_type = fields.Char(default="PRODUCT", required=True)
    condition_type = fields.Selection(
        CONDITION_TYPES, string="Condition", default="new_new", required=True
    )
    fulfillment_channel = fields.Selection(
        FULFILLMENT_CHANNELS,
        string="Fulfilment Channel",
        default="fbm",
        required=True,
    )
    price = fields.Monetary(
        string="Price on Amazon",
        currency_field="currency_id",
        help="Last price Amazon accepted or reported.",
    )
    quantity = fields.Integer(
        string="Quantity on Amazon",
        help="Last quantity Amazon accepted or reported (merchant fulfilled).",
    )
    handling_time = fields.Integer(
        help="Days to ship (lead_time_to_ship_max_days) last accepted by Amazon."
    )
    sync_stock = fields.Boolean(
        default=True,
        help="Send the available quantity of the product to Amazon. Off: the "
        "quantity on Amazon is managed elsewhere.",
    )
    state = fields.Selection(
        LISTING_STATES, default="draft", required=True, index=True, copy=False
    )
    amazon_status = fields.Char(
        help="Amazon's own statuses for the offer (BUYABLE, DISCOVERABLE).",
        copy=False,
    )
    amazon_status_label = fields.Char(
        string="On Amazon",
        compute="_compute_amazon_status_label",
        help="Amazon's statuses of the offer, in words.",
    )
    refused_target = fields.Char(
        copy=False,
        help="The offer Amazon last refused (technical): it is not sent again "
        "until the product or the sales list changes it.",
    )
    issues = fields.Text(
        string="Amazon Issues", copy=False, help="Amazon's issues, in words."
    )
    offer_on_amazon = fields.Boolean(
        copy=False,
        readonly=True,
        help="Amazon accepted an offer for this listing or reported it in an "
        "import: later changes are sent as patches, not as a new offer.",
    )
    submission_id = fields.Char(copy=False)
    last_sync_date = fields.Datetime(string="Last Sync", copy=False)
    sale_list_id = fields.Many2one(
        "amazon.sale.list",
        string="Sales List",
        index="btree_not_null",
        ondelete="set null",
        help="Sales list that publishes this listing.",
    )
    main_listing_id = fields.Many2one(
        "amazon.listing",
        index="btree_not_null",
        ondelete="set null",
        help="Listing of the main marketplace this international listing follows.",
    )
    to_bind = fields.Boolean(
        compute="_compute_to_bind",
        search="_search_to_bind",
        help="Imported from Amazon without a matching product.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = (
        (
            "sku_marketplace_uniq",
            "unique(account_id, marketplace_id, sku)",
            "An Amazon SKU can be listed only once per account and marketplace.",
        ),
    )

    @api.depends("amazon_status")
    def _compute_amazon_status_label(self):
        # ItemSummaryByMarketplace.status of listingsItems_2021-08-01
        words = {
            "BUYABLE": self.env._("Buyable"),
            "DISCOVERABLE": self.env._("Shown in search"),
        }
        for listing in self:
            statuses = [
                status.strip()
                for status in (listing.amazon_status or "").split(",")
                if status.strip()
            ]
            listing.amazon_status_label = (
                ", ".join(words.get(status, status) for status in statuses)
                if statuses
                else False
            )

    @api.depends("product_id")
    def _compute_to_bind(self):
        for listing in self:
            listing.to_bind = not listing.product_id

    def _search_to_bind(self, operator, value):
        if operator not in ("=", "!="):
            raise ValidationError(self.env._("Unsupported search on To Bind."))
        unbound = (operator == "=") == bool(value)
        return [("product_id", "=" if unbound else "!=", False)]

    @api.constrains("account_id", "sku", "product_id")
    def _check_sku_one_product(self):
        """One SKU, one product per account: orders only tell us the SKU."""
        bound = self.filtered("product_id")
        if not bound:
            return
        others = self.search(
            [
                ("account_id", "in", bound.account_id.ids),
                ("sku", "in", bound.mapped("sku")),
                ("product_id", "!=", False),
                ("active", "in", (True, False)),
            ]
        )
        products_by_key = {}
        for listing in others:
            key = (listing.account_id.id, listing.sku)
            products_by_key.setdefault(key, set()).add(listing.product_id.id)
        for key, products in products_by_key.items():
            if len(products) > 1:
                raise ValidationError(
                    self.env._(
                        "The Amazon SKU %(sku)s of this account is already bound "
                        "to another product.",
                        sku=key[1],
                    )
                )

    @api.depends("sku", "marketplace_id")
    def _compute_display_name(self):
        for listing in self:
            code = listing.marketplace_id.domain or listing.marketplace_id.name
            listing.display_name = (
                f"{listing.sku} ({code})" if code else listing.sku or ""
            )

    @api.model
    def _issues_in_words(self, issues, marketplace=None):
        """Render Amazon's ``Issue`` objects as lines a seller can act on.

        :param list issues: ``Issue`` dicts (code, message, severity, ...)
        :param marketplace: keep only the issues of this marketplace (issues without
            ``marketplaceIds`` apply to all of them)
        :return: text, one issue a line, errors first; False when none
        """
        order = {"ERROR": 0, "WARNING": 1, "INFO": 2}
        lines = []
        for issue in sorted(
            issues or [], key=lambda i: order.get(i.get("severity"), 3)
        ):
            mkt_ids = issue.get("marketplaceIds")
            if marketplace and mkt_ids and marketplace.marketplace_id not in mkt_ids:
                continue
            severity = (issue.get("severity") or "").capitalize()
            attributes = ", ".join(issue.get("attributeNames") or [])
            line = f"{severity}: {issue.get('message') or ''}".strip()
            if attributes:
                line += f" [{attributes}]"
            if issue.get("code"):
                line += f" (code {issue['code']})"
            lines.append(line)
        return "\n".join(lines) or False

    @api.model
    def _has_blocking_issue(self, issues):
        return any((i.get("severity") == "ERROR") for i in issues or [])

    def action_send_again(self):
        """Offer refused listings again at the next publication, unchanged (when
        the cause was fixed on Amazon's side, e.g. a brand approval)."""
        self.env["amazon.account"]._check_amazon_manager(self)
        self.write({"refused_target": False})
        return True

    def action_open_bind_wizard(self):
        """Open the bind-by-hand wizard on the selected unbound listings."""
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bind to a Product"),
            "res_model": "amazon.listing.bind",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_view_product(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "product.product",
            "res_id": self.product_id.id,
            "view_mode": "form",
        }
