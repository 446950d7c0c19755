# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import AmazonOrderCase, make_item, make_order


@tagged("post_install", "-at_install")
class TestOrderImport(AmazonOrderCase):
    def test_account_gets_its_own_sequence_journal_and_fba_location(self):
        self.assertEqual(self.account.order_sequence_id.prefix, "AMZ-IT/")
        self.assertEqual(self.account.sale_journal_id.type, "sale")
        self.assertTrue(self.account.fba_location_id, msg="FBA location is created")
        other = self.account.copy({"name": "Copy"})
        self.assertNotEqual(
            other.order_sequence_id,
            self.account.order_sequence_id,
            msg="each account has its own sequence",
        )

    def test_sale_order_carries_amazon_fields_and_sequence_name(self):
        log, fake = self.sync([[make_order()]])
        order = self.find_order("405-0000001-0000001")
        self.assertEqual(len(order), 1)
        self.assertEqual(
            order.name, "AMZ-IT/00001", msg="name from the account sequence"
        )
        self.assertEqual(order.client_order_ref, "405-0000001-0000001")
        self.assertEqual(order.amazon_marketplace_id, self.marketplace)
        self.assertEqual(order.amazon_fulfillment_channel, "fbm")
        self.assertEqual(order.amazon_status, "UNSHIPPED")
        self.assertEqual(str(order.date_order), "2026-03-01 23:30:00")
        self.assertEqual(order.currency_id.name, "EUR")
        self.assertEqual(order.pricelist_id.currency_id.name, "EUR")
        self.assertEqual(order.journal_id, self.account.sale_journal_id)
        self.assertEqual(log.created, 1)

    def test_search_orders_asks_for_everything_in_one_call(self):
        _log, fake = self.sync([[make_order()]])
        params = fake.queries("orders.searchOrders")[0]
        self.assertIn("lastUpdatedAfter", params)
        self.assertNotIn("createdAfter", params)
        for data in (
            "BUYER",
            "RECIPIENT",
            "PROCEEDS",
            "PROMOTION",
            "CANCELLATION",
            "FULFILLMENT",
            "PACKAGES",
            "TAX",
            "EXPENSE",
        ):
            self.assertIn(data, params["includedData"])
        self.assertEqual(params["marketplaceIds"], ["APJ6JRA9NG5V4"])
        self.assertEqual(len(fake.calls), 1, msg="no per-order calls")

    def test_note_line_on_top_gives_amazon_id_and_local_date(self):
        self.sync([[make_order()]])
        order = self.find_order("405-0000001-0000001")
        first = order.order_line.sorted("sequence")[0]
        self.assertEqual(first.display_type, "line_note")
        # 23:30 UTC on 1 March is 2 March in Rome.
        self.assertEqual(first.name, "Amazon order 405-0000001-0000001 of 2026-03-02")

    def test_tax_included_price_gives_amazon_total_to_the_cent(self):
        self.sync([[make_order()]])
        order = self.find_order("405-0000001-0000001")
        line = order.order_line.filtered(lambda ln: ln.product_id == self.product)
        self.assertEqual(line.product_uom_qty, 2)
        self.assertAlmostEqual(line.price_subtotal, 40.0, msg="48.80 incl. 22% VAT")
        self.assertEqual(line.amazon_sku, "AMZ-SKU-1")
        self.assertEqual(line.amazon_order_item_id, "ITEM-AMZ-SKU-1")
        self.assertAlmostEqual(order.amount_total, 54.90, msg="Amazon's grand total")
        self.assertFalse(
            order.order_line.filtered(
                lambda ln: ln.product_id == self.account.rounding_product_id
            ),
            msg="no rounding line when totals already match",
        )

    def test_shipping_line_is_shipping_minus_shipping_discount(self):
        item = make_item(shipping="6.10", shipping_discount="6.10")
        self.sync(
            [
                [
                    make_order(
                        items=[
                            item,
                            make_item("AMZ-SKU-2", 1, "12.20", shipping="3.05"),
                        ]
                    )
                ]
            ]
        )
        order = self.find_order("405-0000001-0000001")
        shipping = order.order_line.filtered(
            lambda ln: ln.product_id == self.account.shipping_product_id
        )
        self.assertEqual(len(shipping), 1, msg="one shipping line for the order")
        self.assertAlmostEqual(shipping.price_total, 3.05)
        self.assertAlmostEqual(order.amount_total, 48.80 + 12.20 + 3.05)

    def test_promotion_becomes_a_line_discount(self):
        item = make_item(quantity=1, unit="50.00", item_discount="5.00")
        self.sync([[make_order(items=[item])]])
        order = self.find_order("405-0000001-0000001")
        line = order.order_line.filtered(lambda ln: ln.product_id == self.product)
        self.assertAlmostEqual(line.discount, 10.0, msg="5 off 50")
        self.assertAlmostEqual(order.amount_total, 45.0)

    def test_gift_wrap_line_and_gift_message_note(self):
        item = make_item(gift_wrap="3.66", gift_message="Happy birthday!")
        self.sync([[make_order(items=[item])]])
        order = self.find_order("405-0000001-0000001")
        wrap = order.order_line.filtered(
            lambda ln: ln.product_id == self.account.gift_wrap_product_id
        )
        self.assertAlmostEqual(wrap.price_total, 3.66)
        notes = order.order_line.filtered(lambda ln: ln.display_type == "line_note")
        self.assertIn("Gift message: Happy birthday!", notes.mapped("name"))

    def test_tax_rounding_difference_gets_an_explicit_line(self):
        # 3 x 0.33 incl. 22% cannot round-trip exactly through untaxed prices.
        item = make_item(quantity=3, unit="0.33")
        self.sync([[make_order(items=[item], grand_total="1.00")]])
        order = self.find_order("405-0000001-0000001")
        rounding = order.order_line.filtered(
            lambda ln: ln.product_id == self.account.rounding_product_id
        )
        self.assertTrue(rounding, msg="explicit rounding line")
        self.assertAlmostEqual(order.amount_total, 1.00, msg="equal to Amazon's total")

    def test_unknown_sku_fails_the_order_by_default(self):
        item = make_item(sku="NOPE")
        log, _fake = self.sync([[make_order(items=[item])]])
        self.assertFalse(self.find_order("405-0000001-0000001"))
        failure = self.env["amazon.order.failure"].search(
            [("amazon_order_id", "=", "405-0000001-0000001")]
        )
        self.assertEqual(failure.state, "open")
        self.assertIn("NOPE", failure.error, msg="reason in words")
        self.assertEqual(log.failed, 1)

    def test_unknown_sku_uses_placeholder_keeping_sku_and_title(self):
        self.account.unknown_sku_policy = "placeholder"
        item = make_item(sku="NOPE", title="Mystery box")
        self.sync([[make_order(items=[item])]])
        order = self.find_order("405-0000001-0000001")
        line = order.order_line.filtered(
            lambda ln: ln.product_id == self.account.placeholder_product_id
        )
        self.assertEqual(line.amazon_sku, "NOPE")
        self.assertIn("Mystery box", line.name)
        self.assertIn("NOPE", order.amazon_import_notes)

    def test_fba_order_is_delivered_from_the_fba_location(self):
        self.sync([[make_order(fulfilled_by="AMAZON", status="SHIPPED")]])
        order = self.find_order("405-0000001-0000001")
        self.assertEqual(order.amazon_fulfillment_channel, "fba")
        self.assertEqual(order.state, "sale")
        picking = order.picking_ids
        self.assertEqual(picking.state, "done", msg="nothing to ship")
        self.assertEqual(picking.move_ids.location_id, self.account.fba_location_id)

    def test_fba_order_beyond_the_fba_stock_says_so_on_the_order(self):
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.account.fba_location_id, 1
        )
        log, _fake = self.sync([[make_order(fulfilled_by="AMAZON", status="SHIPPED")]])
        order = self.find_order("405-0000001-0000001")
        self.assertEqual(order.picking_ids.state, "done", msg="Amazon shipped it")
        self.assertIn(
            "more FBA units than Odoo's FBA location held",
            log.message or "",
            msg="the negative FBA stock is noticed in the run, with the fix",
        )
        self.assertIn("(-1)", log.message)
        self.assertIn("Import the FBA inventory", log.outcome)
        self.assertFalse(order.amazon_import_notes, msg="no note on every order")

    def test_fba_order_within_the_fba_stock_adds_no_note(self):
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.account.fba_location_id, 5
        )
        self.sync([[make_order(fulfilled_by="AMAZON", status="SHIPPED")]])
        order = self.find_order("405-0000001-0000001")
        self.assertFalse(order.amazon_import_notes)

    def test_auto_confirm_option_confirms_fbm_orders(self):
        self.account.order_auto_confirm = True
        self.sync([[make_order()]])
        self.assertEqual(self.find_order("405-0000001-0000001").state, "sale")

    def test_orders_stay_quotations_without_auto_confirm(self):
        self.account.order_auto_confirm = False
        self.sync([[make_order()]])
        self.assertEqual(self.find_order("405-0000001-0000001").state, "draft")

    def test_invoice_lands_in_the_account_journal(self):
        self.account.order_auto_confirm = True
        self.sync([[make_order(items=[make_item()])]])
        order = self.find_order("405-0000001-0000001")
        invoice = order._create_invoices()
        self.assertEqual(invoice.journal_id, self.account.sale_journal_id)
        self.assertAlmostEqual(invoice.amount_total, order.amount_total)

    def test_status_filter_skips_unwanted_orders(self):
        self.account.order_import_shipped = False
        self.sync([[make_order(status="SHIPPED")]])
        self.assertFalse(self.find_order("405-0000001-0000001"))

    def test_channel_filter_skips_fba_orders(self):
        self.account.order_import_fba = False
        _log, fake = self.sync([[make_order(fulfilled_by="AMAZON")]])
        self.assertFalse(self.find_order("405-0000001-0000001"))
        self.assertEqual(
            fake.queries("orders.searchOrders")[0]["fulfilledBy"], ["MERCHANT"]
        )

    def test_same_order_twice_gives_one_sale_order(self):
        self.sync([[make_order(), make_order()]])
        self.sync([[make_order()]])
        self.assertEqual(len(self.find_order("405-0000001-0000001")), 1)

    def test_unique_constraint_guards_account_and_amazon_id(self):
        self.sync([[make_order()]])
        order = self.find_order("405-0000001-0000001")
        from psycopg2 import IntegrityError

        from odoo.tools import mute_logger

        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                order.copy(
                    {
                        "amazon_order_id": order.amazon_order_id,
                        "amazon_account_id": self.account.id,
                    }
                )
