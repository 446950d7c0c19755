# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import AmazonOrderCase, make_item, make_order


@tagged("post_install", "-at_install")
class TestOrderRetention(AmazonOrderCase):
    def _age(self, order, days):
        order.amazon_closed_date = fields.Datetime.now() - timedelta(days=days)

    def test_buyer_data_is_anonymized_after_retention_keeping_tax_fields(self):
        self.sync([[make_order(status="SHIPPED", vat="IT00743110157")]])
        order = self.find_order("405-0000001-0000001")
        self._age(order, 31)
        counts = self.env["amazon.order.anonymizer"]._run(self.account)
        customer = order.partner_id
        self.assertEqual(
            counts["contacts"], 1, msg="the customer (its own delivery address)"
        )
        self.assertEqual(customer.name, "Anonymized Amazon buyer")
        self.assertFalse(customer.street or customer.phone or customer.email)
        self.assertEqual(customer.city, "Milano", msg="city kept for tax")
        self.assertEqual(customer.zip, "20121")
        self.assertEqual(customer.country_id.code, "IT")
        self.assertEqual(customer.vat, "IT00743110157")

    def test_data_is_kept_within_the_retention_period(self):
        self.sync([[make_order(status="SHIPPED")]])
        order = self.find_order("405-0000001-0000001")
        self._age(order, 10)
        self.env["amazon.order.anonymizer"]._run(self.account)
        self.assertEqual(order.partner_id.name, "Mario Rossi")

    def test_retention_days_are_per_account(self):
        self.account.pii_retention_days = 5
        self.sync([[make_order(status="SHIPPED")]])
        self._age(self.find_order("405-0000001-0000001"), 6)
        counts = self.env["amazon.order.anonymizer"]._run(self.account)
        self.assertEqual(counts["contacts"], 1)

    def test_contact_matched_by_email_is_never_anonymized(self):
        partner = self.env["res.partner"].create(
            {"name": "Mario R.", "email": "buyer-1@marketplace.amazon.it"}
        )
        self.sync([[make_order(status="SHIPPED")]])
        self._age(self.find_order("405-0000001-0000001"), 31)
        self.env["amazon.order.anonymizer"]._run(self.account)
        self.assertEqual(partner.name, "Mario R.")

    def test_contact_used_outside_amazon_orders_is_kept(self):
        self.sync([[make_order(status="SHIPPED")]])
        order = self.find_order("405-0000001-0000001")
        self._age(order, 31)
        self.env["sale.order"].create({"partner_id": order.partner_id.id})
        self.env["amazon.order.anonymizer"]._run(self.account)
        self.assertEqual(order.partner_id.name, "Mario Rossi")

    def test_open_order_keeps_the_data(self):
        self.sync([[make_order(status="UNSHIPPED")]])
        self.env["amazon.order.anonymizer"]._run(self.account)
        self.assertEqual(
            self.find_order("405-0000001-0000001").partner_id.name, "Mario Rossi"
        )

    def test_failed_order_payload_is_stripped_after_retention(self):
        self.sync([[make_order(items=[make_item(sku="NOPE")])]])
        failure = self.env["amazon.order.failure"].search([])
        self.env.cr.execute(
            "UPDATE amazon_order_failure SET create_date = now() - interval '40 days' "
            "WHERE id = %s",
            [failure.id],
        )
        failure.invalidate_recordset()
        counts = self.env["amazon.order.anonymizer"]._run(self.account)
        self.assertEqual(counts["failures"], 1)
        self.assertNotIn("Mario", failure.payload)
        self.assertIn("405-0000001-0000001", failure.payload, msg="order kept")
