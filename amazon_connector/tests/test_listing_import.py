# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from odoo.addons.amazon_connector.exceptions import AmazonThrottled

from .common import ListingCase, listing_item


@tagged("post_install", "-at_install")
class TestListingImport(ListingCase):
    def _import(self, marketplaces=None):
        return self.env["amazon.listing.importer"]._import_listings(
            self.account, marketplaces=marketplaces or self.it
        )

    def test_import_of_500_listings_binds_by_sku_ean_and_reference_and_lists_the_rest(
        self,
    ):
        """Acceptance: every listing that matches is bound, the rest wait by hand."""
        it = self.it.marketplace_id
        by_reference = self._make_products(200, prefix="REF")
        by_ean = self._make_products(100, prefix="EAN", barcode="80")
        by_recode = self._make_products(100, prefix="REC")
        self.env["amazon.sku.recode"].create(
            [
                {
                    "account_id": self.account.id,
                    "amazon_sku": f"AMZ-{p.default_code}",
                    "product_id": p.id,
                }
                for p in by_recode
            ]
        )
        make = listing_item
        self.amazon_items = (
            [make(p.default_code, [it]) for p in by_reference]
            + [make(f"OLD-{p.default_code}", [it], ean=p.barcode) for p in by_ean]
            + [make(f"AMZ-{p.default_code}", [it]) for p in by_recode]
            + [make(f"ORPHAN-{i}", [it], ean=f"99{i:011d}") for i in range(100)]
        )
        log = self._import()

        searches = self.amazon.queries("listings.searchListingsItems")
        self.assertEqual(len(searches), 25, msg="500 listings in pages of 20")
        self.assertEqual(
            set(searches[0]["includedData"]),
            {"summaries", "attributes", "issues", "offers", "fulfillmentAvailability"},
        )
        listings = self.Listing.search([("account_id", "=", self.account.id)])
        self.assertEqual(len(listings), 500, msg="every listing is kept")
        bound = {lst.sku: lst.product_id for lst in listings if lst.product_id}
        for product in by_reference:
            self.assertEqual(bound.get(product.default_code), product)
        for product in by_ean:
            self.assertEqual(
                bound.get(f"OLD-{product.default_code}"), product, msg="bound by EAN"
            )
        for product in by_recode:
            self.assertEqual(bound.get(f"AMZ-{product.default_code}"), product)
        to_bind = self.Listing.search(
            [("account_id", "=", self.account.id), ("to_bind", "=", True)]
        )
        self.assertEqual(len(to_bind), 100, msg="unmatched listings wait to be bound")
        self.assertTrue(all(s.startswith("ORPHAN-") for s in to_bind.mapped("sku")))
        self.assertEqual(self.account.listing_to_bind_count, 100)
        self.assertEqual((log.state, log.kind), ("done", "listings"))
        self.assertIn("100 listings match no product", log.message)

    def test_imported_listing_carries_amazon_price_quantity_status_and_issues(self):
        product = self._make_products(1, prefix="ONE")
        item = listing_item(
            "ONE0000",
            [self.it.marketplace_id, self.de.marketplace_id],
            asin="B071VG5N9D",
            price="24.50",
            quantity=7,
            issues=[
                {
                    "code": "90220",
                    "message": "'size' is required but not supplied.",
                    "severity": "ERROR",
                    "attributeNames": ["size"],
                    "categories": ["MISSING_ATTRIBUTE"],
                    "marketplaceIds": [self.de.marketplace_id],
                }
            ],
            status=(),
        )
        self.amazon_items = [item]
        self._import(self.it | self.de)
        it_listing = self.Listing.search(
            [("sku", "=", "ONE0000"), ("marketplace_id", "=", self.it.id)]
        )
        de_listing = self.Listing.search(
            [("sku", "=", "ONE0000"), ("marketplace_id", "=", self.de.id)]
        )
        self.assertEqual(it_listing.product_id, product)
        self.assertEqual(de_listing.product_id, product)
        self.assertEqual(it_listing.asin, "B071VG5N9D")
        self.assertEqual(it_listing.price, 24.5)
        self.assertEqual(it_listing.quantity, 7)
        self.assertEqual(it_listing.fulfillment_channel, "fbm")
        self.assertTrue(it_listing.offer_on_amazon)
        self.assertEqual(it_listing.state, "inactive", msg="not buyable, no error here")
        self.assertFalse(it_listing.issues, msg="the issue concerns Germany only")
        self.assertEqual(de_listing.state, "error")
        self.assertIn("'size' is required but not supplied. [size]", de_listing.issues)

    def test_reimport_updates_instead_of_duplicating_and_keeps_manual_binding(self):
        self.amazon_items = [listing_item("LOST-1", [self.it.marketplace_id])]
        self._import()
        listing = self.Listing.search([("sku", "=", "LOST-1")])
        self.assertFalse(listing.product_id)
        product = self._make_products(1, prefix="MAN")
        wizard = (
            self.env["amazon.listing.bind"]
            .with_context(active_model="amazon.listing", active_ids=listing.ids)
            .create({"product_id": product.id})
        )
        wizard.action_bind()
        self.amazon_items[0]["offers"][0]["price"]["amount"] = "30.00"
        log = self._import()
        listing_after = self.Listing.search([("sku", "=", "LOST-1")])
        self.assertEqual(listing_after, listing, msg="no duplicate on re-import")
        self.assertEqual(listing.product_id, product, msg="manual binding kept")
        self.assertEqual(listing.price, 30.0)
        self.assertEqual((log.created, log.updated), (0, 1))
        self.assertEqual(
            self.account._find_product_by_sku("LOST-1"),
            product,
            msg="orders with the SKU now resolve to the product bound by hand",
        )

    def test_binding_by_hand_binds_the_sku_on_every_marketplace(self):
        self.amazon_items = [
            listing_item("LOST-2", [self.it.marketplace_id, self.de.marketplace_id])
        ]
        self._import(self.it | self.de)
        listings = self.Listing.search([("sku", "=", "LOST-2")])
        self.assertEqual(len(listings), 2)
        product = self._make_products(1, prefix="BOTH")
        self.env["amazon.listing.bind"].with_context(
            active_model="amazon.listing", active_ids=listings[:1].ids
        ).create({"product_id": product.id}).action_bind()
        self.assertEqual(listings.product_id, product)

    def test_an_unreadable_item_is_logged_and_the_others_imported(self):
        good = listing_item("GOOD-1", [self.it.marketplace_id])
        bad = listing_item("BAD-1", [self.it.marketplace_id])
        bad["fulfillmentAvailability"] = [
            {"fulfillmentChannelCode": "DEFAULT", "quantity": 3}
        ]
        self.amazon_items = [bad, good]
        # Break the item after the fake validated its shape: Amazon sending a
        # quantity the model does not allow must not stop the import.
        original = self.amazon.handlers["listings.searchListingsItems"]

        def corrupt(operation, params):
            result = original(operation, params)
            result["items"][0]["fulfillmentAvailability"][0]["quantity"] = "many"
            return result

        self.amazon.serve("listings.searchListingsItems", corrupt)
        log = self._import()
        self.assertTrue(self.Listing.search([("sku", "=", "GOOD-1")]))
        self.assertFalse(self.Listing.search([("sku", "=", "BAD-1")]))
        self.assertEqual(log.state, "partial")
        self.assertEqual(log.failed, 1)

    def test_throttling_stops_the_import_and_keeps_what_was_imported(self):
        self.amazon_items = [
            listing_item(f"T-{i}", [self.it.marketplace_id]) for i in range(50)
        ]
        self.amazon.budget = 1  # the second call on is throttled
        log = self._import()
        self.assertEqual(log.state, "throttled")
        self.assertEqual(
            self.Listing.search_count([("account_id", "=", self.account.id)]), 20
        )

    def test_a_throttled_import_resumes_at_the_page_it_did_not_read(self):
        """Resume exactly where it stopped: the next run asks for the third page,
        not the first two again, and each listing is imported once."""
        self.amazon_items = [
            listing_item(f"P-{i}", [self.it.marketplace_id]) for i in range(50)
        ]
        self.amazon.budget = 2  # the third call on is throttled
        first = self._import()
        self.assertEqual(first.state, "throttled")
        self.assertEqual(first.created, 40)
        self.amazon.budget = None
        self.amazon.reset_calls()
        second = self._import()
        tokens = [
            params.get("pageToken")
            for params in self.amazon.queries("listings.searchListingsItems")
        ]
        self.assertEqual(tokens, ["40"], msg="the pages read before are not read")
        self.assertEqual((second.state, second.created), ("done", 10))
        self.assertEqual(
            self.Listing.search_count([("account_id", "=", self.account.id)]), 50
        )
        schedule = self.account._sync_schedule("listings")
        self.assertFalse(schedule.resume_data, msg="the import is done")

    def test_a_throttle_asking_to_retry_at_once_is_ridden_out(self):
        self.amazon_items = [
            listing_item(f"R-{i}", [self.it.marketplace_id]) for i in range(30)
        ]
        self.amazon.fail_calls[2] = AmazonThrottled(retry_after=0)
        log = self._import()
        self.assertEqual(log.state, "done")
        self.assertEqual(log.created, 30, msg="the throttled page was asked again")

    def test_action_import_listings_runs_on_the_active_marketplaces(self):
        self.amazon_items = [
            listing_item("ACT-1", [self.it.marketplace_id, self.de.marketplace_id])
        ]
        self.account.action_import_listings()
        searched = {
            tuple(p["marketplaceIds"])
            for p in self.amazon.queries("listings.searchListingsItems")
        }
        self.assertEqual(
            searched, {(self.it.marketplace_id,), (self.de.marketplace_id,)}
        )
        self.assertEqual(self.Listing.search_count([("sku", "=", "ACT-1")]), 2)
