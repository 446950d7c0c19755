# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer matcher alone: a batch of orders (one order is a batch of one)
gets its customers and delivery contacts, found or created."""

from odoo.tests import tagged

from .common import AmazonOrderCase, make_order


@tagged("post_install", "-at_install")
class TestOrderCustomerMatcher(AmazonOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matcher = cls.env["amazon.order.customer.matcher"]

    def match(self, *orders):
        notes = [[] for _order in orders]
        entries = [
            (order, self.marketplace, order_notes)
            for order, order_notes in zip(orders, notes, strict=True)
        ]
        return self.matcher._match(self.account, entries), notes

    def test_a_buyer_twice_in_a_batch_is_one_customer(self):
        other_address = {
            "name": "Mario Rossi",
            "addressLine1": "Corso Como 5",
            "city": "Milano",
            "postalCode": "20154",
            "countryCode": "IT",
        }
        (first, second, third), _notes = self.match(
            make_order(order_id="405-1"),
            make_order(order_id="405-2"),
            make_order(order_id="405-3", address=other_address),
        )
        self.assertEqual(first[0], second[0], msg="one customer for one e-mail")
        self.assertEqual(first[0], third[0])
        self.assertEqual(first[1], second[1], msg="one contact for one address")
        self.assertNotEqual(first[1], third[1], msg="another address, another one")
        self.assertEqual(third[1].street, "Corso Como 5")
        self.assertEqual(third[1].parent_id, first[0])

    def test_a_batch_of_one_finds_what_a_batch_created(self):
        (created,), _notes = self.match(make_order(order_id="405-1"))
        (found,), _notes = self.match(make_order(order_id="405-2"))
        self.assertEqual(found, created, msg="customer and contact reused")

    def test_without_email_only_an_amazon_customer_of_same_name_and_address(self):
        stranger = self.env["res.partner"].create(
            {"name": "Mario Rossi", "street": "Via Roma 1", "city": "Milano"}
        )
        (first, second), _notes = self.match(
            make_order(order_id="405-1", email=None),
            make_order(order_id="405-2", email=None),
        )
        self.assertNotEqual(first[0], stranger, msg="a contact of the user: never")
        self.assertTrue(first[0].amazon_created)
        self.assertEqual(first, second, msg="same name and address: same customer")

    def test_an_existing_contact_is_matched_by_email_whatever_its_case(self):
        contact = self.env["res.partner"].create(
            {"name": "M. Rossi", "email": " BUYER-1@marketplace.amazon.it"}
        )
        found = self.matcher._find_customers_by_emails(
            self.account, ["buyer-1@marketplace.amazon.it", "nobody@example.com"]
        )
        self.assertEqual(found["buyer-1@marketplace.amazon.it"], contact)
        self.assertFalse(found["nobody@example.com"])
        ((customer, _delivery),), _notes = self.match(make_order())
        self.assertEqual(customer, contact)

    def test_an_invalid_email_is_noted(self):
        ((customer, _delivery),), notes = self.match(make_order(email="not-an-email"))
        self.assertFalse(customer.email)
        self.assertIn("The buyer e-mail is not a valid address.", notes[0])
