# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Orders in several currencies add up in the company's currency."""

from datetime import date

from odoo.tests import tagged

from .common import AmazonOrderCase, make_item, make_order

UK = "A1F83G8C2ARO7P"


@tagged("post_install", "-at_install")
class TestOrderCompanyCurrency(AmazonOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gbp = cls.env.ref("base.GBP")
        cls.gbp.active = True
        cls.uk = cls.env["amazon.marketplace"].search([("marketplace_id", "=", UK)])
        cls.account.active_marketplace_ids = [(4, cls.uk.id)]
        company_currency = cls.company.currency_id
        rates = {"EUR": 1.0, "GBP": 0.8}
        rates = {
            code: rate / rates.get(company_currency.name, 1.0)
            for code, rate in rates.items()
        }
        for currency in (cls.eur, cls.gbp):
            if currency != company_currency:
                cls.env["res.currency.rate"].create(
                    {
                        "currency_id": currency.id,
                        "company_id": cls.company.id,
                        "name": date(2026, 1, 1),
                        "rate": rates[currency.name],
                    }
                )

    def test_pivot_and_graph_measure_orders_in_company_currency(self):
        uk_order = make_order(
            order_id="026-0000002-0000002",
            marketplace=UK,
            items=[make_item(quantity=1, unit="80.00", currency="GBP")],
            address={
                "name": "Jane Doe",
                "addressLine1": "1 High Street",
                "city": "London",
                "stateOrRegion": "Greater London",
                "postalCode": "SW1A 1AA",
                "countryCode": "GB",
            },
        )
        uk_order["proceeds"]["grandTotal"]["currencyCode"] = "GBP"
        it_order = make_order(
            order_id="405-0000001-0000001",
            items=[make_item(quantity=1, unit="122.00")],
        )
        self.sync([[it_order, uk_order]])
        orders = self.env["sale.order"].search(
            [("amazon_account_id", "=", self.account.id)]
        )
        self.assertEqual(
            sorted(orders.currency_id.mapped("name")),
            ["EUR", "GBP"],
            msg="two currencies",
        )
        company_currency = self.company.currency_id
        expected = sum(
            order.currency_id._convert(
                order.amount_total,
                company_currency,
                self.company,
                order.date_order.date(),
            )
            for order in orders
        )
        total = self.env["sale.order"].read_group(
            [("id", "in", orders.ids)], ["amazon_amount_total_company:sum"], []
        )[0]["amazon_amount_total_company"]
        self.assertAlmostEqual(
            total,
            expected,
            places=2,
            msg="the total adds each order converted to the company's currency",
        )
        for view_ref in (
            "amazon_connector_sale.sale_order_amazon_view_pivot",
            "amazon_connector_sale.sale_order_amazon_view_graph",
        ):
            arch = self.env.ref(view_ref).arch
            self.assertIn(
                'name="amazon_amount_total_company" type="measure"',
                arch,
                msg=f"{view_ref} measures in the company's currency",
            )
            self.assertIn(
                'name="amount_total" invisible="1"',
                arch,
                msg=f"{view_ref} offers no measure mixing currencies",
            )
