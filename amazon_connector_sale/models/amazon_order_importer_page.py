# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A page of ``searchOrders``: its orders created together, confirmed together.

Creating, confirming and delivering order by order is most of an import's time
(Odoo's computes, stock rules, moves and valuation run once per call): a page's
new customers, delivery contacts, sale orders and rounding lines are each created
in one ``create``, its new orders confirmed in one ``action_confirm`` and their
FBA deliveries validated together. The look-ups the orders of a page share
(marketplaces, SKUs, buyer e-mails) are prefetched in a few queries.
"""

import logging
from collections import defaultdict

from odoo import api, models

from ..const import STATUS_PENDING, STATUS_PENDING_AVAILABILITY

_logger = logging.getLogger(__name__)

PAGE_CACHE_KEY = "amazon_order_import_page"
# stats key of a product whose FBA stock went negative: (FBA_SHORT_KEY, name)
FBA_SHORT_KEY = "fba_stock_negative"


class AmazonOrderImporterPage(models.AbstractModel):
    _name = "amazon.order.importer.page"
    _description = "Amazon Order Importer: Pages"

    @api.model
    def _page_cache(self):
        """Look-ups prefetched for the page being imported, None outside a page.

        Kept on the cursor (``cr.cache``), not in the context: it must not follow
        the records created during the page.
        """
        return self.env.cr.cache.get(PAGE_CACHE_KEY)

    @api.model
    def _page_memo(self, kind, key, compute):
        """``compute()`` once per page for (kind, key), each time outside a page.

        Only for look-ups of reference data (countries, states, currencies):
        nothing the page itself creates, which a rollback could take back.
        """
        page = self._page_cache()
        if page is None:
            return compute()
        memo = page.setdefault("memo", {}).setdefault(kind, {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    @api.model
    def _import_page(self, account, orders, log, stats, report):
        """Import a page of orders: created together, confirmed together.

        The page is first imported in one savepoint, its records created in
        batches; when any of its orders fails, it is rolled back and imported
        again with a savepoint per order, so that a bad order becomes its own
        failure record. Either way the new
        orders are then confirmed (and the FBA ones delivered) in one go. When
        that batch fails, the page is rolled back and imported again order by
        order, so that only the order that cannot be confirmed fails.
        """
        orders = [self._clean_order(order) for order in orders]
        self.env.cr.cache[PAGE_CACHE_KEY] = self._prefetch_page_safely(account, orders)
        try:
            # Optimistic first: no savepoint per order (each one flushes, which
            # makes Odoo compute every order's fields one order at a time).
            outcomes = self._import_page_batched(account, orders, log, isolate=False)
            if outcomes is None:
                outcomes = self._import_page_batched(account, orders, log)
            if outcomes is None:
                self._page_cache()["deferred"] = None
                for order in orders:
                    self._import_one(account, order, log, stats, report)
                return
            for order, result, sale_order, error in outcomes:
                self._book_result(
                    account, order, log, stats, report, result, sale_order, error
                )
        finally:
            page = self.env.cr.cache.pop(PAGE_CACHE_KEY, None) or {}
            for name, qty in (page.get("fba_short") or {}).items():
                stats[(FBA_SHORT_KEY, name)] = qty

    @api.model
    def _import_page_batched(self, account, orders, log, isolate=True):
        """Import the orders of a page, then confirm the new ones together.

        :param isolate: a savepoint per order, whose failure is returned as its
            outcome; without, the page's orders are imported together
            (:meth:`_import_orders`: one ``create`` per kind of record) and the
            first failure rolls the page back (None)
        :return: [(order, result, sale order, error)], or None when the page
            was rolled back
        """
        page = self._page_cache()
        try:
            with self.env.cr.savepoint():
                page["deferred"] = []
                if isolate:
                    outcomes = [
                        self._import_isolated(account, order, log) for order in orders
                    ]
                else:
                    outcomes = [
                        (order, result, sale_order, None)
                        for order, (result, sale_order) in zip(
                            orders,
                            self._import_orders(account, orders, log=log),
                            strict=True,
                        )
                    ]
                deferred, page["deferred"] = page["deferred"], None
                if deferred:
                    self._after_create_page(account, deferred)
        except Exception as error:
            page["deferred"] = None
            _logger.info(
                "Importing a page of %s orders together failed (%s): importing "
                "it again %s",
                len(orders),
                error,
                "order by order" if isolate else "with a savepoint per order",
            )
            return None
        return outcomes

    @api.model
    def _import_isolated(self, account, order, log):
        """One order of a page in its own savepoint.

        :return: (order, result, sale order, error); a failure is returned, not
            raised, and only this order's writes are taken back
        """
        page = self._page_cache()
        deferred = list(page["deferred"])
        try:
            with self.env.cr.savepoint():
                result, sale_order = self._import_order(account, order, log=log)
        except Exception as error:
            page["deferred"] = deferred
            return (order, "failed", None, error)
        return (order, result, sale_order, None)

    @api.model
    def _after_create_page(self, account, created):
        """Confirm the new orders of a page together, then deliver the FBA ones.

        One ``action_confirm`` and one picking validation for the whole page:
        Odoo's stock rules and moves run in batches, which is most of the import
        time when done order by order.

        :param account: amazon.account
        :param created: list of (sale.order, Amazon order dict) just created
        """
        to_confirm = fba = self.env["sale.order"]
        for sale_order, order in created:
            status = self._get_status(order)
            if status in (STATUS_PENDING, STATUS_PENDING_AVAILABILITY):
                continue
            if sale_order.amazon_fulfillment_channel == "fba":
                to_confirm |= sale_order
                fba |= sale_order
            elif account.order_auto_confirm:
                to_confirm |= sale_order
        if to_confirm:
            to_confirm.action_confirm()
        if fba:
            self._deliver_from_fba(fba, account)

    @api.model
    def _deliver_from_fba(self, sale_order, account):
        """Amazon ships from its own warehouse: the stock leaves the FBA location.

        :param sale_order: sale.order, one or several (of the same account)
        """
        location = account.fba_location_id
        pickings = sale_order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        if not pickings:
            return
        if location:
            pickings.location_id = location
            pickings.move_ids.location_id = location
        # Each account's own buyers location: the stock figures of the
        # destination are not shared with other accounts delivering at the same
        # time (a shared one is a serialization failure of one of them).
        pickings.location_dest_id = account._get_fba_customer_location()
        # What setting move.quantity does, with the move lines of all the moves
        # created at once (moves already holding lines take the usual way).
        new_lines = []
        for move in pickings.move_ids:
            if move.move_line_ids:
                move.quantity = move.product_uom_qty
                continue
            new_lines += [
                command[2]
                for command in move._set_quantity_done_prepare_vals(
                    move.product_uom_qty
                )
                if command[0] == 0
            ]
        if new_lines:
            self.env["stock.move.line"].create(new_lines)._apply_putaway_strategy()
        pickings.move_ids.picked = True
        self._date_fba_moves(pickings)
        # Amazon delivered and told the buyer: Odoo must not text (stock_sms,
        # a paid IAP call to Odoo's servers) or e-mail the buyer about it.
        pickings.with_context(skip_sms=True)._action_done()
        if location:
            self.env["amazon.fba.ledger"]._absorb_counted(account, pickings.move_ids)
            self._note_fba_shortfall(pickings, location)

    @api.model
    def _date_fba_moves(self, pickings):
        """Date the FBA delivery moves when Amazon took the units from its
        fulfillable stock: the purchase date (see amazon.fba.ledger)."""
        by_date = defaultdict(lambda: self.env["stock.move"])
        for picking in pickings:
            order = picking.sale_id
            date = order.amazon_purchase_date or order.date_order
            by_date[date] |= picking.move_ids
        for date, moves in by_date.items():
            moves.amazon_fba_date = date

    @api.model
    def _note_fba_shortfall(self, pickings, location):
        """Amazon shipped more than Odoo's FBA location held: the stock there is
        negative now. Say so on the orders, with the way to correct it, instead of
        leaving a negative count nobody notices."""
        products = pickings.move_ids.product_id.filtered("is_storable")
        if not products:
            return
        groups = self.env["stock.quant"]._read_group(
            [
                ("location_id", "child_of", location.id),
                ("product_id", "in", products.ids),
            ],
            ["product_id"],
            ["quantity:sum"],
        )
        negative = {product: qty for product, qty in groups if qty < 0}
        if not negative:
            return
        page = self._page_cache()
        if page is not None:
            # During a sync: one notice in the log for the run, not a note on
            # every FBA order (an account that never imported its FBA inventory
            # would get one on each).
            page.setdefault("fba_short", {}).update(
                {product.display_name: qty for product, qty in negative.items()}
            )
            return
        for picking in pickings:
            short = [
                (product, qty)
                for product, qty in negative.items()
                if product in picking.move_ids.product_id
            ]
            order = picking.sale_id
            if not short or not order:
                continue
            note = self.env._(
                "Odoo's FBA location %(location)s held fewer units than Amazon "
                "shipped: %(products)s. Import the FBA inventory (Amazon > Accounts > "
                "Import FBA inventory) to bring Odoo's count in line with Amazon's.",
                location=location.display_name,
                products=", ".join(
                    self.env._(
                        "%(product)s is at %(qty)s",
                        product=product.display_name,
                        qty=f"{qty:g}",
                    )
                    for product, qty in short
                ),
            )
            order.amazon_import_notes = "\n".join(
                filter(None, [order.amazon_import_notes, note])
            )

    @api.model
    def _prefetch_page_safely(self, account, orders):
        """The page's look-ups; none when a payload defeats them (each order then
        looks its data up alone, and fails alone)."""
        try:
            with self.env.cr.savepoint():
                return self._prefetch_page(account, orders)
        except Exception:
            _logger.exception("Prefetching a page of Amazon orders failed")
            return {"deferred": None, "products": {}, "marketplaces": {}, "emails": {}}

    @api.model
    def _prefetch_page(self, account, orders):
        """Resolve the page's marketplaces, SKUs and buyer e-mails in a few queries.

        :return: dict read by the look-up hooks through :meth:`_page_cache`
        """
        skus, emails = defaultdict(set), set()
        for order in orders:
            if not isinstance(order, dict):
                continue
            code = self._dict(order.get("salesChannel")).get("marketplaceId")
            for item in self._list(order.get("orderItems")):
                sku = self._dict(item.get("product")).get("sellerSku")
                if isinstance(sku, str) and sku.strip() and isinstance(code, str):
                    skus[code].add(sku.strip()[:128])
            email = self._buyer_email(order)
            if email:
                emails.add(email)
        cache = {"deferred": None, "products": {}, "marketplaces": {}}
        marketplaces = self.env["amazon.marketplace"].search(
            [("marketplace_id", "in", list(skus))]
        )
        for marketplace in marketplaces:
            cache["marketplaces"].setdefault(marketplace.marketplace_id, marketplace)
        if hasattr(account, "_find_products_by_skus"):
            for code, codes in skus.items():
                marketplace = cache["marketplaces"].get(code)
                if not marketplace:
                    continue
                found = account._find_products_by_skus(
                    sorted(codes), marketplace=marketplace
                )
                for sku, product in found.items():
                    if product:
                        cache["products"][(marketplace.id, sku)] = product
        cache["emails"] = self._find_customers_by_emails(account, emails)
        return cache
