# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import AmazonOrderCase, make_order


@tagged("post_install", "-at_install")
class TestOrderPartner(AmazonOrderCase):
    def test_existing_customer_is_matched_by_email_and_left_unchanged(self):
        partner = self.env["res.partner"].create(
            {"name": "Mario R.", "email": "  Buyer-1@Marketplace.Amazon.IT "}
        )
        before = partner.read()[0]
        self.sync([[make_order()]])
        order = self.find_order("405-0000001-0000001")
        self.assertEqual(order.partner_id, partner, msg="matched by e-mail")
        after = partner.read()[0]
        for key in (
            "name",
            "email",
            "street",
            "city",
            "zip",
            "phone",
            "country_id",
            "lang",
            "property_account_receivable_id",
            "vat",
            "write_date",
        ):
            self.assertEqual(before[key], after[key], msg=f"{key} not written")
        self.assertFalse(partner.amazon_created)
        shipping = order.partner_shipping_id
        self.assertEqual(shipping.parent_id, partner)
        self.assertEqual(shipping.type, "delivery")
        self.assertEqual(shipping.street, "Via Roma 1")

    def test_new_customer_gets_amazon_data_phone_lang_and_receivable(self):
        receivable = self.env["account.account"].create(
            {
                "name": "Amazon customers",
                "code": "150199",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        self.account.customer_receivable_account_id = receivable
        lang = self.env["res.lang"]._activate_lang("it_IT")
        self.sync([[make_order(vat="IT00743110157", company="Rossi Srl")]])
        customer = self.find_order("405-0000001-0000001").partner_id
        self.assertTrue(customer.amazon_created)
        self.assertEqual(customer.name, "Rossi Srl", msg="business order: company name")
        self.assertTrue(customer.is_company)
        self.assertEqual(customer.vat, "IT00743110157")
        self.assertEqual(customer.email, "buyer-1@marketplace.amazon.it")
        self.assertEqual(customer.phone, "+390212345678", msg="E.164")
        self.assertEqual(customer.lang, lang.code)
        self.assertEqual(customer.country_id.code, "IT")
        self.assertEqual(customer.state_id.code, "MI")
        self.assertEqual(
            customer.with_company(self.company).property_account_receivable_id,
            receivable,
            msg="codice mastro",
        )

    def test_without_email_amazon_customer_is_found_by_name_and_address(self):
        self.sync([[make_order(email=None)]])
        first = self.find_order("405-0000001-0000001").partner_id
        self.sync(
            [
                [
                    make_order(
                        "405-0000002-0000002",
                        email=None,
                        updated="2026-03-03T08:00:00Z",
                    )
                ]
            ]
        )
        second = self.find_order("405-0000002-0000002").partner_id
        self.assertEqual(first, second, msg="same normalized name and address")
        self.assertTrue(first.amazon_created)

    def test_without_email_a_non_amazon_contact_is_never_matched(self):
        manual = self.env["res.partner"].create(
            {
                "name": "Mario Rossi",
                "street": "Via Roma 1",
                "street2": "Scala B",
                "city": "Milano",
                "zip": "20121",
                "country_id": self.env.ref("base.it").id,
            }
        )
        self.sync([[make_order(email=None)]])
        self.assertNotEqual(self.find_order("405-0000001-0000001").partner_id, manual)

    def test_without_email_another_address_makes_another_customer(self):
        self.sync([[make_order(email=None)]])
        other = make_order("405-0000002-0000002", email=None)
        other["recipient"]["deliveryAddress"]["addressLine1"] = "Via Verdi 9"
        self.sync([[other]])
        self.assertNotEqual(
            self.find_order("405-0000001-0000001").partner_id,
            self.find_order("405-0000002-0000002").partner_id,
        )

    def test_delivery_contact_with_same_normalized_address_is_reused(self):
        partner = self.env["res.partner"].create(
            {"name": "Mario", "email": "buyer-1@marketplace.amazon.it"}
        )
        delivery = self.env["res.partner"].create(
            {
                "name": "MARIO  ROSSI",
                "type": "delivery",
                "parent_id": partner.id,
                "street": "via roma, 1",
                "street2": "scala b",
                "city": "MILANO",
                "zip": "20121",
                "country_id": self.env.ref("base.it").id,
            }
        )
        self.sync([[make_order()]])
        order = self.find_order("405-0000001-0000001")
        self.assertEqual(order.partner_shipping_id, delivery)
        self.assertEqual(delivery.street, "via roma, 1", msg="address never changed")

    def test_matched_contact_without_address_is_not_given_the_delivery_address(self):
        partner = self.env["res.partner"].create(
            {"name": "Mario", "email": "buyer-1@marketplace.amazon.it"}
        )
        self.sync([[make_order()]])
        self.assertFalse(partner.street, msg="Odoo's first-contact copy is prevented")

    def test_unknown_state_and_country_are_noted_but_order_imports(self):
        order = make_order(
            address={
                "name": "Zoë <b>O'Brien</b>; DROP TABLE x;",
                "addressLine1": "1 Main St",
                "city": "Nowhere",
                "stateOrRegion": "Atlantis",
                "countryCode": "XX",
            }
        )
        self.sync([[order]])
        sale = self.find_order("405-0000001-0000001")
        self.assertTrue(sale, msg="the order still imports")
        self.assertIn("XX", sale.amazon_import_notes)
        self.assertEqual(
            sale.partner_shipping_id.name,
            "Zoë <b>O'Brien</b>; DROP TABLE x;",
            msg="stored as plain text",
        )

    def test_huge_name_is_cut_and_noted(self):
        self.sync([[make_order(buyer_name="x" * 10000, email=None)]])
        sale = self.find_order("405-0000001-0000001")
        self.assertLessEqual(
            len(sale.partner_id.name), 256, msg="names are cut at 256 characters"
        )
        self.assertIn("cut", sale.amazon_import_notes)

    def test_missing_names_fall_back_to_the_order_id(self):
        order = make_order(buyer_name=None, email=None)
        order["recipient"]["deliveryAddress"].pop("name")
        order["buyer"] = {}
        self.sync([[order]])
        sale = self.find_order("405-0000001-0000001")
        self.assertIn("405-0000001-0000001", sale.partner_id.name)
