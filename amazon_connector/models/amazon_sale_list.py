# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from ..exceptions import AmazonError
from .amazon_listing import CONDITION_TYPES, FULFILLMENT_CHANNELS

SYNC_KIND = "listings"


class AmazonSaleList(models.Model):
    """A named selection of products offered on some marketplaces of an account.

    Publishing turns each (product, marketplace) into an ``amazon.listing`` and
    sends Amazon only what it does not have yet (see
    ``amazon.listing.publisher``). The listing tab shows, per product and
    marketplace, whether Amazon accepted the offer or what it objected to.
    """

    _name = "amazon.sale.list"
    _description = "Amazon Sales List"
    _inherit = "mail.thread"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    account_id = fields.Many2one(
        "amazon.account", required=True, index=True, ondelete="cascade", tracking=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, precompute=True
    )
    product_selection = fields.Selection(
        [("products", "Chosen products"), ("domain", "Products matching a filter")],
        default="products",
        required=True,
    )
    product_ids = fields.Many2many(
        "product.product",
        "amazon_sale_list_product_rel",
        "sale_list_id",
        "product_id",
        string="Products",
        check_company=True,
    )
    product_domain = fields.Char(string="Product Filter", default="[]")
    product_count = fields.Integer(compute="_compute_product_count")
    marketplace_line_ids = fields.One2many(
        "amazon.sale.list.marketplace", "sale_list_id", string="Marketplaces", copy=True
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        required=True,
        check_company=True,
        tracking=True,
        help="Sets the price offered on Amazon (tax included where the marketplace "
        "shows prices with tax, as in the EU).",
    )
    condition_type = fields.Selection(
        CONDITION_TYPES, string="Condition", default="new_new", required=True
    )
    fulfillment_channel = fields.Selection(
        FULFILLMENT_CHANNELS,
        string="Fulfilment Channel",
        default="fbm",
        required=True,
    )
    handling_time = fields.Integer(
        default=2, help="Days between order and shipment (merchant fulfilled)."
    )
    untracked_quantity = fields.Integer(
        string="Quantity Without Stock",
        default=0,
        help="Quantity offered for products whose stock Odoo does not track "
        "(merchant fulfilled). Products with tracked stock offer their free "
        "quantity.",
    )
    product_type = fields.Char(
        default="PRODUCT",
        required=True,
        help="Amazon product type of new offers; PRODUCT fits an offer on an "
        "existing catalogue item.",
    )
    auto_refresh = fields.Boolean(
        string="Scheduled Refresh",
        default=True,
        help="Send price and quantity changes on the account's listings schedule.",
    )
    listing_ids = fields.One2many("amazon.listing", "sale_list_id", string="Listings")
    listing_count = fields.Integer(compute="_compute_listing_stats")
    listing_error_count = fields.Integer(compute="_compute_listing_stats")
    last_publish_date = fields.Datetime(readonly=True, copy=False)
    last_log_id = fields.Many2one(
        "amazon.sync.log", string="Last Publication Log", readonly=True, copy=False
    )

    @api.constrains("handling_time")
    def _check_handling_time(self):
        if any(lst.handling_time < 0 or lst.untracked_quantity < 0 for lst in self):
            raise ValidationError(
                self.env._("The handling time and quantities cannot be negative.")
            )

    @api.depends("product_selection", "product_ids", "product_domain")
    def _compute_product_count(self):
        for sale_list in self:
            sale_list.product_count = len(sale_list._get_products())

    @api.depends("listing_ids.state")
    def _compute_listing_stats(self):
        for sale_list in self:
            sale_list.listing_count = len(sale_list.listing_ids)
            sale_list.listing_error_count = len(
                sale_list.listing_ids.filtered(lambda lst: lst.state == "error")
            )

    def _get_products(self):
        """Products the list offers: chosen ones, or those matching its filter."""
        self.ensure_one()
        if self.product_selection == "products":
            return self.product_ids
        try:
            domain = literal_eval(self.product_domain or "[]")
        except (ValueError, SyntaxError):
            return self.env["product.product"]
        company_ids = [False] + (self.company_id.ids or [])
        return self.env["product.product"].search(
            expression.AND(
                [domain, [("sale_ok", "=", True), ("company_id", "in", company_ids)]]
            )
        )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_publish(self):
        """Publish the lists now and tell the user how it went.

        :raise AccessError: the user is not an Amazon manager of the lists
        """
        self.env["amazon.account"]._check_amazon_manager(self)
        # Checked: the publication reads stock and writes listings on the
        # company's behalf, as a sync does (see amazon.account._as_sync_runner).
        logs = self.sudo()._publish(trigger="manual")
        return self.env["amazon.account"]._notify_logs(
            self.env._("Amazon publication"), logs.exists()
        )

    def action_view_listings(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector.amazon_listing_action"
        )
        action["domain"] = [("sale_list_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        return action

    # ------------------------------------------------------------------
    # publication
    # ------------------------------------------------------------------
    def _publish(self, trigger="manual"):
        """Publish the lists, one sync log per account.

        :return: the ``amazon.sync.log`` records of the run
        :raise UserError: when a listings sync of an account is already running
        """
        logs = self.env["amazon.sync.log"]
        publisher = self.env["amazon.listing.publisher"]
        for account in self.account_id:
            lists = self.filtered(lambda lst, a=account: lst.account_id == a)
            with account._sync_run(SYNC_KIND, trigger=trigger) as run:
                try:
                    for sale_list in lists:
                        sale_list._publish_one(publisher, run.log, run.stats)
                except AmazonError as exc:
                    run.stop(exc)
                if not run.messages:
                    run.note(self._publish_summary(run.stats))
                lists.write({"last_log_id": run.log.id})
            logs |= run.log
        return logs

    def _publish_summary(self, stats):
        text = self.env._(
            "%(created)s new offers, %(updated)s updated, %(skipped)s unchanged, "
            "%(failed)s refused.",
            created=stats["created"],
            updated=stats["updated"],
            skipped=stats["skipped"],
            failed=stats["failed"],
        )
        if stats["still_refused"]:
            text += " " + self.env._(
                "%(count)s offer(s) Amazon refused before were not sent again: "
                "they are unchanged (see the listings in error, fix the product or "
                "the list, then publish).",
                count=stats["still_refused"],
            )
        return text

    def _publish_one(self, publisher, log, stats):
        """Main marketplaces first: their results decide what the followers offer."""
        self.ensure_one()
        account = self.account_id
        products = self._get_products()
        skus = account._amazon_skus_for_products(products)
        for product in products.filtered(lambda p: not skus.get(p.id)):
            stats["failed"] += 1
            log._add_line(
                product.display_name,
                self.env._(
                    "The product has no Amazon SKU: give it an internal reference "
                    "or a SKU recoding."
                ),
            )
        products = products.filtered(lambda p: skus.get(p.id))
        quantities = {}
        if self.fulfillment_channel == "fbm":
            quantities = dict.fromkeys(products.ids, max(0, self.untracked_quantity))
            quantities.update(account._amazon_available_quantities(products))
        lines = self.marketplace_line_ids.sorted(
            lambda ln: (bool(ln.main_marketplace_id), ln.sequence, ln.id)
        )
        for line in lines:
            targets = self._plan_marketplace(
                line, products, skus, quantities, log, stats
            )
            stats["fetched"] += len(targets)
            publisher._send(account, targets, log, stats)
        self.last_publish_date = fields.Datetime.now()

    def _plan_marketplace(self, line, products, skus, quantities, log, stats):
        """Listings (created when missing) and targets for one marketplace.

        :return: list of ``(amazon.listing, target dict)``
        """
        account, marketplace = self.account_id, line.marketplace_id
        Listing = self.env["amazon.listing"].with_context(active_test=False)
        prices = self._compute_prices(line, products)
        sku_list = [skus[p.id] for p in products]
        same_sku = Listing.search(
            [("account_id", "=", account.id), ("sku", "in", sku_list)]
        )
        here = {lst.sku: lst for lst in same_sku if lst.marketplace_id == marketplace}
        asin_by_sku = {lst.sku: lst.asin for lst in same_sku if lst.asin}
        main_by_product = {}
        if line.main_marketplace_id:
            main_by_product = {
                lst.product_id.id: lst
                for lst in same_sku
                if lst.marketplace_id == line.main_marketplace_id and lst.product_id
            }
        planned, to_create = [], []
        for product in products:
            sku = skus[product.id]
            main = main_by_product.get(product.id)
            if line.main_marketplace_id and not (
                main and main.offer_on_amazon and main.state != "error"
            ):
                # International listing: nothing to follow (yet) on the main one.
                stats["skipped"] += 1
                continue
            reason = self._refusal_reason(
                product, here.get(sku), prices.get(product.id)
            )
            if reason:
                stats["failed"] += 1
                log._add_line(sku, f"{marketplace.name}: {reason}")
                continue
            listing = here.get(sku)
            if listing and not listing.active:
                stats["skipped"] += 1
                continue
            if not listing:
                to_create.append(
                    self._prepare_listing_vals(
                        marketplace, product, sku, asin_by_sku.get(sku), main
                    )
                )
            else:
                listing.write(self._binding_vals(listing, product, main))
            planned.append((sku, product))
        if to_create:
            for listing in Listing.create(to_create):
                here[listing.sku] = listing
        return [
            (here[sku], self._prepare_target(here[sku], prices[product.id], quantities))
            for sku, product in planned
        ]

    def _refusal_reason(self, product, listing, price):
        if listing and listing.product_id and listing.product_id != product:
            return self.env._(
                "the SKU is bound to another product (%s).",
                listing.product_id.display_name,
            )
        other_list = listing.sale_list_id if listing else self
        if other_list != self and other_list.active:
            return self.env._(
                "the listing is published by the sales list %s.",
                other_list.name,
            )
        if not price or price <= 0:
            return self.env._("the pricelist gives %s no price.", product.display_name)
        return False

    def _prepare_listing_vals(self, marketplace, product, sku, asin, main):
        return {
            "account_id": self.account_id.id,
            "marketplace_id": marketplace.id,
            "product_id": product.id,
            "sku": sku,
            "asin": (main and main.asin) or asin or False,
            "ean": product.barcode or False,
            "product_type": self.product_type or "PRODUCT",
            "condition_type": self.condition_type,
            "fulfillment_channel": self.fulfillment_channel,
            "sale_list_id": self.id,
            "main_listing_id": main.id if main else False,
        }

    def _binding_vals(self, listing, product, main):
        vals = {}
        if not listing.product_id:
            vals["product_id"] = product.id
        if listing.sale_list_id != self:
            vals["sale_list_id"] = self.id
        if main and listing.main_listing_id != main:
            vals["main_listing_id"] = main.id
        if not listing.ean and product.barcode:
            vals["ean"] = product.barcode
        if not listing.asin and main and main.asin:
            vals["asin"] = main.asin
        return vals

    def _prepare_target(self, listing, price, quantities):
        target = {
            "price": price,
            "condition_type": self.condition_type,
            "fulfillment_channel": self.fulfillment_channel,
        }
        if self.fulfillment_channel == "fbm":
            target["handling_time"] = self.handling_time
            if listing.sync_stock and listing.product_id.id in quantities:
                target["quantity"] = quantities[listing.product_id.id]
        return target

    def _compute_prices(self, line, products):
        """Prices in the marketplace currency, through the line's pricelist.

        :return: ``{product id: price}`` rounded to the marketplace currency
        """
        pricelist = line._effective_pricelist()
        target = line.marketplace_id.currency_id or pricelist.currency_id
        raw = pricelist._get_products_price(products, 1.0)
        source = pricelist.currency_id
        today = fields.Date.context_today(self)
        company = self.company_id or self.env.company
        prices = {}
        for product_id, price in raw.items():
            if source and target and source != target:
                price = source._convert(price, target, company, today, round=False)
            prices[product_id] = target.round(price) if target else price
        return prices
