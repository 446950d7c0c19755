# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The look-ups a page of orders makes once: failure records, pricelists,
buyers without e-mail, fiscal positions.

Each is read once for the page instead of once per order; what the orders get
must be what they got with a look-up of their own.
"""

import json

from odoo.tests import tagged

from .common import AmazonOrderCase, make_item, make_order

IT_ADDRESS = {
    "name": "Anna Neri",
    "addressLine1": "Via Po 3",
    "city": "Torino",
    "postalCode": "10121",
    "countryCode": "IT",
}


@tagged("post_install", "-at_install")
class TestOrderPageLookups(AmazonOrderCase):
    def _failure(self, order_id, error, payload=None):
        return self.env["amazon.order.failure"].create(
            {
                "account_id": self.account.id,
                "amazon_order_id": order_id,
                "error": error,
                # No payload to retry: the order comes back only in a page.
                "payload": json.dumps(payload) if payload else False,
            }
        )

    def test_an_open_failure_is_closed_by_its_order_imported_in_a_page(self):
        failure = self._failure("405-0000001-0000001", "An old reason.")
        orders = [
            make_order(f"405-000000{n}-0000001", email=f"b{n}@example.com")
            for n in (1, 2)
        ]
        log, _fake = self.sync([orders])
        self.assertEqual(log.created, 2)
        self.assertEqual(failure.state, "done", msg="the order imported at last")
        self.assertEqual(failure.sale_order_id, self.find_order("405-0000001-0000001"))

    def test_an_order_failing_again_in_a_page_updates_its_own_failure(self):
        bad = make_order(
            "405-0000001-0000001", items=[make_item(sku="NO-SUCH-SKU")], email=None
        )
        good = make_order("405-0000002-0000001", email="b2@example.com")
        log, _fake = self.sync([[bad, good]])
        failure = self.env["amazon.order.failure"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(failure.amazon_order_id, "405-0000001-0000001")
        self.assertEqual((failure.state, failure.retry_count), ("open", 0))
        reason = failure.error
        failure.payload = False  # comes back in the next page, not as a retry
        log, _fake = self.sync([[bad, good]])
        failures = self.env["amazon.order.failure"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(failures, failure, msg="one failure record per order")
        self.assertEqual(
            (failure.state, failure.retry_count, failure.error),
            ("open", 1, reason),
            msg="the same failure, tried once more, for the same reason",
        )
        self.assertEqual(len(self.find_order("405-0000002-0000001")), 1)

    def test_orders_of_a_currency_without_pricelist_share_the_one_created(self):
        Pricelist = self.env["product.pricelist"]
        domain = [
            ("currency_id", "=", self.eur.id),
            ("company_id", "in", [self.company.id, False]),
        ]
        Pricelist.search(domain).active = False
        pages = [
            [make_order(f"405-000000{n}-0000001", email=f"b{n}@example.com")]
            + [make_order(f"405-000001{n}-0000001", email=f"c{n}@example.com")]
            for n in (1, 2)
        ]
        log, _fake = self.sync(pages)
        self.assertEqual(log.created, 4)
        pricelist = Pricelist.search(domain)
        self.assertEqual(len(pricelist), 1, msg="one pricelist for the currency")
        for n in (1, 2):
            for prefix in ("405-000000", "405-000001"):
                order = self.find_order(f"{prefix}{n}-0000001")
                self.assertEqual(order.pricelist_id, pricelist)

    def test_buyers_without_email_of_a_page_find_the_oldest_customer_of_their_address(
        self,
    ):
        first = [
            make_order(
                "405-0000001-0000001",
                email=None,
                buyer_name="Anna Neri",
                address=IT_ADDRESS,
            )
        ]
        self.sync([first])
        customer = self.find_order("405-0000001-0000001").partner_id
        self.assertTrue(customer.amazon_created)
        # A second Amazon customer of the same buyer and address, newer.
        twin = customer.copy(
            {"amazon_created": True, "amazon_match_key": customer.amazon_match_key}
        )
        self.assertGreater(twin.id, customer.id)
        other = dict(IT_ADDRESS, name="Luca Bruni", addressLine1="Via Po 5")
        page = [
            make_order(
                "405-0000002-0000001",
                email=None,
                buyer_name="Anna Neri",
                address=IT_ADDRESS,
            ),
            make_order(
                "405-0000003-0000001",
                email=None,
                buyer_name="Luca Bruni",
                address=other,
            ),
            make_order(
                "405-0000004-0000001",
                email=None,
                buyer_name="Luca Bruni",
                address=other,
            ),
        ]
        log, _fake = self.sync([page])
        self.assertEqual(log.created, 3)
        self.assertEqual(
            self.find_order("405-0000002-0000001").partner_id,
            customer,
            msg="the oldest Amazon customer of that name and address",
        )
        luca = self.find_order("405-0000003-0000001").partner_id
        self.assertEqual(luca.name, "Luca Bruni")
        self.assertNotIn(luca, customer | twin)
        self.assertEqual(self.find_order("405-0000004-0000001").partner_id, luca)

    def test_the_order_keeps_the_fiscal_position_its_lines_were_mapped_with(self):
        de = self.env.ref("base.de")
        tax_de = self.env["account.tax"].create(
            {
                "name": "VAT 19% (test)",
                "amount": 19.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": self.company.id,
            }
        )
        position = self.env["account.fiscal.position"].create(
            {
                "name": "Germany (test)",
                "company_id": self.company.id,
                "auto_apply": True,
                "country_id": de.id,
                "tax_ids": [
                    (0, 0, {"tax_src_id": self.tax22.id, "tax_dest_id": tax_de.id})
                ],
            }
        )
        address = dict(IT_ADDRESS, city="Berlin", postalCode="10115", countryCode="DE")
        orders = [
            make_order("405-0000001-0000001", email="de@example.com", address=address),
            make_order("405-0000002-0000001", email="it@example.com"),
        ]
        log, _fake = self.sync([orders])
        self.assertEqual(log.created, 2)
        german = self.find_order("405-0000001-0000001")
        italian = self.find_order("405-0000002-0000001")
        self.assertEqual(german.fiscal_position_id, position)
        self.assertNotEqual(italian.fiscal_position_id, position)
        item = german.order_line.filtered("amazon_sku")
        self.assertEqual(item.tax_id, tax_de, msg="mapped by the order's position")
        self.assertEqual(
            italian.order_line.filtered("amazon_sku").tax_id,
            italian.fiscal_position_id.map_tax(self.tax22),
        )
