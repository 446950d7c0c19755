# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter

from odoo.tests import tagged

from .common import AmazonStockCase


@tagged("post_install", "-at_install")
class TestPackageWeight(AmazonStockCase):
    def item(self, sku, value, unit="kilograms"):
        """An ``Item`` of searchListingsItems with an item_package_weight."""
        mkt = self.marketplace.marketplace_id
        return {
            "sku": sku,
            "summaries": [
                {
                    "marketplaceId": mkt,
                    "asin": "B0WEIGHT01",
                    "productType": "HOME",
                    "conditionType": "new_new",
                    "status": ["BUYABLE"],
                    "itemName": "Weighted",
                    "createdDate": "2026-01-01T00:00:00Z",
                    "lastUpdatedDate": "2026-01-02T00:00:00Z",
                }
            ],
            "attributes": {
                "item_package_weight": [
                    {"unit": unit, "value": value, "marketplace_id": mkt}
                ]
            },
        }

    def import_items(self, items):
        log = self.env["amazon.sync.log"]._start(self.account, "listings")
        self.env["amazon.listing.importer"]._import_items(
            self.account, self.marketplace, items, log, Counter()
        )

    def test_missing_weight_is_filled_from_the_listing_package_weight(self):
        self._make_listing(self.mug)
        self.import_items([self.item("AMZ-MUG", 0.45)])
        self.assertAlmostEqual(self.mug.weight, 0.45)

    def test_weight_in_grams_or_pounds_is_converted(self):
        self._make_listing(self.mug)
        self._make_listing(self.plate)
        self.import_items(
            [self.item("AMZ-MUG", 450, "grams"), self.item("AMZ-PLATE", 1, "pounds")]
        )
        self.assertAlmostEqual(self.mug.weight, 0.45)
        self.assertAlmostEqual(
            self.plate.weight, 0.45, places=2, msg="1 lb, in kg at the weight precision"
        )

    def test_a_weight_set_in_odoo_is_never_overwritten(self):
        self.mug.weight = 2.0
        self._make_listing(self.mug)
        self.import_items([self.item("AMZ-MUG", 0.45)])
        self.assertEqual(self.mug.weight, 2.0, msg="someone weighed it: keep it")
