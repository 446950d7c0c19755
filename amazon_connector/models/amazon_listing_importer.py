# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models

from ..exceptions import AmazonError, AmazonInvalidRequest, AmazonThrottled
from ..utils import parse_datetime
from .amazon_listing import CONDITION_TYPES, MERCHANT_CHANNEL_CODE

_logger = logging.getLogger(__name__)

SYNC_KIND = "listings"
# Where an import stopped, on the account's listings schedule (amazon.sync.schedule).
RESUME_KEY = "import"

# searchListingsItems: pageSize maximum is 20, and "the maximum number of items
# (SKUs) that can be returned and paged through is 1000" (listingsItems_2021-08-01
# model, ItemSearchResults.numberOfResults). Past 1000 we restart the search
# from the last creation date seen (results sorted by createdDate ascending), one
# second earlier: whether Amazon's createdAfter includes its bound is not written,
# and SKUs created in the same second as the last one seen must not be lost. The
# SKUs seen twice are skipped.
PAGE_SIZE = 20
SEARCH_RESULT_CAP = 1000
INCLUDED_DATA = [
    "summaries",
    "attributes",
    "issues",
    "offers",
    "fulfillmentAvailability",
]

# Listing attributes that carry a barcode, and the identifier types we read as one.
IDENTIFIER_ATTRIBUTES = (
    "externally_assigned_product_identifier",
    "external_product_id",
)
BARCODE_TYPES = {"ean", "gtin", "upc", "jan", "isbn"}

CONDITION_VALUES = {code for code, _label in CONDITION_TYPES}


