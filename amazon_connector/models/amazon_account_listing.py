# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time

from odoo import api, fields, models

from ..const import SPAPI_MAX_WAIT
from ..exceptions import AmazonThrottled
from .amazon_sync_schedule_mixin import schedule_fields

# A throttled listings call is tried again this many times when Amazon asks for a
# short wait only (at most SPAPI_MAX_WAIT seconds, as the seam's own budget waits).
LISTINGS_THROTTLE_ATTEMPTS = 3


class AmazonAccount(models.Model):
    """Listings side of an account: the SKU <-> product lookups and listing syncs.

    Every flow that meets an Amazon SKU (order import, stock push, publishing)
    resolves it here, so the rule lives in one place: the listing binding of the
    account first, then the SKU recoding table, then the product's internal
    reference. The batch variants answer thousands of SKUs in a handful of queries
    (one per step), which the order import relies on.
    """

    _inherit = "amazon.account"

    listing_ids = fields.One2many("amazon.listing", "account_id", string="Listings")
    listing_count = fields.Integer(compute="_compute_listing_count")
    listing_to_bind_count = fields.Integer(compute="_compute_listing_count")
    sku_recode_ids = fields.One2many(
        "amazon.sku.recode", "account_id", string="SKU Recoding"
    )
    sale_list_ids = fields.One2many(
        "amazon.sale.list", "account_id", string="Sales Lists"
    )
    # Scheduled refresh of the sales lists' prices and quantities.
    (
        listings_sync_active,
        listings_interval_number,
        listings_interval_type,
        listings_next_run,
    ) = schedule_fields("listings", "Listings", 1, "hours")

    def _compute_listing_count(self):
        Listing = self.env["amazon.listing"]
        total = dict(
            Listing._read_group(
                [("account_id", "in", self.ids)], ["account_id"], ["__count"]
            )
        )
        unbound = dict(
            Listing._read_group(
                [("account_id", "in", self.ids), ("product_id", "=", False)],
                ["account_id"],
                ["__count"],
            )
        )
        for account in self:
            account.listing_count = total.get(account, 0)
            account.listing_to_bind_count = unbound.get(account, 0)

    # ------------------------------------------------------------------
    # SKU -> product
    # ------------------------------------------------------------------
    def _find_product_by_sku(self, sku, marketplace=None):
        """Product an Amazon SKU of this account stands for.

        :param str sku: seller SKU as Amazon sends it
        :param marketplace: ``amazon.marketplace`` the SKU was seen on (prefers the
            listing of that marketplace when bindings differ)
        :return: ``product.product`` record, empty when nothing matches
        """
        self.ensure_one()
        return self._find_products_by_skus([sku], marketplace=marketplace)[sku]

    def _find_products_by_skus(self, skus, marketplace=None):
        """Batch form of :meth:`_find_product_by_sku`: one query per lookup step.

        :param skus: iterable of seller SKUs
        :param marketplace: optional ``amazon.marketplace``
        :return: ``{sku: product.product}`` for every SKU given (an empty recordset
            when it matches nothing)
        """
        self.ensure_one()
        Product = self.env["product.product"]
        cleaned = {sku: (sku or "").strip() for sku in skus}
        found = {}
        for step in self._amazon_sku_lookup_steps():
            missing = {c for c in cleaned.values() if c and c not in found}
            if not missing:
                break
            found.update(step(missing, marketplace=marketplace))
        return {sku: found.get(clean, Product) for sku, clean in cleaned.items()}

    def _amazon_sku_lookup_steps(self):
        """Ordered lookup steps; override to add one (each returns {sku: product})."""
        return [
            self._amazon_products_from_listings,
            self._amazon_products_from_recodes,
            self._amazon_products_from_references,
        ]

    def _amazon_products_from_listings(self, skus, marketplace=None):
        listings = self.env["amazon.listing"].search_fetch(
            [
                ("account_id", "=", self.id),
                ("sku", "in", list(skus)),
                ("product_id", "!=", False),
            ],
            ["sku", "product_id", "marketplace_id"],
        )
        result = {}
        # A listing of the marketplace asked for wins over the other marketplaces.
        wanted = marketplace.id if marketplace else 0
        for listing in listings.sorted(lambda lst: lst.marketplace_id.id == wanted):
            result[listing.sku] = listing.product_id
        return result

    def _amazon_products_from_recodes(self, skus, marketplace=None):
        rows = self.env["amazon.sku.recode"].search_fetch(
            [("account_id", "=", self.id), ("amazon_sku", "in", list(skus))],
            ["amazon_sku", "product_id", "default_code"],
        )
        by_code = self._amazon_products_by_default_code(
            rows.filtered(lambda r: not r.product_id).mapped("default_code"),
            self.company_id,
        )
        result = {}
        for row in rows:
            product = row.product_id or by_code.get(row.default_code)
            if product:
                result[row.amazon_sku] = product
        return result

    def _amazon_products_from_references(self, skus, marketplace=None):
        return self._amazon_products_by_default_code(skus, self.company_id)

    @api.model
    def _amazon_products_by_default_code(self, codes, company):
        """Products by internal reference, visible to ``company``.

        A reference shared by several products matches none of them: binding an
        order line to a guess is worse than reporting the SKU as unknown.

        :return: ``{default_code: product.product}``
        """
        return self._amazon_unique_products("default_code", codes, company)

    @api.model
    def _amazon_products_by_barcode(self, barcodes, company):
        """Products by barcode (EAN/GTIN/UPC), visible to ``company``; unique only."""
        return self._amazon_unique_products("barcode", barcodes, company)

    @api.model
    def _amazon_unique_products(self, field_name, values, company):
        values = [v for v in set(values or ()) if v]
        if not values:
            return {}
        products = self.env["product.product"].search_fetch(
            [
                (field_name, "in", values),
                ("company_id", "in", [False, company.id]),
            ],
            [field_name],
        )
        grouped = {}
        for product in products:
            grouped.setdefault(product[field_name], []).append(product)
        return {
            value: matches[0] for value, matches in grouped.items() if len(matches) == 1
        }

    # ------------------------------------------------------------------
    # product -> SKU
    # ------------------------------------------------------------------
    def _amazon_sku_for_product(self, product, marketplace=None):
        """Amazon SKU this account uses for ``product``.

        :return: the SKU, or False when the product has none (no listing, no
            recoding and no internal reference)
        """
        self.ensure_one()
        return self._amazon_skus_for_products(product, marketplace=marketplace)[
            product.id
        ]

    def _amazon_skus_for_products(self, products, marketplace=None):
        """Batch form of :meth:`_amazon_sku_for_product`.

        Order: the SKU of an existing listing (what Amazon actually knows), then
        the recoding table (by product, then by internal reference), then the
        internal reference itself.

        :return: ``{product id: sku or False}``
        """
        self.ensure_one()
        result = {}
        listings = self.env["amazon.listing"].search_fetch(
            [("account_id", "=", self.id), ("product_id", "in", products.ids)],
            ["sku", "product_id", "marketplace_id"],
            order="id desc",
        )
        wanted = marketplace.id if marketplace else 0
        for listing in listings.sorted(lambda lst: lst.marketplace_id.id == wanted):
            result[listing.product_id.id] = listing.sku
        missing = products.filtered(lambda p: p.id not in result)
        if missing:
            codes = [c for c in missing.mapped("default_code") if c]
            rows = self.env["amazon.sku.recode"].search_fetch(
                [
                    ("account_id", "=", self.id),
                    "|",
                    ("product_id", "in", missing.ids),
                    "&",
                    ("product_id", "=", False),
                    ("default_code", "in", codes),
                ],
                ["amazon_sku", "product_id", "default_code"],
                order="amazon_sku desc",
            )
            by_product = {r.product_id.id: r.amazon_sku for r in rows if r.product_id}
            by_code = {r.default_code: r.amazon_sku for r in rows if not r.product_id}
            for product in missing:
                result[product.id] = (
                    by_product.get(product.id)
                    or by_code.get(product.default_code)
                    or product.default_code
                    or False
                )
        return result

    # ------------------------------------------------------------------
    # quantities offered on Amazon
    # ------------------------------------------------------------------
    def _amazon_available_quantities(self, products):
        """Quantity to offer on Amazon for merchant-fulfilled listings.

        This addon knows no stock: none (the addons that bring Odoo's stock to
        the account, ``amazon_connector_sale`` and ``amazon_connector_stock``,
        say how many).

        :return: ``{product id: int >= 0}`` for the products whose stock is tracked
        """
        self.ensure_one()
        return {}

    def _amazon_listings_call(self, operation, **params):
        """``_spapi_call`` for the listings flows, riding out short throttling.

        Two clocks meet at the edge of a usage plan (ours and Amazon's), so a
        request sent exactly when the budget allows may still get a 429 asking to
        retry at once. A long import must not stop for that; a real quota problem
        (a longer retry-after) still raises.

        :raise AmazonError: as ``_spapi_call``
        """
        self.ensure_one()
        for attempt in range(1, LISTINGS_THROTTLE_ATTEMPTS + 1):
            try:
                return self._spapi_call(operation, **params)
            except AmazonThrottled as exc:
                if attempt == LISTINGS_THROTTLE_ATTEMPTS or (
                    exc.retry_after > SPAPI_MAX_WAIT
                ):
                    raise
                time.sleep(max(exc.retry_after, 0.5))

    def _run_scheduled_listings(self):
        """Scheduled refresh: publish the account's sales lists (changes only).

        The "Import Listings" button asks the same scheduled action for the job
        ``import`` (context ``amazon_sync_job``): the listings are then imported
        from Amazon instead. An import that stopped before its end (throttled,
        killed), whatever started it, is finished first by any run.
        """
        self.ensure_one()
        importer = self.env["amazon.listing.importer"]
        if self.env.context.get("amazon_sync_job") == "import":
            importer._import_listings(self)
            return
        if importer._import_pending(self):
            # An import stopped before its end (throttled, killed): this run
            # goes on with it, and publishes once it is through.
            importer._import_listings(
                self, trigger=self.env.context.get("amazon_sync_trigger", "scheduled")
            )
            if importer._import_pending(self):
                return
        lists = self.env["amazon.sale.list"].search(
            [("account_id", "=", self.id), ("auto_refresh", "=", True)]
        )
        if lists:
            lists._publish(trigger="scheduled")

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_import_listings(self):
        """Import the accounts' listings from Amazon now and bind them to products.

        Runs synchronously (one ``searchListingsItems`` call per 20 listings and
        marketplace). Listings that match no product are kept unbound and shown in
        the "To Bind" list.

        :return: an action showing the sync log(s) of the run
        :raise UserError: when a listings sync of an account is already running
        """
        logs = self.env["amazon.sync.log"]
        for account in self._as_sync_runner():
            logs |= account.env["amazon.listing.importer"]._import_listings(account)
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Listings Import"),
            "res_model": "amazon.sync.log",
            "domain": [("id", "in", logs.ids)],
            "view_mode": "list,form",
        }
        if len(logs) == 1:
            action.update(res_id=logs.id, view_mode="form")
        return action

    def action_view_listings(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector.amazon_listing_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"default_account_id": self.id}
        return action

    def action_view_listings_to_bind(self):
        action = self.action_view_listings()
        action["domain"] = [("account_id", "=", self.id), ("product_id", "=", False)]
        return action

    def action_view_sku_recodes(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector.amazon_sku_recode_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"default_account_id": self.id}
        return action
