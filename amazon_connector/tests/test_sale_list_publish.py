# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ListingCase

PUT = "listings.putListingsItem"
PATCH = "listings.patchListingsItem"


@tagged("post_install", "-at_install")
class TestSaleListPublish(ListingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Amazon EUR", "currency_id": cls.eur.id}
        )

    def _sale_list(self, products, lines=None, **vals):
        lines = lines or [
            {"marketplace_id": self.it.id},
            {"marketplace_id": self.de.id},
        ]
        return self.env["amazon.sale.list"].create(
            dict(
                {
                    "name": "Catalogue",
                    "account_id": self.account.id,
                    "pricelist_id": self.pricelist.id,
                    "product_ids": [(6, 0, products.ids)],
                    "marketplace_line_ids": [(0, 0, line) for line in lines],
                    "handling_time": 3,
                },
                **vals,
            )
        )

    def _fix_price(self, product, price, pricelist=None):
        (pricelist or self.pricelist).item_ids = [
            (
                0,
                0,
                {
                    "applied_on": "0_product_variant",
                    "product_id": product.id,
                    "compute_price": "fixed",
                    "fixed_price": price,
                },
            )
        ]

    def test_publishing_200_products_to_two_marketplaces_creates_400_valid_offers(self):
        """Acceptance: 400 offers that fit Amazon's model; republishing sends nothing;
        a pricelist change sends only the changed prices."""
        products = self._make_products(200, prefix="PUB", barcode="40")
        sale_list = self._sale_list(products)
        sale_list.action_publish()

        puts = self.amazon.queries(PUT)
        self.assertEqual(len(puts), 400, msg="one offer per product and marketplace")
        self.assertFalse(self.amazon.queries(PATCH))
        listings = sale_list.listing_ids
        self.assertEqual(len(listings), 400)
        self.assertEqual(set(listings.mapped("state")), {"submitted"})
        self.assertTrue(all(listings.mapped("offer_on_amazon")))
        sample = next(p for p in puts if p["sku"] == "PUB0007")
        attributes = sample["body"]["attributes"]
        mkt = sample["marketplaceIds"][0]
        expected = self.pricelist._get_product_price(products[7], 1.0)
        self.assertEqual(
            attributes["purchasable_offer"][0],
            {
                "marketplace_id": mkt,
                "currency": "EUR",
                "our_price": [{"schedule": [{"value_with_tax": expected}]}],
            },
        )
        self.assertEqual(
            attributes["externally_assigned_product_identifier"][0]["value"],
            products[7].barcode,
            msg="without an ASIN the offer names the catalogue item by EAN",
        )
        self.assertEqual(
            attributes["fulfillment_availability"][0]["lead_time_to_ship_max_days"], 3
        )
        self.assertEqual(
            attributes["condition_type"], [{"value": "new_new", "marketplace_id": mkt}]
        )

        self.amazon.reset_calls()
        sale_list.action_publish()
        self.assertEqual(self.amazon.calls, [], msg="publishing twice sends nothing")
        self.assertEqual(sale_list.last_log_id.skipped, 400)

        changed = products[10:17]
        for product in changed:
            self._fix_price(product, 99.0)
        self.amazon.reset_calls()
        sale_list.action_publish()
        self.assertFalse(self.amazon.queries(PUT))
        patches = self.amazon.queries(PATCH)
        self.assertEqual(
            sorted(p["sku"] for p in patches),
            sorted(changed.mapped("default_code") * 2),
            msg="only the changed prices are sent, on both marketplaces",
        )
        for call in patches:
            self.assertEqual(
                call["body"]["patches"],
                [
                    {
                        "op": "replace",
                        "path": "/attributes/purchasable_offer",
                        "value": [
                            {
                                "marketplace_id": call["marketplaceIds"][0],
                                "currency": "EUR",
                                "our_price": [{"schedule": [{"value_with_tax": 99.0}]}],
                            }
                        ],
                    }
                ],
            )
        self.assertEqual(
            set(
                listings.filtered(lambda lst: lst.product_id in changed).mapped("price")
            ),
            {99.0},
        )

    def test_an_existing_asin_is_offered_with_merchant_suggested_asin(self):
        product = self._make_products(1, prefix="ASIN")
        self.Listing.create(
            {
                "account_id": self.account.id,
                "marketplace_id": self.de.id,
                "sku": product.default_code,
                "product_id": product.id,
                "asin": "B07N4M94X4",
            }
        )
        self._sale_list(
            product, lines=[{"marketplace_id": self.it.id}]
        ).action_publish()
        (put,) = self.amazon.queries(PUT)
        self.assertEqual(
            put["body"]["attributes"]["merchant_suggested_asin"],
            [{"value": "B07N4M94X4", "marketplace_id": self.it.marketplace_id}],
            msg="the ASIN known on another marketplace names the catalogue item",
        )

    def test_amazon_refusal_is_shown_in_words_on_the_product_listing(self):
        products = self._make_products(2, prefix="REF", barcode="41")
        self.refused["REF0001"] = [
            {
                "code": "90220",
                "message": "'condition_type' is required but not supplied.",
                "severity": "ERROR",
                "attributeNames": ["condition_type"],
                "categories": ["MISSING_ATTRIBUTE"],
            }
        ]
        sale_list = self._sale_list(products, lines=[{"marketplace_id": self.it.id}])
        action = sale_list.action_publish()
        self.assertEqual(
            action["params"]["type"], "warning", msg="refusals are not green"
        )
        ok, refused = sale_list.listing_ids.sorted("sku")
        self.assertEqual(ok.state, "submitted")
        self.assertEqual(refused.state, "error")
        self.assertEqual(
            refused.issues,
            "Error: 'condition_type' is required but not supplied. [condition_type] "
            "(code 90220)",
        )
        self.assertEqual(sale_list.last_log_id.state, "partial")
        self.assertFalse(refused.offer_on_amazon)
        # Publishing again unchanged does not repeat the refusal.
        self.amazon.reset_calls()
        action = sale_list.action_publish()
        self.assertEqual(self.amazon.queries(PUT), [], msg="not sent again")
        self.assertEqual(sale_list.last_log_id.state, "done")
        self.assertIn("not sent again", action["params"]["message"])
        self.assertEqual(action["params"]["type"], "success")
        # Fixed on Amazon's side: "Send again" on the listing offers it again.
        del self.refused["REF0001"]
        refused.action_send_again()
        sale_list.action_publish()
        self.assertEqual([c["sku"] for c in self.amazon.queries(PUT)], ["REF0001"])
        self.assertEqual(refused.state, "submitted")

    def test_products_without_sku_or_catalogue_identifier_are_reported_not_sent(self):
        no_sku = self.Product.create({"name": "No code", "barcode": "4100000000099"})
        no_ean = self._make_products(1, prefix="NOEAN")
        sale_list = self._sale_list(
            no_sku | no_ean, lines=[{"marketplace_id": self.it.id}]
        )
        sale_list.action_publish()
        self.assertFalse(self.amazon.calls)
        log = sale_list.last_log_id
        self.assertEqual(log.failed, 2)
        self.assertEqual(sale_list.listing_ids.state, "error")
        self.assertIn("ASIN or the EAN", sale_list.listing_ids.issues)

    def test_a_quantity_change_is_patched_alone(self):
        products = self._make_products(3, prefix="QTY", barcode="42")
        quantities = {p.id: 5 for p in products}
        account_cls = type(self.env["amazon.account"])
        with patch.object(
            account_cls,
            "_amazon_available_quantities",
            lambda account, prods: dict(quantities),
        ):
            sale_list = self._sale_list(
                products, lines=[{"marketplace_id": self.it.id}]
            )
            sale_list.action_publish()
            availability = self.amazon.queries(PUT)[0]["body"]["attributes"][
                "fulfillment_availability"
            ]
            self.assertEqual(
                availability,
                [
                    {
                        "fulfillment_channel_code": "DEFAULT",
                        "quantity": 5,
                        "lead_time_to_ship_max_days": 3,
                    }
                ],
            )
            quantities[products[1].id] = 0
            self.amazon.reset_calls()
            sale_list.action_publish()
        (call,) = self.amazon.queries(PATCH)
        self.assertEqual(call["sku"], "QTY0001")
        self.assertEqual(
            call["body"]["patches"],
            [
                {
                    "op": "replace",
                    "path": "/attributes/fulfillment_availability",
                    "value": [
                        {
                            "fulfillment_channel_code": "DEFAULT",
                            "quantity": 0,
                            "lead_time_to_ship_max_days": 3,
                        }
                    ],
                }
            ],
        )

    def test_international_marketplace_follows_the_main_one_in_its_own_currency(self):
        gbp = self.uk.currency_id
        gbp.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": gbp.id, "rate": 0.5, "company_id": self.env.company.id}
        )
        self.eur.rate_ids = [(0, 0, {"rate": 1.0, "company_id": self.env.company.id})]
        self.account.active_marketplace_ids |= self.uk
        products = self._make_products(3, prefix="INT", barcode="43")
        self._fix_price(products[0], 20.0)
        self._fix_price(products[1], 30.0)
        self._fix_price(products[2], 40.0)
        self.refused["INT0002"] = [
            {"code": "1", "message": "No.", "severity": "ERROR", "categories": []}
        ]
        sale_list = self._sale_list(
            products,
            lines=[
                {"marketplace_id": self.uk.id, "main_marketplace_id": self.it.id},
                {"marketplace_id": self.it.id},
            ],
        )
        sale_list.action_publish()
        uk_puts = [
            c
            for c in self.amazon.queries(PUT)
            if c["marketplaceIds"] == [self.uk.marketplace_id]
        ]
        self.assertEqual(
            sorted(c["sku"] for c in uk_puts),
            ["INT0000", "INT0001"],
            msg="the follower offers only what the main marketplace accepted",
        )
        offer = uk_puts[0]["body"]["attributes"]["purchasable_offer"][0]
        self.assertEqual(offer["currency"], "GBP")
        self.assertEqual(
            offer["our_price"][0]["schedule"][0]["value_with_tax"],
            10.0,
            msg="priced in the marketplace currency",
        )
        uk_listing = sale_list.listing_ids.filtered(
            lambda lst: lst.marketplace_id == self.uk and lst.sku == "INT0000"
        )
        self.assertEqual(uk_listing.main_listing_id.marketplace_id, self.it)

    def test_a_follower_must_follow_a_marketplace_of_the_same_list(self):
        products = self._make_products(1, prefix="BAD")
        with self.assertRaises(ValidationError):
            self._sale_list(
                products,
                lines=[
                    {"marketplace_id": self.it.id, "main_marketplace_id": self.de.id}
                ],
            )

    def test_scheduled_refresh_sends_the_price_changes_of_the_account_lists(self):
        products = self._make_products(2, prefix="CRON", barcode="44")
        sale_list = self._sale_list(products, lines=[{"marketplace_id": self.it.id}])
        sale_list.action_publish()
        self._fix_price(products[0], 55.0)
        self.amazon.reset_calls()
        self.account.write({"listings_sync_active": True, "listings_next_run": False})
        self.env["amazon.account"]._cron_run_due("listings")
        self.assertEqual([c["sku"] for c in self.amazon.queries(PATCH)], ["CRON0000"])
        self.assertEqual(sale_list.last_log_id.trigger, "scheduled")

    def test_a_listing_published_by_another_list_is_left_to_it(self):
        products = self._make_products(1, prefix="TWO", barcode="45")
        first = self._sale_list(products, lines=[{"marketplace_id": self.it.id}])
        first.action_publish()
        second = self._sale_list(
            products, lines=[{"marketplace_id": self.it.id}], name="Second"
        )
        self.amazon.reset_calls()
        second.action_publish()
        self.assertFalse(self.amazon.calls)
        self.assertEqual(second.last_log_id.failed, 1)
