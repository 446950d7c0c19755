# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import api, fields, models
from odoo.tools import float_compare

from ..exceptions import AmazonAuthError, AmazonError, AmazonNotFound
from .amazon_listing import FBA_CHANNEL_CODES, MERCHANT_CHANNEL_CODE

# putListingsItem ``requirements`` for an offer on an existing catalogue item
# (ListingsItemPutRequest.requirements in listingsItems_2021-08-01).
OFFER_ONLY = "LISTING_OFFER_ONLY"
DEFAULT_PRODUCT_TYPE = "PRODUCT"


class AmazonListingPublisher(models.AbstractModel):
    """Send offers to Amazon and remember what Amazon accepted.

    A listing Amazon does not know yet gets a ``putListingsItem`` with the
    ``LISTING_OFFER_ONLY`` requirements (an offer on an existing ASIN, or on the
    catalogue item matching its EAN). A known listing gets a ``patchListingsItem``
    carrying only the attributes whose target differs from what Amazon last
    accepted, and nothing at all when nothing differs: publishing twice sends
    nothing. The remembered values change only on an accepted submission, so a
    refused or interrupted run is simply sent again next time.

    Targets are dicts with any of ``price``, ``quantity`` (None: not managed),
    ``handling_time``, ``condition_type``, ``fulfillment_channel``; keys left out
    are not compared, so the stock flow can send quantities alone.
    """

    _name = "amazon.listing.publisher"
    _description = "Amazon Listings Publisher"

    def _send(self, account, targets, log, stats):
        """Send each (listing, target) that needs it.

        :param targets: list of ``(amazon.listing, dict)``
        :param stats: Counter updated with created/updated/skipped/failed
        :raise AmazonError: a retryable or authorization failure, which stops the
            run (the listings not reached keep their old remembered values)
        """
        for listing, target in targets:
            key = json.dumps(target, sort_keys=True, default=str)
            if listing.state == "error" and listing.refused_target == key:
                # Amazon refused exactly this offer already: sending it again
                # would only repeat the refusal on every publish.
                stats["skipped"] += 1
                stats["still_refused"] += 1
                continue
            if listing.offer_on_amazon:
                self._send_patch(account, listing, target, log, stats)
            else:
                self._send_put(account, listing, target, log, stats)
            if listing.state == "error":
                listing.refused_target = key

    # ------------------------------------------------------------------
    # bodies
    # ------------------------------------------------------------------
    @api.model
    def _prepare_put_body(self, listing, target):
        """ListingsItemPutRequest for an offer on an existing catalogue item.

        :raise ValueError: when the listing has neither ASIN nor EAN
        """
        mkt = listing.marketplace_id.marketplace_id
        attributes = {
            "condition_type": [
                {
                    "value": target.get("condition_type") or listing.condition_type,
                    "marketplace_id": mkt,
                }
            ],
            "purchasable_offer": [
                self._purchasable_offer(listing, target.get("price", listing.price))
            ],
            "fulfillment_availability": [
                self._fulfillment_availability(listing, target)
            ],
        }
        if listing.asin:
            attributes["merchant_suggested_asin"] = [
                {"value": listing.asin, "marketplace_id": mkt}
            ]
        elif listing.ean:
            attributes["externally_assigned_product_identifier"] = [
                {"type": "ean", "value": listing.ean, "marketplace_id": mkt}
            ]
        else:
            raise ValueError(
                self.env._(
                    "An offer needs the ASIN or the EAN (barcode) of the product on "
                    "Amazon: set a barcode on the product or an ASIN on the listing."
                )
            )
        return {
            "productType": listing.product_type or DEFAULT_PRODUCT_TYPE,
            "requirements": OFFER_ONLY,
            "attributes": attributes,
        }

    @api.model
    def _prepare_patch_operations(self, listing, target):
        """JSON Patch operations for the attributes whose target changed."""
        ops = []
        currency = listing.currency_id
        if "price" in target and (
            float_compare(
                target["price"], listing.price, precision_rounding=currency.rounding
            )
            if currency
            else target["price"] != listing.price
        ):
            ops.append(
                {
                    "op": "replace",
                    "path": "/attributes/purchasable_offer",
                    "value": [self._purchasable_offer(listing, target["price"])],
                }
            )
        channel = target.get("fulfillment_channel", listing.fulfillment_channel)
        availability_changed = channel != listing.fulfillment_channel
        if channel == "fbm" and not availability_changed and not listing.sync_stock:
            # Quantity managed elsewhere: never overwrite it after the offer exists.
            pass
        elif channel == "fbm":
            quantity = target.get("quantity")
            if quantity is not None and quantity != listing.quantity:
                availability_changed = True
            if (
                "handling_time" in target
                and (target["handling_time"] or 0) != listing.handling_time
            ):
                availability_changed = True
        if availability_changed:
            ops.append(
                {
                    "op": "replace",
                    "path": "/attributes/fulfillment_availability",
                    "value": [self._fulfillment_availability(listing, target)],
                }
            )
        condition = target.get("condition_type")
        if condition and condition != listing.condition_type:
            ops.append(
                {
                    "op": "replace",
                    "path": "/attributes/condition_type",
                    "value": [
                        {
                            "value": condition,
                            "marketplace_id": listing.marketplace_id.marketplace_id,
                        }
                    ],
                }
            )
        return ops

    @api.model
    def _purchasable_offer(self, listing, price):
        currency = listing.currency_id
        amount = currency.round(price) if currency else price
        return {
            "marketplace_id": listing.marketplace_id.marketplace_id,
            "currency": currency.name,
            "our_price": [{"schedule": [{"value_with_tax": float(amount)}]}],
        }

    @api.model
    def _fulfillment_availability(self, listing, target):
        channel = target.get("fulfillment_channel", listing.fulfillment_channel)
        if channel == "fba":
            # Amazon counts FBA stock itself: only the channel is declared.
            region = listing.marketplace_id.region or listing.account_id.region
            return {
                "fulfillment_channel_code": FBA_CHANNEL_CODES.get(region, "AMAZON_NA")
            }
        entry = {"fulfillment_channel_code": MERCHANT_CHANNEL_CODE}
        quantity = target.get("quantity")
        if quantity is None:
            # Amazon needs a quantity for a merchant offer: keep the known one
            # (zero for a new offer whose quantity is managed elsewhere).
            quantity = listing.quantity if listing.offer_on_amazon else 0
        entry["quantity"] = max(0, int(quantity))
        handling = target.get("handling_time", listing.handling_time)
        if handling:
            entry["lead_time_to_ship_max_days"] = int(handling)
        return entry

    # ------------------------------------------------------------------
    # sending
    # ------------------------------------------------------------------
    def _call_params(self, account, listing, body):
        return {
            "sellerId": account.seller_id,
            "sku": listing.sku,
            "marketplaceIds": [listing.marketplace_id.marketplace_id],
            "issueLocale": self.env["amazon.listing.importer"]._issue_locale(),
            "body": body,
        }

    def _send_put(self, account, listing, target, log, stats):
        try:
            body = self._prepare_put_body(listing, target)
        except ValueError as exc:
            self._mark_refused(listing, str(exc), log, stats)
            return
        response = self._call(
            account, "listings.putListingsItem", listing, body, log, stats
        )
        if response is not None:
            self._apply_submission(listing, target, response, log, stats, "created")

    def _send_patch(self, account, listing, target, log, stats):
        ops = self._prepare_patch_operations(listing, target)
        if not ops:
            stats["skipped"] += 1
            return
        body = {
            "productType": listing.product_type or DEFAULT_PRODUCT_TYPE,
            "patches": ops,
        }
        response = self._call(
            account, "listings.patchListingsItem", listing, body, log, stats
        )
        if response is not None:
            self._apply_submission(
                listing, self._sent_part(target, ops), response, log, stats, "updated"
            )

    @api.model
    def _sent_part(self, target, ops):
        """The part of ``target`` the patch operations carried (to remember)."""
        paths = {op["path"] for op in ops}
        keys_by_path = {
            "/attributes/purchasable_offer": ("price",),
            "/attributes/fulfillment_availability": (
                "quantity",
                "handling_time",
                "fulfillment_channel",
            ),
            "/attributes/condition_type": ("condition_type",),
        }
        return {
            key: target[key]
            for path, keys in keys_by_path.items()
            if path in paths
            for key in keys
            if key in target
        }

    def _call(self, account, operation, listing, body, log, stats):
        """Call the seam; a refusal of this listing only becomes its error.

        :return: the ListingsItemSubmissionResponse, or None when refused
        :raise AmazonError: retryable and authorization errors (stop the run)
        """
        try:
            return account._amazon_listings_call(
                operation, **self._call_params(account, listing, body)
            )
        except AmazonNotFound as exc:
            # The SKU vanished on Amazon: next run offers it again with a put.
            listing.offer_on_amazon = False
            self._mark_refused(listing, str(exc), log, stats)
        except AmazonError as exc:
            if exc.retryable or isinstance(exc, AmazonAuthError):
                raise
            self._mark_refused(listing, str(exc), log, stats)
        return None

    def _apply_submission(self, listing, target, response, log, stats, counter):
        Listing = self.env["amazon.listing"]
        issues = response.get("issues") or []
        words = Listing._issues_in_words(issues, listing.marketplace_id)
        if response.get("status") != "ACCEPTED":
            self._mark_refused(
                listing,
                words or self.env._("Amazon refused the submission."),
                log,
                stats,
            )
            return
        vals = {
            "offer_on_amazon": True,
            "refused_target": False,
            "submission_id": response.get("submissionId") or False,
            "issues": words,
            "last_sync_date": fields.Datetime.now(),
        }
        if listing.state in ("draft", "error"):
            vals["state"] = "submitted"
        for key in ("price", "handling_time", "condition_type", "fulfillment_channel"):
            if key in target:
                vals[key] = target[key]
        if target.get("quantity") is not None:
            vals["quantity"] = target["quantity"]
        for identifier in response.get("identifiers") or []:
            if identifier.get("asin") and not listing.asin:
                vals["asin"] = identifier["asin"]
        listing.write(vals)
        stats[counter] += 1

    def _mark_refused(self, listing, reason, log, stats):
        listing.write(
            {
                "state": "error",
                "issues": reason,
                "last_sync_date": fields.Datetime.now(),
            }
        )
        stats["failed"] += 1
        log._add_line(listing.sku, f"{listing.marketplace_id.name}: {reason}")
