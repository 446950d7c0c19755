# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Listings through the real python-amazon-sp-api, over loopback, against the
project's SP-API sandbox (``tests/sandbox``), which validates every request body
against Amazon's models."""

from odoo.tests import TransactionCase, tagged

from .sandbox_support import sandbox, sandbox_account_vals


@tagged("post_install", "-at_install")
class TestListingSandbox(TransactionCase):
    SELLER_ID = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = sandbox.SandboxServer(port=0).start()
        cls.SELLER_ID = sandbox.DEMO_SELLER_ID
        cls.addClassCleanup(cls.server.stop)
        cls.it = cls.env.ref("amazon_connector.marketplace_it")
        cls.de = cls.env.ref("amazon_connector.marketplace_de")
        cls.it.currency_id.active = True
        cls.account = cls.env["amazon.account"].create(
            sandbox_account_vals(
                cls.server.base_url,
                cls.it.id,
                name="Sandbox seller",
                available_marketplace_ids=[(6, 0, (cls.it | cls.de).ids)],
                active_marketplace_ids=[(6, 0, (cls.it | cls.de).ids)],
            )
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Sandbox EUR", "currency_id": cls.it.currency_id.id}
        )

    def _answered(self, operation):
        """Requests the sandbox answered (a throttled one is asked again)."""
        return [
            entry
            for entry in self.server.state.request_log(operation)
            if entry.get("status") == 200
        ]

    def setUp(self):
        super().setUp()
        self.server.state.reset()
        self.account._forget_access_tokens()

    def test_sales_list_is_published_then_only_changes_are_sent_to_the_sandbox(self):
        products = self.env["product.product"].create(
            [
                {
                    "name": f"Sandbox {i}",
                    "default_code": f"SBX-{i}",
                    "barcode": f"80000000000{i:02d}",
                    "list_price": 10.0 + i,
                }
                for i in range(5)
            ]
        )
        sale_list = self.env["amazon.sale.list"].create(
            {
                "name": "Sandbox list",
                "account_id": self.account.id,
                "pricelist_id": self.pricelist.id,
                "product_ids": [(6, 0, products.ids)],
                "untracked_quantity": 3,
                "marketplace_line_ids": [
                    (0, 0, {"marketplace_id": self.it.id}),
                    (0, 0, {"marketplace_id": self.de.id}),
                ],
            }
        )
        sale_list.action_publish()
        log = sale_list.last_log_id
        self.assertEqual(
            (log.state, log.created, log.failed), ("done", 10, 0), log.message
        )
        stored = {
            (lst["marketplaceId"], lst["sku"]): lst
            for lst in self.server.state.list_listings()
        }
        self.assertEqual(
            len(stored), 10, msg="the sandbox holds one offer per marketplace"
        )
        self.assertEqual(stored[(self.it.marketplace_id, "SBX-1")]["quantity"], 3)
        self.assertEqual(len(self._answered("putListingsItem")), 10)

        sale_list.action_publish()
        self.assertEqual(
            len(self._answered("patchListingsItem")),
            0,
            msg="republishing sends nothing",
        )

        self.pricelist.item_ids = [
            (
                0,
                0,
                {
                    "applied_on": "0_product_variant",
                    "product_id": products[2].id,
                    "compute_price": "fixed",
                    "fixed_price": 42.0,
                },
            )
        ]
        sale_list.action_publish()
        patches = self._answered("patchListingsItem")
        self.assertEqual(
            len(patches), 2, msg="only the changed price, on both marketplaces"
        )
        stored = {
            (lst["marketplaceId"], lst["sku"]): lst
            for lst in self.server.state.list_listings()
        }
        self.assertEqual(stored[(self.de.marketplace_id, "SBX-2")]["price"], "42.00")

    def test_import_of_500_sandbox_listings_binds_all_that_match_and_lists_the_rest(
        self,
    ):
        """Acceptance: bound by SKU (recoding), EAN or reference; the rest to bind."""
        Product = self.env["product.product"]
        by_reference = Product.create(
            [{"name": f"Ref {i}", "default_code": f"REF-{i:03d}"} for i in range(200)]
        )
        by_ean = Product.create(
            [{"name": f"Ean {i}", "barcode": f"40{i:011d}"} for i in range(100)]
        )
        by_recode = Product.create(
            [{"name": f"Rec {i}", "default_code": f"INT-{i:03d}"} for i in range(100)]
        )
        self.env["amazon.sku.recode"].create(
            [
                {
                    "account_id": self.account.id,
                    "amazon_sku": f"AMZ-{i:03d}",
                    "default_code": f"INT-{i:03d}",
                }
                for i in range(100)
            ]
        )
        seeds = (
            [{"sku": f"REF-{i:03d}"} for i in range(200)]
            + [{"sku": f"OLD-{i:03d}", "ean": f"40{i:011d}"} for i in range(100)]
            + [{"sku": f"AMZ-{i:03d}"} for i in range(100)]
            + [{"sku": f"ORPHAN-{i:03d}", "ean": f"99{i:011d}"} for i in range(100)]
        )
        for index, seed in enumerate(seeds):
            seed.update(
                marketplaceId=self.it.marketplace_id,
                price="12.50",
                quantity=4,
                createdDate=f"2025-01-01T{index // 60 % 24:02d}:{index % 60:02d}:00Z",
            )
        self.server.state.add_listings(seeds, self.SELLER_ID)

        action = self.account.action_import_listings()
        log = self.env["amazon.sync.log"].browse(action["res_id"])
        self.assertEqual(log.state, "done", log.message)
        self.assertEqual(log.created, 500)
        answered = [
            entry
            for entry in self.server.state.request_log("searchListingsItems")
            if entry.get("status") == 200
        ]
        self.assertEqual(
            len(answered),
            26,
            msg="25 pages of 20 for Italy, one empty page for Germany (a 429 asking "
            "to retry at once is ridden out)",
        )
        Listing = self.env["amazon.listing"]
        bound = {
            lst.sku: lst.product_id
            for lst in Listing.search([("account_id", "=", self.account.id)])
        }
        self.assertEqual(len(bound), 500)
        for i, product in enumerate(by_reference):
            self.assertEqual(bound[f"REF-{i:03d}"], product, msg="bound by reference")
        for i, product in enumerate(by_ean):
            self.assertEqual(bound[f"OLD-{i:03d}"], product, msg="bound by EAN")
        for i, product in enumerate(by_recode):
            self.assertEqual(bound[f"AMZ-{i:03d}"], product, msg="bound by recoding")
        to_bind = Listing.search(
            [("account_id", "=", self.account.id), ("product_id", "=", False)]
        )
        self.assertEqual(
            sorted(to_bind.mapped("sku")), [f"ORPHAN-{i:03d}" for i in range(100)]
        )
        self.assertEqual(self.account.listing_to_bind_count, 100)

    def test_more_listings_than_one_search_can_page_through_are_all_imported(self):
        """Past 1,000 SKUs a search stops paging: the import searches again from
        the last creation date seen, and keeps each SKU once."""
        # Seven SKUs a second: the 1,000th and the 1,001st share a creation time.
        seeds = [
            {
                "sku": f"MANY-{index:04d}",
                "marketplaceId": self.it.marketplace_id,
                "price": "9.90",
                "quantity": 1,
                "createdDate": "2025-02-01T%02d:%02d:%02dZ"
                % (index // 7 // 3600, index // 7 // 60 % 60, index // 7 % 60),
            }
            for index in range(1500)
        ]
        self.server.state.add_listings(seeds, self.SELLER_ID)
        log = self.env["amazon.listing.importer"]._import_listings(
            self.account, marketplaces=self.it
        )
        self.assertEqual(log.state, "done", log.message)
        self.assertEqual(log.created, 1500, msg="every SKU, past the 1,000 cap")
        listings = self.env["amazon.listing"].search(
            [("account_id", "=", self.account.id), ("sku", "like", "MANY-")]
        )
        self.assertEqual(len(listings), 1500)
        self.assertEqual(len(set(listings.mapped("sku"))), 1500, msg="each SKU once")
        searches = self._answered("searchListingsItems")
        restarts = [e for e in searches if e["query"].get("createdAfter")]
        self.assertTrue(restarts, msg="a second search from a creation date")
        self.assertLessEqual(
            restarts[0]["query"]["createdAfter"],
            seeds[999]["createdDate"],
            msg="the second search starts no later than the last SKU seen",
        )
