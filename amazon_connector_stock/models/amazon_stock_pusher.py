# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import math
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.amazon_connector.exceptions import AmazonError, AmazonThrottled

from ..const import (
    DEFAULT_PRODUCT_TYPE,
    FBM_CHANNEL_CODE,
    FULFILLMENT_AVAILABILITY_PATH,
    SEVERITY_ERROR,
    SUBMISSION_ACCEPTED,
)

_logger = logging.getLogger(__name__)

SYNC_KIND = "stock"


class AmazonStockPusher(models.AbstractModel):
    """Keep Amazon's FBM quantities equal to what Odoo can ship.

    Template method ``_run``: read the reports of earlier feeds, find the synced
    listings, compute each target quantity, keep the ones that differ from what
    Amazon last accepted, then per marketplace send few changes one by one
    (``patchListingsItem``) and many as a single ``JSON_LISTINGS_FEED``.
    """

    _name = "amazon.stock.pusher"
    _description = "Amazon Stock Push Service"

    # --------------------------------------------------------- template method
    @api.model
    def _run(self, account, trigger="manual"):
        """Push the changed quantities of one account.

        :param account: amazon.account record
        :param trigger: "manual" or "scheduled"
        :return: the amazon.sync.log of the run
        :raise UserError: when a stock push of this account is already running
        """
        account.ensure_one()
        with account._sync_run(SYNC_KIND, trigger=trigger) as run:
            stats = run.stats
            try:
                self.env["amazon.stock.feed"]._check_pending(account, log=run.log)
                listings = self._find_listings(account)
                stats["fetched"] = len(listings)
                targets = self._compute_quantities(account, listings)
                changes = {
                    listing: qty
                    for listing, qty in targets.items()
                    if not self._must_skip(listing, qty)
                }
                stats["skipped"] = len(listings) - len(changes)
                by_marketplace = defaultdict(dict)
                for listing, qty in changes.items():
                    by_marketplace[listing.marketplace_id][listing] = qty
                for marketplace, mkt_changes in by_marketplace.items():
                    if len(mkt_changes) > account.stock_feed_threshold:
                        self._send_feed(
                            account, marketplace, mkt_changes, run.log, stats
                        )
                    else:
                        self._send_patches(account, mkt_changes, run.log, stats)
            except AmazonError as exc:
                run.stop(exc)
            state = run.state
            if state == "done" and stats["failed"]:
                state = "partial" if stats["updated"] or stats["queued"] else "failed"
            message = None
            if stats["queued"]:
                message = self.env._(
                    "%(count)s quantities sent in feeds; accepted values are "
                    "recorded when Amazon's processing report is read.",
                    count=stats["queued"],
                )
            run.finish(state=state, message=message)
        return run.log

    @api.model
    def _find_listings(self, account):
        """Listings whose quantity this account keeps in sync (FBM, bound, live)."""
        return self.env["amazon.listing"].search(self._listing_domain(account))

    @api.model
    def _listing_domain(self, account):
        return [
            ("account_id", "=", account.id),
            ("sync_stock", "=", True),
            ("fulfillment_channel", "=", "fbm"),
            ("product_id", "!=", False),
            ("state", "!=", "draft"),
        ]

    @api.model
    def _compute_quantities(self, account, listings):
        """Quantity to offer per listing.

        Free quantity (on hand minus reserved) in the account's FBM stock,
        minus the account's safety reserve, capped by its maximum, never below
        zero. With mrp installed, ``free_qty`` of a kit is already the number of
        kits its components can make.

        :return: dict listing -> int
        """
        location = self._get_stock_location(account)
        products = listings.product_id.with_context(
            location=location.id if location else False
        ).with_company(account.company_id)
        # Quantities are computed per context and cached; a push must see the
        # stock of now, not of an earlier read in the same transaction.
        products.invalidate_recordset(["free_qty"])
        free = {product.id: product.free_qty for product in products}
        result = {}
        for listing in listings:
            result[listing] = self._quantity_for(account, free[listing.product_id.id])
        return result

    @api.model
    def _get_stock_location(self, account):
        """The FBM warehouse's stock location (and its children).

        Not the whole warehouse: the account's FBA location may sit under the
        warehouse's view location, and stock held by Amazon must never be
        offered as merchant-fulfilled.
        """
        warehouse = account.fbm_warehouse_id or self.env["stock.warehouse"].search(
            [("company_id", "=", account.company_id.id)], limit=1
        )
        return warehouse.lot_stock_id

    @api.model
    def _quantity_for(self, account, free_qty):
        qty = math.floor(free_qty + 1e-9) - (account.stock_reserve_qty or 0)
        if account.stock_max_qty > 0:
            qty = min(qty, account.stock_max_qty)
        return max(int(qty), 0)

    @api.model
    def _must_skip(self, listing, qty):
        """Skip listings whose value Amazon already has, or has in a pending feed."""
        if listing.stock_feed_id:
            return True
        if listing.stock_error and listing.stock_qty_refused == qty:
            # Amazon refused this very value: resending it would fail the same way.
            return True
        # ``quantity`` is what Amazon holds as far as we know: set by an accepted
        # push or by a listings import. A listing known by neither is sent once.
        known = listing.stock_push_date or listing.last_sync_date
        return bool(known and listing.quantity == qty and not listing.stock_error)

    # ----------------------------------------------------------------- patches
    @api.model
    def _prepare_patch_body(self, listing, qty):
        """ListingsItemPatchRequest setting the merchant-fulfilled quantity."""
        return {
            "productType": listing.product_type or DEFAULT_PRODUCT_TYPE,
            "patches": [self._prepare_quantity_patch(qty)],
        }

    @api.model
    def _prepare_quantity_patch(self, qty):
        return {
            "op": "replace",
            "path": FULFILLMENT_AVAILABILITY_PATH,
            "value": [{"fulfillment_channel_code": FBM_CHANNEL_CODE, "quantity": qty}],
        }

    @api.model
    def _send_patches(self, account, changes, log, stats):
        """One patchListingsItem per change; a refused SKU never stops the others.

        :raise AmazonThrottled: the remaining changes wait for the next run
        """
        for listing, qty in changes.items():
            try:
                response = account._spapi_call(
                    "listings.patchListingsItem",
                    sellerId=account.seller_id,
                    sku=listing.sku,
                    marketplaceIds=[listing.marketplace_id.marketplace_id],
                    body=self._prepare_patch_body(listing, qty),
                )
            except AmazonThrottled:
                raise
            except AmazonError as exc:
                refused = -1 if exc.retryable else qty
                self._record_error(listing, str(exc), log, stats, refused=refused)
                continue
            issues = response.get("issues") or []
            if response.get("status") == SUBMISSION_ACCEPTED and not any(
                i.get("severity") == SEVERITY_ERROR for i in issues
            ):
                self._record_accepted(listing, qty)
                stats["updated"] += 1
            else:
                reason = self.env["amazon.listing"]._issues_in_words(issues) or (
                    self.env._(
                        "Amazon did not accept the quantity (%(status)s).",
                        status=response.get("status"),
                    )
                )
                self._record_error(listing, reason, log, stats, refused=qty)

    @api.model
    def _record_accepted(self, listings, qty):
        listings.write(
            {
                "quantity": qty,
                "stock_push_date": fields.Datetime.now(),
                "stock_error": False,
                "stock_feed_id": False,
                "stock_qty_refused": -1,
            }
        )

    @api.model
    def _record_error(self, listing, reason, log, stats, refused=-1):
        """Record why Amazon did not take a quantity.

        :param refused: the quantity Amazon refused for good (not resent while
            it stays the target), -1 for a failure worth retrying
        """
        listing.write(
            {
                "stock_error": reason,
                "stock_feed_id": False,
                "stock_qty_refused": refused,
            }
        )
        if log:
            log._add_line(listing.sku, reason)
        if stats is not None:
            stats["failed"] += 1

    # -------------------------------------------------------------------- feed
    @api.model
    def _send_feed(self, account, marketplace, changes, log, stats):
        """Send all changes of one marketplace as one JSON_LISTINGS_FEED."""
        feed = self.env["amazon.stock.feed"]._submit(account, marketplace, changes)
        stats["queued"] += len(changes)
        # Amazon often processes a small feed within seconds: read the report
        # now when it is ready, otherwise the feed check job reads it later.
        feed._process(log=log, stats=stats)
        return feed

    # ----------------------------------------------------------------- trigger
    @api.model
    def _request_push_for_moves(self, moves):
        """Bring forward the stock push of accounts selling what these moves moved.

        Debounced: the account's next stock run is set to at most "delay" minutes
        from now, and further validations inside that window change nothing, so a
        busy warehouse causes one push, not one per picking.
        """
        moves = moves.filtered(lambda m: m.state == "done")
        if not moves:
            return
        listings = (
            self.env["amazon.listing"]
            .sudo()
            .search(
                [
                    ("product_id", "in", moves.product_id.ids),
                    ("sync_stock", "=", True),
                    ("fulfillment_channel", "=", "fbm"),
                    ("account_id.stock_sync_active", "=", True),
                ]
            )
        )
        now = fields.Datetime.now()
        for account in listings.account_id:
            warehouse = account.fbm_warehouse_id
            if warehouse and not any(
                m.location_id.warehouse_id == warehouse
                or m.location_dest_id.warehouse_id == warehouse
                for m in moves
            ):
                continue
            due = now + timedelta(minutes=max(account.stock_push_delay, 0))
            if not account.stock_next_run or account.stock_next_run > due:
                account.stock_next_run = due
                cron = self.env.ref(
                    "amazon_connector_stock.ir_cron_amazon_stock_push",
                    raise_if_not_found=False,
                )
                if cron:
                    cron.sudo()._trigger(at=due)
