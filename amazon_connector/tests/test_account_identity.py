# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A selling partner is configured once: two accounts would import it twice."""

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import DEAD_ENDPOINT, AmazonCoreCase


@tagged("post_install", "-at_install")
class TestAccountIdentity(AmazonCoreCase):
    def new_account(self, **vals):
        return self.env["amazon.account"].create(
            {
                "name": "Core Test IT again",
                "region": "eu",
                "sp_api_endpoint": DEAD_ENDPOINT,
                **vals,
            }
        )

    def test_the_same_seller_id_and_region_twice_is_refused_naming_the_account(self):
        with self.assertRaisesRegex(ValidationError, "Core Test IT") as caught:
            self.new_account(seller_id="A3CORETEST")
        self.assertIn("A3CORETEST", str(caught.exception))

    def test_the_seller_id_is_compared_without_spaces_or_case(self):
        with self.assertRaises(ValidationError):
            self.new_account(seller_id=" a3coretest ")

    def test_changing_an_account_to_a_seller_id_already_used_is_refused(self):
        other = self.new_account(seller_id="A3OTHER")
        with self.assertRaises(ValidationError):
            other.seller_id = "A3CORETEST"

    def test_the_same_seller_id_in_another_region_is_another_account(self):
        account = self.new_account(seller_id="A3CORETEST", region="na")
        self.assertTrue(account, msg="North America is another seller account")

    def test_the_account_of_another_company_counts_even_if_the_user_cannot_see_it(
        self,
    ):
        other_company = self.env["res.company"].create({"name": "Core Other Co"})
        manager = new_test_user(
            self.env,
            login="amz_identity_manager",
            company_id=other_company.id,
            company_ids=[other_company.id],
            groups="base.group_user,amazon_connector.amazon_connector_group_manager",
        )
        Account = self.env["amazon.account"].with_user(manager)
        with self.assertRaisesRegex(ValidationError, "Core Test IT"):
            Account.create(
                {
                    "name": "Mine",
                    "company_id": other_company.id,
                    "region": "eu",
                    "seller_id": "A3CORETEST",
                }
            )

    def test_an_archived_account_does_not_block_a_new_one(self):
        self.account.active = False
        self.assertTrue(self.new_account(seller_id="A3CORETEST"))
        with self.assertRaises(ValidationError, msg="but reactivating it is refused"):
            self.account.active = True

    def test_a_vendor_code_is_configured_once_per_region_too(self):
        self.new_account(account_type="vendor", seller_id="VNDR1")
        with self.assertRaisesRegex(ValidationError, "Core Test IT again"):
            self.new_account(
                name="Vendor twice", account_type="vendor", seller_id="VNDR1"
            )

    def test_accounts_without_a_seller_id_are_not_compared(self):
        self.new_account(account_type="vendor")
        self.assertTrue(self.new_account(name="Second vendor", account_type="vendor"))

    def test_a_copied_account_starts_without_the_seller_id(self):
        copy = self.account.copy({"name": "Core Test IT copy"})
        self.assertFalse(copy.seller_id, msg="a copy is another seller to fill in")
