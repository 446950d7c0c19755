# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The line builder alone: an Amazon order's lines, and its totals rule."""

from odoo.tests import tagged

from .common import AmazonOrderCase, make_item, make_order, money


@tagged("post_install", "-at_install")
class TestOrderLineBuilder(AmazonOrderCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.builder = cls.env["amazon.order.line.builder"]

    def pricelist(self, currency):
        currency.active = True
        return self.env["product.pricelist"].create(
            {"name": currency.name, "currency_id": currency.id}
        )

    def new_order(self, currency, lines=1):
        """A sale order of ``lines`` untaxed lines of 1.00 in ``currency``."""
        return self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Buyer"}).id,
                "pricelist_id": self.pricelist(currency).id,
                "amazon_marketplace_id": self.marketplace.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product2.id,
                            "product_uom_qty": 1,
                            "price_unit": 1.0,
                            "tax_id": [(5,)],
                        },
                    )
                    for _line in range(lines)
                ],
            }
        )

    def rounding_notes(self, sale_order, expected):
        notes = []
        vals = self.builder._prepare_rounding_line(
            sale_order, self.account, expected, {"ITEM": expected}, notes
        )
        return vals, notes

    def test_a_difference_within_one_unit_per_line_is_rounding_in_any_currency(self):
        jpy = self.env.ref("base.JPY")
        yen_order = self.new_order(jpy, lines=3)
        self.assertEqual(jpy.rounding, 1.0)
        vals, notes = self.rounding_notes(yen_order, 3.0 + 4)
        self.assertEqual(vals["price_unit"], 4.0, msg="the rounding line takes it")
        self.assertEqual(notes, [], msg="4 yen on 3 lines is rounding, not a tax")
        vals, notes = self.rounding_notes(yen_order, 3.0 + 6)
        self.assertEqual(vals["price_unit"], 6.0)
        self.assertEqual(len(notes), 1, msg="6 yen is more than rounding: a note")
        euro_order = self.new_order(self.eur, lines=3)
        _vals, notes = self.rounding_notes(euro_order, 3.0 + 0.04)
        self.assertEqual(notes, [], msg="4 cents on 3 lines is rounding")
        _vals, notes = self.rounding_notes(euro_order, 3.0 + 0.06)
        self.assertEqual(len(notes), 1, msg="6 cents is not: a note")

    def test_the_tolerance_grows_with_the_lines_in_units_of_the_currency(self):
        jpy = self.env.ref("base.JPY")
        self.assertEqual(self.builder._rounding_tolerance(self.new_order(jpy, 2)), 5)
        self.assertEqual(self.builder._rounding_tolerance(self.new_order(jpy, 8)), 8)
        self.assertAlmostEqual(
            self.builder._rounding_tolerance(self.new_order(self.eur, 8)), 0.08
        )

    def test_equal_totals_need_no_rounding_line(self):
        vals, notes = self.rounding_notes(self.new_order(self.eur, lines=2), 2.0)
        self.assertIsNone(vals)
        self.assertEqual(notes, [])

    def test_discounts_are_split_by_what_they_reduce(self):
        item = make_item(
            quantity=2,
            unit="10.00",
            shipping="5.00",
            item_discount="2.00",
            shipping_discount="1.50",
        )
        amounts = self.builder._item_amounts(item, self.eur)
        self.assertEqual(amounts["ITEM"], 20.0)
        self.assertEqual(amounts["SHIPPING"], 5.0)
        self.assertEqual(amounts["discount_ITEM"], 2.0)
        self.assertEqual(amounts["discount_SHIPPING"], 1.5)

    def test_an_amount_in_another_currency_is_refused(self):
        from ..exceptions import AmazonOrderDataError

        with self.assertRaisesRegex(AmazonOrderDataError, "USD"):
            self.builder._amount(money("1.00", "USD"), "Price", self.eur)

    def test_lines_are_the_note_the_items_the_charges_and_the_gift_message(self):
        order = make_order(
            items=[make_item(shipping="6.10", gift_message="Happy birthday!")]
        )
        sale_order = self.env["sale.order"].new(
            {
                "partner_id": self.env["res.partner"].create({"name": "Buyer"}).id,
                "amazon_order_id": order["orderId"],
                "pricelist_id": self.pricelist(self.eur).id,
                "amazon_marketplace_id": self.marketplace.id,
                "company_id": self.company.id,
            }
        )
        notes = []
        commands, totals = self.builder._prepare_order_lines(
            sale_order, self.account, order, notes
        )
        lines = [vals for _command, _id, vals in commands]
        self.assertEqual(lines[0]["display_type"], "line_note")
        self.assertIn(order["orderId"], lines[0]["name"])
        self.assertEqual(lines[1]["product_id"], self.product.id)
        self.assertEqual(lines[1]["product_uom_qty"], 2)
        self.assertEqual(lines[2]["product_id"], self.account.shipping_product_id.id)
        self.assertEqual(lines[3]["name"], "Gift message: Happy birthday!")
        self.assertAlmostEqual(totals["ITEM"], 48.80)
        self.assertAlmostEqual(totals["SHIPPING"], 6.10)
        self.assertEqual(notes, [])
