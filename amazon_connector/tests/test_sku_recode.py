# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ListingCase


@tagged("post_install", "-at_install")
class TestSkuLookup(ListingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bound, cls.recoded, cls.by_code, cls.by_ref, cls.other = cls._make_products(
            5
        )
        cls.Listing.create(
            {
                "account_id": cls.account.id,
                "marketplace_id": cls.it.id,
                "sku": "AMZ-BOUND",
                "product_id": cls.bound.id,
            }
        )
        cls.Recode = cls.env["amazon.sku.recode"]
        cls.Recode.create(
            [
                {
                    "account_id": cls.account.id,
                    "amazon_sku": "AMZ-RECODED",
                    "product_id": cls.recoded.id,
                },
                {
                    "account_id": cls.account.id,
                    "amazon_sku": " AMZ-BYCODE ",
                    "default_code": cls.by_code.default_code,
                },
            ]
        )

    def test_sku_resolves_through_binding_then_recoding_then_reference(self):
        found = self.account._find_products_by_skus(
            ["AMZ-BOUND", "AMZ-RECODED", "AMZ-BYCODE", self.by_ref.default_code, "NOPE"]
        )
        self.assertEqual(found["AMZ-BOUND"], self.bound, msg="listing binding first")
        self.assertEqual(found["AMZ-RECODED"], self.recoded, msg="recoding by product")
        self.assertEqual(
            found["AMZ-BYCODE"], self.by_code, msg="recoding by internal reference"
        )
        self.assertEqual(
            found[self.by_ref.default_code],
            self.by_ref,
            msg="an unknown SKU falls back to the internal reference",
        )
        self.assertFalse(found["NOPE"], msg="an unknown SKU matches no product")

    def test_recoding_wins_over_an_internal_reference_equal_to_the_sku(self):
        self.Recode.create(
            {
                "account_id": self.account.id,
                "amazon_sku": self.other.default_code,
                "product_id": self.recoded.id,
            }
        )
        self.assertEqual(
            self.account._find_product_by_sku(self.other.default_code),
            self.recoded,
            msg="the recoding table says which product the SKU is, not the reference",
        )

    def test_recoding_belongs_to_its_account(self):
        other_account = self.env["amazon.account"].create(
            dict(self._account_vals(), name="Other", seller_id="A9OTHER")
        )
        self.assertFalse(
            other_account._find_product_by_sku("AMZ-RECODED"),
            msg="another account's recoding does not apply",
        )

    def test_a_reference_shared_by_two_products_matches_none(self):
        self.Product.create({"name": "Twin", "default_code": self.by_ref.default_code})
        self.assertFalse(
            self.account._find_product_by_sku(self.by_ref.default_code),
            msg="an ambiguous reference must not bind an order line to a guess",
        )

    def test_batch_lookup_of_thousands_of_skus_costs_a_few_queries(self):
        skus = [f"UNKNOWN-{i}" for i in range(3000)] + ["AMZ-BOUND"]
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=4):
            found = self.account._find_products_by_skus(skus)
        self.assertEqual(found["AMZ-BOUND"], self.bound)
        self.assertEqual(len(found), 3001)

    def test_reverse_lookup_gives_the_listing_sku_then_the_recoding(self):
        skus = self.account._amazon_skus_for_products(
            self.bound | self.recoded | self.by_code | self.by_ref
        )
        self.assertEqual(skus[self.bound.id], "AMZ-BOUND")
        self.assertEqual(skus[self.recoded.id], "AMZ-RECODED")
        self.assertEqual(
            skus[self.by_code.id], "AMZ-BYCODE", msg="spaces are trimmed on save"
        )
        self.assertEqual(skus[self.by_ref.id], self.by_ref.default_code)
        self.assertEqual(self.account._amazon_sku_for_product(self.bound), "AMZ-BOUND")

    def test_a_recoding_needs_a_product_or_a_reference(self):
        with self.assertRaises(ValidationError):
            self.Recode.create({"account_id": self.account.id, "amazon_sku": "X"})

    @mute_logger("odoo.sql_db")
    def test_an_amazon_sku_is_recoded_once_per_account(self):
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.Recode.create(
                {
                    "account_id": self.account.id,
                    "amazon_sku": "AMZ-RECODED",
                    "product_id": self.other.id,
                }
            )

    def test_one_sku_cannot_stand_for_two_products_in_an_account(self):
        with self.assertRaises(ValidationError):
            self.Listing.create(
                {
                    "account_id": self.account.id,
                    "marketplace_id": self.de.id,
                    "sku": "AMZ-BOUND",
                    "product_id": self.other.id,
                }
            )


@tagged("post_install", "-at_install")
class TestSkuRecodeImport(ListingCase):
    def _wizard(self, content):
        return self.env["amazon.sku.recode.import"].create(
            {
                "account_id": self.account.id,
                "data_file": base64.b64encode(content.encode()),
                "filename": "recode.csv",
            }
        )

    def test_csv_wizard_creates_and_updates_recodings_and_reports_bad_lines(self):
        products = self._make_products(3, prefix="R")
        self.env["amazon.sku.recode"].create(
            {
                "account_id": self.account.id,
                "amazon_sku": "SKU-1",
                "default_code": "OLD",
            }
        )
        wizard = self._wizard(
            "Amazon SKU;Internal Reference\n"
            "SKU-1;R0000\n"
            "SKU-2;R0001\n"
            ";R0002\n"
            "SKU-2;R0002\n"
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertIn("1 recodings created, 1 updated, 2 lines refused", wizard.result)
        found = self.account._find_products_by_skus(["SKU-1", "SKU-2"])
        self.assertEqual(found["SKU-1"], products[0], msg="existing row updated")
        self.assertEqual(found["SKU-2"], products[1], msg="new row created")

    def test_csv_wizard_refuses_references_that_match_no_product(self):
        self._make_products(1, prefix="R")
        wizard = self._wizard(
            "Amazon SKU;Internal Reference\nSKU-1;R0000\nSKU-9;NO-SUCH-REF\n"
        )
        wizard.action_import()
        self.assertIn("1 recodings created, 0 updated, 1 lines refused", wizard.result)
        self.assertIn(
            "no product has the internal reference NO-SUCH-REF",
            wizard.result,
            msg="the user learns now, not when an order of SKU-9 fails",
        )
        self.assertFalse(
            self.env["amazon.sku.recode"].search([("amazon_sku", "=", "SKU-9")])
        )

    def test_csv_wizard_refuses_a_file_without_the_expected_columns(self):
        with self.assertRaises(UserError):
            self._wizard("foo,bar\n1,2\n").action_import()

    def test_standard_odoo_import_loads_the_recoding_table(self):
        product = self._make_products(1, prefix="S")
        result = self.env["amazon.sku.recode"].load(
            ["account_id/.id", "amazon_sku", "product_id", "default_code"],
            [
                [str(self.account.id), "STD-1", product.default_code, ""],
                [str(self.account.id), "STD-2", "", "S0000"],
            ],
        )
        self.assertFalse(result["messages"], msg=str(result["messages"]))
        self.assertEqual(self.account._find_product_by_sku("STD-1"), product)
        self.assertEqual(self.account._find_product_by_sku("STD-2"), product)
