# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.amazon_connector.exceptions import AmazonInvalidRequest

from .common import AmazonStockCase


@tagged("post_install", "-at_install")
class TestStockPush(AmazonStockCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pusher = cls.env["amazon.stock.pusher"]
        cls._set_stock(cls.mug, 12)
        cls._set_stock(cls.plate, 3)
        cls.mug_listing = cls._make_listing(cls.mug)
        cls.plate_listing = cls._make_listing(cls.plate)

    def push(self):
        self.account.action_push_stock()
        return self.env["amazon.sync.log"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "stock")],
            order="id desc",
            limit=1,
        )

    def test_quantity_is_free_stock_minus_reserve_capped_and_never_negative(self):
        self.account.write({"stock_reserve_qty": 5, "stock_max_qty": 6})
        targets = self.pusher._compute_quantities(
            self.account, self.mug_listing | self.plate_listing
        )
        self.assertEqual(targets[self.mug_listing], 6, msg="12 - 5 = 7, capped at 6")
        self.assertEqual(targets[self.plate_listing], 0, msg="3 - 5 is never below 0")

    def test_sales_lists_offer_the_same_quantity_the_stock_push_sends(self):
        self.account.write({"stock_reserve_qty": 5, "stock_max_qty": 6})
        offered = self.account._amazon_available_quantities(self.mug | self.plate)
        self.assertEqual(
            offered,
            {self.mug.id: 6, self.plate.id: 0},
            msg="publishing and pushing must not overwrite each other's quantity",
        )

    def test_reserved_stock_is_not_offered(self):
        order = self.make_fbm_order([(self.mug, 4, "ITEM-1")])
        self.assertEqual(order.picking_ids.state, "assigned")
        targets = self.pusher._compute_quantities(self.account, self.mug_listing)
        self.assertEqual(
            targets[self.mug_listing],
            8,
            msg="units reserved for a delivery are not free",
        )

    def test_stock_held_at_amazon_is_never_offered_as_merchant_fulfilled(self):
        fba_location = self.env["stock.location"].create(
            {
                "name": "FBA test",
                "usage": "internal",
                "location_id": self.warehouse.view_location_id.id,
            }
        )
        self._set_stock(self.mug, 100, fba_location)
        targets = self.pusher._compute_quantities(self.account, self.mug_listing)
        self.assertEqual(targets[self.mug_listing], 12)

    def test_few_changes_are_patched_one_by_one_with_bodies_fitting_the_model(self):
        log = self.push()
        self.assertBodiesFitAmazonModels()
        self.assertEqual(self.fake.count("listings.patchListingsItem"), 2)
        self.assertEqual(self.fake.count("feeds.createFeed"), 0)
        params = self.fake.queries("listings.patchListingsItem")[0]
        self.assertEqual(params["sellerId"], "A1STOCKSELLER")
        self.assertEqual(params["marketplaceIds"], [self.marketplace.marketplace_id])
        self.assertEqual(
            params["body"]["patches"][0]["path"], "/attributes/fulfillment_availability"
        )
        self.assertEqual(
            self.quantities,
            {
                (self.marketplace.marketplace_id, "AMZ-MUG"): 12,
                (self.marketplace.marketplace_id, "AMZ-PLATE"): 3,
            },
        )
        self.assertEqual(self.mug_listing.quantity, 12, msg="accepted value remembered")
        self.assertEqual(log.state, "done")
        self.assertEqual(log.updated, 2)

    def test_second_push_without_changes_sends_nothing(self):
        self.push()
        calls = len(self.fake.calls)
        log = self.push()
        self.assertEqual(
            self.fake.calls[calls:], [], msg="nothing changed, nothing sent"
        )
        self.assertEqual(log.skipped, 2)
        self._set_stock(self.mug, 1)
        self.push()
        self.assertEqual(
            [p["sku"] for p in self.fake.queries("listings.patchListingsItem")][-1:],
            ["AMZ-MUG"],
            msg="only the changed SKU is sent",
        )
        self.assertEqual(self.mug_listing.quantity, 13)

    def test_listings_with_sync_off_fba_or_unbound_are_left_alone(self):
        self.plate_listing.sync_stock = False
        self._make_listing(self.mug, sku="AMZ-MUG-FBA", fulfillment_channel="fba")
        self.push()
        self.assertEqual(
            [p["sku"] for p in self.fake.queries("listings.patchListingsItem")],
            ["AMZ-MUG"],
        )

    def test_refused_patch_records_the_error_on_its_listing_and_the_log(self):
        self.patch_failures["AMZ-PLATE"] = [
            {
                "code": "90000900",
                "message": "The attributes are invalid.",
                "severity": "ERROR",
                "attributeNames": ["fulfillment_availability"],
                "categories": ["INVALID_ATTRIBUTE"],
            }
        ]
        self.patch_failures["AMZ-MUG"] = AmazonInvalidRequest("SKU unknown")
        log = self.push()
        self.assertIn("attributes are invalid", self.plate_listing.stock_error)
        self.assertIn("SKU unknown", self.mug_listing.stock_error)
        self.assertEqual(log.state, "failed")
        self.assertEqual(
            sorted(log.line_ids.mapped("amazon_ref")), ["AMZ-MUG", "AMZ-PLATE"]
        )
        del self.patch_failures["AMZ-PLATE"]
        del self.patch_failures["AMZ-MUG"]
        calls = self.fake.count("listings.patchListingsItem")
        self.push()
        self.assertEqual(
            self.fake.count("listings.patchListingsItem"),
            calls,
            msg="a refused value is not resent while it stays the same",
        )
        self._set_stock(self.mug, 1)
        self._set_stock(self.plate, 1)
        self.push()
        self.assertFalse(
            self.plate_listing.stock_error, msg="a later success clears it"
        )
        self.assertEqual(self.plate_listing.quantity, 4)

    def test_many_changes_go_as_one_feed_per_marketplace(self):
        self.account.stock_feed_threshold = 3
        products = [self._make_product(f"Bulk {i}", f"BULK-{i:03d}") for i in range(10)]
        for i, product in enumerate(products):
            self._set_stock(product, i)
            self._make_listing(product)
            self._make_listing(product, marketplace=self.marketplace_de)
        self.gzip_reports = True
        log = self.push()
        self.assertBodiesFitAmazonModels()
        self.assertEqual(
            self.fake.count("feeds.createFeed"), 2, msg="one feed per marketplace"
        )
        self.assertEqual(
            self.fake.count("listings.patchListingsItem"),
            0,
            msg="Italy has 12 changes, Germany 10, both above the threshold: "
            "no per-SKU call for bulk changes",
        )
        self.assertEqual(
            self.quantities[(self.marketplace_de.marketplace_id, "BULK-007")], 7
        )
        feeds = self.env["amazon.stock.feed"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(set(feeds.mapped("state")), {"done"})
        self.assertEqual(log.state, "done")
        self.assertFalse(
            self.env["amazon.listing"].search(
                [("account_id", "=", self.account.id), ("stock_feed_id", "!=", False)]
            ),
            msg="no listing is left waiting once the reports are read",
        )
        calls = len(self.fake.calls)
        self.push()
        self.assertEqual(self.fake.calls[calls:], [], msg="second push sends nothing")

    def test_feed_errors_land_on_their_listings_and_in_the_log(self):
        self.account.stock_feed_threshold = 1
        self.feed_errors["AMZ-PLATE"] = "The SKU does not exist in the catalogue."
        log = self.push()
        self.assertEqual(self.fake.count("feeds.createFeed"), 1)
        self.assertIn("does not exist", self.plate_listing.stock_error)
        self.assertFalse(self.mug_listing.stock_error)
        self.assertEqual(self.mug_listing.quantity, 12, msg="accepted SKU remembered")
        self.assertIn("AMZ-PLATE", log.line_ids.mapped("amazon_ref"))
        self.assertEqual(log.state, "partial")
        feed = self.env["amazon.stock.feed"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual((feed.accepted_count, feed.error_count), (1, 1))

    def test_feed_still_processing_is_read_later_and_its_skus_are_not_resent(self):
        self.account.stock_feed_threshold = 1
        self.feed_status = "IN_PROGRESS"
        self.push()
        self.assertEqual(self.mug_listing.stock_qty_pending, 12)
        self.assertTrue(self.mug_listing.stock_feed_id)
        calls = len(self.fake.calls)
        self.push()
        self.assertEqual(
            self.fake.count("feeds.createFeed"), 1, msg="SKUs in a pending feed wait"
        )
        self.assertTrue(self.fake.calls[calls:], "the pending feed is polled")
        for feed in self.feeds.values():
            feed["processingStatus"] = "DONE"
        self.env["amazon.stock.feed"]._cron_check_pending()
        self.assertEqual(self.mug_listing.quantity, 12)
        self.assertFalse(self.mug_listing.stock_feed_id)

    def test_fatal_feed_fails_its_listings_so_the_next_push_resends_them(self):
        self.account.stock_feed_threshold = 1
        self.feed_status = "FATAL"
        self.push()
        self.assertTrue(self.mug_listing.stock_error)
        self.assertFalse(self.mug_listing.stock_feed_id)
        self.feed_status = "DONE"
        self.push()
        self.assertEqual(self.mug_listing.quantity, 12)
        self.assertFalse(self.mug_listing.stock_error)

    def test_push_of_1000_skus_leaves_amazon_with_odoo_quantities(self):
        Product = self.env["product.product"]
        products = Product.create(
            [
                {
                    "name": f"Item {i}",
                    "default_code": f"SKU-{i:04d}",
                    "is_storable": True,
                }
                for i in range(1000)
            ]
        )
        Quant = self.env["stock.quant"]
        for i, product in enumerate(products):
            if i % 37:
                Quant._update_available_quantity(product, self.stock_location, i % 37)
        self.env["amazon.listing"].create(
            [
                {
                    "account_id": self.account.id,
                    "marketplace_id": self.marketplace.id,
                    "product_id": product.id,
                    "sku": product.default_code,
                    "state": "active",
                }
                for product in products
            ]
        )
        self.account.stock_reserve_qty = 2
        self.push()
        self.assertBodiesFitAmazonModels()
        expected = {
            (self.marketplace.marketplace_id, p.default_code): max(i % 37 - 2, 0)
            for i, p in enumerate(products)
        }
        expected[(self.marketplace.marketplace_id, "AMZ-MUG")] = 10
        expected[(self.marketplace.marketplace_id, "AMZ-PLATE")] = 1
        self.assertEqual(self.quantities, expected)
        self.assertEqual(self.fake.count("feeds.createFeed"), 1)
        self.assertEqual(self.fake.count("listings.patchListingsItem"), 0)
        calls = len(self.fake.calls)
        self.push()
        self.assertEqual(self.fake.calls[calls:], [], msg="second push sends nothing")

    def test_validated_receipt_brings_the_stock_push_forward_once(self):
        self.account.write({"stock_sync_active": True, "stock_push_delay": 5})
        later = fields.Datetime.now() + timedelta(hours=3)
        self.account.stock_next_run = later
        receipt_type = self.warehouse.in_type_id
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": receipt_type.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "mug",
                            "product_id": self.mug.id,
                            "product_uom_qty": 5,
                            "product_uom": self.mug.uom_id.id,
                            "location_id": self.env.ref(
                                "stock.stock_location_suppliers"
                            ).id,
                            "location_dest_id": self.stock_location.id,
                        },
                    )
                ],
            }
        )
        receipt.action_confirm()
        with self.no_amazon_calls():
            self.ship(receipt)
        due = self.account.stock_next_run
        self.assertLess(due, later, msg="the next push is brought forward")
        self.assertLessEqual(due, fields.Datetime.now() + timedelta(minutes=5))
        order = self.make_fbm_order([(self.mug, 1, "ITEM-1")])
        self.ship(order.picking_ids)
        self.assertEqual(
            self.account.stock_next_run, due, msg="later validations are debounced"
        )