class AmazonListingImporter(models.AbstractModel):
    """Import an account's existing listings and bind them to products.

    Template method: :meth:`_import_listings` pages through
    ``searchListingsItems`` per marketplace, maps each item with
    :meth:`_prepare_listing_vals`, binds it with :meth:`_find_products` (listing
    binding, SKU recoding, barcode, internal reference) and upserts the listings.
    Items that match no product are kept unbound for a manager to bind by hand.
    Re-running is harmless: listings are keyed by (account, marketplace, SKU).
    """

    _name = "amazon.listing.importer"
    _description = "Amazon Listings Import"

    def _import_listings(self, account, trigger="manual", marketplaces=None):
        """Run one import for ``account``.

        :param marketplaces: ``amazon.marketplace`` to import (default: the
            account's active marketplaces)
        :return: the ``amazon.sync.log`` of the run
        :raise UserError: when a listings sync of the account is already running
        """
        account.ensure_one()
        marketplaces = marketplaces or account.active_marketplace_ids
        with account._sync_run(SYNC_KIND, trigger=trigger) as run:
            stats = run.stats
            try:
                self._read_marketplaces(run, account, marketplaces)
            except AmazonThrottled as exc:
                run.stop(exc)
                if not run.in_worker:
                    # Started outside the scheduled action (the button, a
                    # script): that action goes on at Amazon's retry time.
                    run.schedule.with_context(amazon_sync_job=RESUME_KEY)._resume_later(
                        exc.retry_after
                    )
            except AmazonError as exc:
                run.stop(exc)
            if stats["unbound"]:
                run.note(
                    self.env._(
                        "%(count)s listings match no product and wait to be "
                        "bound by hand.",
                        count=stats["unbound"],
                    )
                )
        return run.log

    @api.model
    def _import_pending(self, account):
        """Whether an import of ``account`` stopped before its end (throttled,
        failed, killed): the next run of the listings, whatever started it,
        goes on from there."""
        return bool(account._sync_schedule(SYNC_KIND)._resume_position(RESUME_KEY))

    def _read_marketplaces(self, run, account, marketplaces):
        """Import the pages of each marketplace, resuming where a run stopped.

        After each page, where the next one starts (marketplace, search window,
        token) is kept on the account's schedule and committed with the page: a
        run stopped by a throttle, a crash or a kill goes on with the next page.
        A token Amazon no longer accepts restarts that marketplace.
        """
        schedule = run.schedule
        start = schedule._resume_position(RESUME_KEY) or {}
        if start.get("marketplace") in marketplaces.ids:
            marketplaces = marketplaces[marketplaces.ids.index(start["marketplace"]) :]
        else:
            start = {}
        for marketplace in marketplaces:
            position = dict(start) if start.get("marketplace") == marketplace.id else {}
            start = {}
            position.pop("marketplace", None)
            if position.get("done"):
                continue
            try:
                self._read_pages(run, account, marketplace, position)
            except AmazonInvalidRequest:
                if not position.get("token"):
                    raise
                _logger.info("searchListingsItems refused its token: restarting")
                self._read_pages(run, account, marketplace, {})
        schedule._keep_position(RESUME_KEY, None)

    def _read_pages(self, run, account, marketplace, position):
        for items in self._fetch_pages(
            account, marketplace, position=position, run=run
        ):
            run.stats["fetched"] += len(items)
            self._import_items(account, marketplace, items, run.log, run.stats)
            run.schedule._keep_position(
                RESUME_KEY, dict(position, marketplace=marketplace.id), run.stats
            )
            run.commit()

    def _search_params(self, account, marketplace):
        return {
            "sellerId": account.seller_id,
            "marketplaceIds": [marketplace.marketplace_id],
            "includedData": list(INCLUDED_DATA),
            "pageSize": PAGE_SIZE,
            "sortBy": "createdDate",
            "sortOrder": "ASC",
            "issueLocale": self._issue_locale(),
        }

    @api.model
    def _issue_locale(self):
        return self.env.lang or "en_US"

    def _fetch_pages(self, account, marketplace, position=None, run=None):
        """Yield the items of each page (new SKUs only) for one marketplace.

        :param dict position: where to start (kept by a run that stopped) and,
            updated before each page is yielded, where the page after it starts:
            ``created_after`` and ``token`` of the search, the items ``count``
            and ``last_created`` date of its window, ``done`` after the last page
        """
        params = self._search_params(account, marketplace)
        position = {} if position is None else position
        seen = set()
        while True:
            call = dict(params)
            if position.get("created_after"):
                call["createdAfter"] = position["created_after"]
            if position.get("token"):
                call["pageToken"] = position["token"]
            caller = run.call if run else (lambda fn, *a, **kw: fn(*a, **kw))
            data = (
                caller(
                    account._amazon_listings_call,
                    "listings.searchListingsItems",
                    **call,
                )
                or {}
            )
            items = data.get("items") or []
            count = position.get("count", 0) + len(items)
            last_created = position.get("last_created")
            fresh = []
            for item in items:
                if not isinstance(item, dict):
                    continue
                sku = item.get("sku")
                for summary in item.get("summaries") or []:
                    created = summary.get("createdDate")
                    if created and (not last_created or created > last_created):
                        last_created = created
                if sku in seen:
                    continue
                seen.add(sku)
                fresh.append(item)
            new = position.get("new", 0) + len(fresh)
            token = (data.get("pagination") or {}).get("nextToken")
            if token and items:
                position.update(
                    token=token, count=count, last_created=last_created, new=new
                )
            elif count < SEARCH_RESULT_CAP or not last_created or not new:
                position.clear()
                position["done"] = True
            else:
                # Amazon pages through 1000 items at most: search again from
                # the last creation date seen.
                position.clear()
                position["created_after"] = self._search_restart_date(last_created)
            yield fresh
            if position.get("done"):
                return

    @api.model
    def _search_restart_date(self, last_created):
        """``createdAfter`` of the next search: a second before ``last_created``.

        :param str last_created: Amazon's ISO 8601 ``createdDate``
        :return: ISO 8601 UTC text (unchanged when it cannot be read)
        """
        moment = parse_datetime(last_created)
        if not moment:
            return last_created
        return (moment - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _import_items(self, account, marketplace, items, log, stats):
        Listing = self.env["amazon.listing"].with_context(active_test=False)
        vals_by_sku = {}
        for item in items:
            sku = item.get("sku")
            try:
                if not sku or not isinstance(sku, str):
                    raise ValueError(self.env._("The item has no SKU."))
                vals_by_sku[sku] = self._prepare_listing_vals(
                    account, marketplace, item
                )
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                stats["failed"] += 1
                log._add_line(sku or "?", self.env._("Unreadable listing: %s", exc))
        if not vals_by_sku:
            return
        existing = {
            listing.sku: listing
            for listing in Listing.search(
                [
                    ("account_id", "=", account.id),
                    ("marketplace_id", "=", marketplace.id),
                    ("sku", "in", list(vals_by_sku)),
                ]
            )
        }
        unbound = [
            sku
            for sku in vals_by_sku
            if not (existing.get(sku) and existing[sku].product_id)
        ]
        products = self._find_products(account, marketplace, vals_by_sku, unbound)
        to_create = []
        for sku, vals in vals_by_sku.items():
            vals.pop("_barcodes", None)
            listing = existing.get(sku)
            if listing:
                if not listing.product_id and products.get(sku):
                    vals["product_id"] = products[sku].id
                self._write_listing(listing, vals, log, stats)
            else:
                vals.update(
                    account_id=account.id,
                    marketplace_id=marketplace.id,
                    sku=sku,
                    product_id=products.get(sku, self.env["product.product"]).id,
                )
                to_create.append(vals)
        self._create_listings(to_create, log, stats)
        stats["unbound"] += sum(1 for sku in unbound if not products.get(sku))

    def _write_listing(self, listing, vals, log, stats):
        try:
            with self.env.cr.savepoint():
                listing.write(vals)
            stats["updated"] += 1
        except Exception as exc:  # one bad item never stops the sync
            stats["failed"] += 1
            log._add_line(listing.sku, str(exc))

    def _create_listings(self, vals_list, log, stats):
        if not vals_list:
            return
        Listing = self.env["amazon.listing"]
        try:
            with self.env.cr.savepoint():
                Listing.create(vals_list)
            stats["created"] += len(vals_list)
            return
        except Exception:  # retried one by one below to isolate the culprit
            _logger.debug("Batch listing creation failed, retrying one by one")
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    Listing.create(vals)
                stats["created"] += 1
            except Exception as exc:  # logged on the sync log, the others go on
                stats["failed"] += 1
                log._add_line(vals.get("sku"), str(exc))

    def _find_products(self, account, marketplace, vals_by_sku, skus):
        """Products for the SKUs still unbound: binding, recoding, barcode, reference.

        :return: ``{sku: product.product}`` for the SKUs that matched
        """
        found = {}
        missing = set(skus)
        for step in (
            account._amazon_products_from_listings,
            account._amazon_products_from_recodes,
        ):
            if missing:
                found.update(step(missing, marketplace=marketplace))
                missing -= set(found)
        if missing:
            barcodes = {sku: vals_by_sku[sku].get("_barcodes") or [] for sku in missing}
            by_barcode = account._amazon_products_by_barcode(
                [b for codes in barcodes.values() for b in codes], account.company_id
            )
            for sku, codes in barcodes.items():
                product = next((by_barcode[c] for c in codes if c in by_barcode), None)
                if product:
                    found[sku] = product
            missing -= set(found)
        if missing:
            found.update(account._amazon_products_from_references(missing))
        return found

    def _prepare_listing_vals(self, account, marketplace, item):
        """Map one ``Item`` of searchListingsItems onto listing values.

        Only the data of ``marketplace`` is read: the same item carries summaries
        and offers for every marketplace it is offered on.
        """
        mkt = marketplace.marketplace_id
        summaries = item.get("summaries") or []
        summary = next((s for s in summaries if s.get("marketplaceId") == mkt), None)
        if (
            summary is None
            and len(summaries) == 1
            and not summaries[0].get("marketplaceId")
        ):
            summary = summaries[0]
        summary = summary or {}
        statuses = summary.get("status") or []
        issues = item.get("issues") or []
        mkt_issues = [
            i
            for i in issues
            if not i.get("marketplaceIds") or mkt in i["marketplaceIds"]
        ]
        Listing = self.env["amazon.listing"]
        vals = {
            "asin": summary.get("asin") or False,
            "item_name": summary.get("itemName") or False,
            "product_type": summary.get("productType") or "PRODUCT",
            "amazon_status": ", ".join(statuses) or False,
            "issues": Listing._issues_in_words(mkt_issues),
            "state": self._listing_state(statuses, mkt_issues),
            "offer_on_amazon": True,
            "last_sync_date": fields.Datetime.now(),
        }
        if summary.get("conditionType") in CONDITION_VALUES:
            vals["condition_type"] = summary["conditionType"]
        offer = self._pick_offer(item.get("offers") or [], mkt)
        if offer:
            vals["price"] = float((offer.get("price") or {}).get("amount") or 0.0)
        vals.update(self._fulfillment_vals(item))
        attributes = item.get("attributes") or {}
        barcodes = self._barcodes_from_attributes(attributes, mkt)
        vals["_barcodes"] = barcodes
        if barcodes:
            vals["ean"] = barcodes[0]
        return vals

    @api.model
    def _listing_state(self, statuses, issues):
        if "BUYABLE" in statuses:
            return "active"
        if self.env["amazon.listing"]._has_blocking_issue(issues):
            return "error"
        return "inactive"

    @api.model
    def _pick_offer(self, offers, mkt):
        """The consumer (B2C) offer of the marketplace, the one sales lists price."""
        mine = [o for o in offers if o.get("marketplaceId") == mkt]
        return next((o for o in mine if o.get("offerType") == "B2C"), None) or (
            mine[0] if mine else None
        )

    @api.model
    def _fulfillment_vals(self, item):
        availabilities = [
            a for a in item.get("fulfillmentAvailability") or [] if isinstance(a, dict)
        ]
        merchant = next(
            (
                a
                for a in availabilities
                if a.get("fulfillmentChannelCode") == MERCHANT_CHANNEL_CODE
            ),
            None,
        )
        vals = {}
        if merchant:
            vals.update(
                fulfillment_channel="fbm", quantity=int(merchant.get("quantity") or 0)
            )
        elif availabilities:
            vals["fulfillment_channel"] = "fba"
        attr = (item.get("attributes") or {}).get("fulfillment_availability") or []
        for entry in attr:
            if isinstance(entry, dict) and entry.get("lead_time_to_ship_max_days"):
                vals["handling_time"] = int(entry["lead_time_to_ship_max_days"])
                break
        return vals

    @api.model
    def _barcodes_from_attributes(self, attributes, mkt):
        codes = []
        for name in IDENTIFIER_ATTRIBUTES:
            for entry in attributes.get(name) or []:
                if not isinstance(entry, dict):
                    continue
                if entry.get("marketplace_id") not in (None, mkt):
                    continue
                kind = (entry.get("type") or "ean").lower()
                value = str(entry.get("value") or "").strip()
                if value and kind in BARCODE_TYPES and value not in codes:
                    codes.append(value)
        return codes
