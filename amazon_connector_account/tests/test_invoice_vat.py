# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import ADDRESSES, DE, FR, UK, ItalianCompanyCase, make_item


@tagged("post_install", "-at_install", "amazon_accounting")
class TestInvoiceVat(ItalianCompanyCase):
    def assert_invoiced(self, sale_order, rate, amazon_total, journal=None):
        invoice = self.invoice_of(sale_order)
        self.assertEqual(len(invoice), 1, msg="one invoice per shipped order")
        self.assertEqual(invoice.state, "posted")
        for name, rates in self.line_taxes(invoice).items():
            self.assertEqual(rates, rate, msg=f"VAT of {name}")
        self.assertAlmostEqual(
            invoice.amount_total,
            amazon_total,
            places=2,
            msg="the invoice total equals Amazon's to the cent",
        )
        self.assertEqual(invoice.ref, sale_order.amazon_order_id)
        self.assertEqual(
            invoice.journal_id,
            journal or self.account.sale_journal_id,
            msg="the account's journal",
        )
        return invoice

    def test_italian_buyer_on_amazon_it_pays_22_percent_on_goods_and_shipping(self):
        order = self.import_orders([self.order_payload("IT-1")])
        self.assertFalse(order.invoice_ids, msg="invoiced when it ships, not before")
        self.ship(order)
        invoice = self.assert_invoiced(order, [22.0], 29.28)
        self.assertEqual(len(invoice.invoice_line_ids), 2, msg="goods and shipping")

    def test_german_buyer_shipped_from_italy_pays_german_vat_through_oss(self):
        order = self.import_orders(
            [self.order_payload("DE-OSS-1", country="DE", marketplace=DE)]
        )
        self.assertTrue(
            order.fiscal_position_id.name.startswith("OSS"),
            msg="Odoo's rule on the delivery address picks the OSS position",
        )
        self.ship(order)
        invoice = self.assert_invoiced(order, [19.0], 29.28)
        self.assertEqual(invoice.fiscal_position_id, order.fiscal_position_id)

    def test_fba_order_from_a_german_centre_is_a_german_domestic_sale(self):
        order = self.import_orders(
            [
                self.order_payload(
                    "DE-FBA-1",
                    country="DE",
                    marketplace=DE,
                    fulfilled_by="AMAZON",
                    status="SHIPPED",
                )
            ]
        )
        self.assertEqual(
            order.fiscal_position_id,
            self.de_domestic,
            msg="the company's German VAT position, not OSS",
        )
        invoice = self.assert_invoiced(order, [19.0], 29.28)
        self.assertEqual(invoice.line_ids.tax_line_id, self.de_tax19)

    def shipped_from(self, payload, country):
        """Amazon's packages of the order say it left from ``country``."""
        payload["packages"] = [
            {
                "packageReferenceId": "1",
                "packageStatus": {"status": "SHIPPED"},
                "shipTime": "2026-03-02T08:00:00Z",
                "shipFromAddress": {
                    "name": "Fulfilment centre",
                    "addressLine1": ADDRESSES[country][0],
                    "city": ADDRESSES[country][1],
                    "postalCode": ADDRESSES[country][2],
                    "countryCode": country,
                },
            }
        ]
        return payload

    def french_vat_registration(self):
        france = self.env.ref("base.fr")
        group = self.env["account.tax.group"].create(
            {
                "name": "FR TVA 20%",
                "country_id": france.id,
                "company_id": self.company.id,
            }
        )
        tax20 = self.env["account.tax"].create(
            {
                "name": "20% FR (domestic)",
                "tax_group_id": group.id,
                "amount": 20.0,
                "type_tax_use": "sale",
                "country_id": france.id,
                "company_id": self.company.id,
            }
        )
        position = self.env["account.fiscal.position"].create(
            {
                "name": "France (French VAT number)",
                "country_id": france.id,
                "foreign_vat": "FR40303265045",
                "auto_apply": False,
                "company_id": self.company.id,
                "tax_ids": [
                    Command.create(
                        {"tax_src_id": self.tax22.id, "tax_dest_id": tax20.id}
                    )
                ],
            }
        )
        return position, tax20

    def test_pan_eu_fba_orders_follow_the_country_amazon_shipped_them_from(self):
        """The account ships from Germany by default; Amazon's packages say
        where each order actually left from."""
        fr_domestic, fr_tax20 = self.french_vat_registration()
        from_fr, from_de = self.import_orders(
            [
                self.shipped_from(
                    self.order_payload(
                        "FR-PANEU-1",
                        country="FR",
                        marketplace=FR,
                        fulfilled_by="AMAZON",
                        status="SHIPPED",
                    ),
                    "FR",
                ),
                self.shipped_from(
                    self.order_payload(
                        "DE-PANEU-1",
                        country="DE",
                        marketplace=DE,
                        fulfilled_by="AMAZON",
                        status="SHIPPED",
                    ),
                    "DE",
                ),
            ]
        )
        self.assertEqual(
            from_fr.fiscal_position_id,
            fr_domestic,
            msg="shipped within France: a French domestic sale, not the account's DE",
        )
        invoice = self.assert_invoiced(from_fr, [20.0], 29.28)
        self.assertEqual(invoice.line_ids.tax_line_id, fr_tax20)
        self.assertEqual(from_de.fiscal_position_id, self.de_domestic)
        invoice = self.assert_invoiced(from_de, [19.0], 29.28)
        self.assertEqual(invoice.line_ids.tax_line_id, self.de_tax19)

    def test_order_shipped_from_germany_to_a_french_buyer_is_an_oss_sale(self):
        """A foreign VAT number covers sales within that country only: from a
        German centre to a French consumer is a distance sale, French VAT
        through the One-Stop-Shop."""
        order = self.import_orders(
            [
                self.shipped_from(
                    self.order_payload(
                        "FR-FROM-DE-1",
                        country="FR",
                        marketplace=FR,
                        fulfilled_by="AMAZON",
                        status="SHIPPED",
                    ),
                    "DE",
                )
            ]
        )
        self.assertNotEqual(order.fiscal_position_id, self.de_domestic)
        self.assertTrue(order.fiscal_position_id.name.startswith("OSS"))
        self.assert_invoiced(order, [20.0], 29.28)

    def test_fbm_order_shipped_from_a_german_warehouse_is_a_german_sale(self):
        """Amazon's packages say where a merchant's own parcel left from too."""
        self.account.fba_ship_from_country_id = False
        order = self.import_orders(
            [
                self.shipped_from(
                    self.order_payload("DE-FBM-PKG", country="DE", marketplace=DE),
                    "DE",
                )
            ]
        )
        self.assertEqual(order.fiscal_position_id, self.de_domestic)

    def test_business_buyer_with_a_valid_vat_number_is_reverse_charged(self):
        order = self.import_orders(
            [
                self.order_payload(
                    "FR-B2B-1",
                    country="FR",
                    marketplace=FR,
                    programs=["AMAZON_BUSINESS"],
                    vat="FR40303265045",
                    company="Entreprise SARL",
                )
            ]
        )
        self.assertTrue(order.amazon_business_order)
        self.assertEqual(order.partner_id.commercial_partner_id.vat, "FR40303265045")
        self.ship(order)
        invoice = self.assert_invoiced(order, [0.0], 29.28)
        self.assertTrue(
            invoice.fiscal_position_id.vat_required,
            msg="the intra-EU B2B position (reverse charge)",
        )

    def test_uk_order_whose_vat_amazon_collects_carries_no_vat_of_the_seller(self):
        item = make_item(
            sku="CUP-1", quantity=1, unit="20.00", shipping="3.99", currency="GBP"
        )
        item["proceeds"]["breakdowns"].append(
            {"type": "TAX", "subtotal": {"amount": "4.00", "currencyCode": "GBP"}}
        )
        item["tax"] = {
            "taxCollections": [
                {
                    "model": "MARKETPLACE_FACILITATOR",
                    "responsibleParty": "Amazon Services Europe Sarl",
                }
            ]
        }
        payload = self.order_payload(
            "UK-MF-1", country="GB", marketplace=UK, currency="GBP", items=[item]
        )
        payload["proceeds"]["grandTotal"]["amount"] = "23.99"
        order = self.import_orders([payload])
        self.assertEqual(order.currency_id, self.gbp, msg="invoiced in GBP")
        self.assertEqual(order.fiscal_position_id, self.amazon_collects)
        self.assertTrue(order.amazon_tax_collected_by_amazon)
        self.ship(order)
        invoice = self.assert_invoiced(order, [], 23.99)
        self.assertEqual(invoice.currency_id, self.gbp)
        self.assertFalse(invoice.amount_tax, msg="no VAT of the seller's")

    def test_invoice_by_amazon_order_is_recorded_in_its_own_journal_and_never_sent(
        self,
    ):
        order = self.import_orders(
            [self.order_payload("IT-IBA-1", programs=["INVOICE_BY_AMAZON"])]
        )
        order.amazon_invoice_number = "IT5000ABC123"
        self.ship(order)
        invoice = self.invoice_of(order)
        self.assertEqual(invoice.journal_id, self.account.amazon_invoice_journal_id)
        self.assertNotEqual(
            self.account.amazon_invoice_journal_id, self.account.sale_journal_id
        )
        self.assertEqual(invoice.ref, "IT5000ABC123", msg="Amazon's invoice number")
        self.assertEqual(
            set(map(tuple, self.line_taxes(invoice).values())),
            {(22.0,)},
            msg="as its destination: an Italian sale",
        )
        with self.assertRaises(UserError, msg="never sent to the buyer"):
            invoice.action_send_and_print()

    def test_policy_on_import_invoices_what_amazon_sold_before_shipping(self):
        self.account.invoice_policy_fbm = "import"
        order = self.import_orders([self.order_payload("IT-IMP-1")])
        invoice = self.invoice_of(order)
        self.assertEqual(invoice.state, "posted", msg="invoiced at import")
        self.assertEqual(
            invoice.invoice_line_ids.filtered(
                lambda line: line.product_id == self.product
            ).quantity,
            2,
            msg="the quantity Amazon sold, though the product invoices deliveries",
        )

    def test_policy_never_leaves_the_invoice_to_the_user(self):
        self.account.invoice_policy_fbm = "never"
        order = self.import_orders([self.order_payload("IT-NEV-1")])
        self.ship(order)
        self.assertFalse(order.invoice_ids)

    def test_invoice_date_is_the_shipment_or_the_purchase_date(self):
        order = self.import_orders([self.order_payload("IT-DATE-1")])
        self.ship(order)
        self.assertEqual(
            self.invoice_of(order).invoice_date,
            order._amazon_local_date(order.picking_ids[:1].date_done),
        )
        self.account.invoice_date_source = "purchase"
        order2 = self.import_orders([self.order_payload("IT-DATE-2")])
        self.ship(order2)
        self.assertEqual(
            str(self.invoice_of(order2).invoice_date),
            "2026-03-02",
            msg="23:30 UTC on 1 March is 2 March in Rome",
        )

    def test_gift_messages_and_order_notes_stay_off_the_invoice(self):
        item = make_item(
            sku="CUP-1", quantity=1, unit="12.20", gift_message="Tanti auguri Maria"
        )
        order = self.import_orders([self.order_payload("IT-GIFT-1", items=[item])])
        self.ship(order)
        invoice = self.invoice_of(order)
        self.assertNotIn("Tanti auguri", " ".join(invoice.line_ids.mapped("name")))
        self.assertFalse(
            invoice.invoice_line_ids.filtered(
                lambda line: line.display_type == "line_note"
            )
        )

    def test_tax_different_from_amazons_is_a_visible_note_on_order_and_invoice(self):
        item = make_item(sku="CUP-1", quantity=1, unit="12.20")
        item["proceeds"]["breakdowns"].append(
            {"type": "TAX", "subtotal": {"amount": "2.00", "currencyCode": "EUR"}}
        )
        order = self.import_orders([self.order_payload("IT-TAX-1", items=[item])])
        self.assertIn("2.2", order.amazon_tax_note or "", msg="Odoo's 2.20 shown")
        self.ship(order)
        self.assertEqual(self.invoice_of(order).amazon_tax_note, order.amazon_tax_note)
        same = make_item(sku="CUP-1", quantity=1, unit="12.20")
        same["proceeds"]["breakdowns"].append(
            {"type": "TAX", "subtotal": {"amount": "2.20", "currencyCode": "EUR"}}
        )
        order2 = self.import_orders([self.order_payload("IT-TAX-2", items=[same])])
        self.assertFalse(order2.amazon_tax_note, msg="equal taxes: no note")

    def test_rounding_line_is_shown_on_the_invoice_and_found_by_a_filter(self):
        payload = self.order_payload("IT-ROUND-1")
        payload["proceeds"]["grandTotal"]["amount"] = "29.29"
        order = self.import_orders([payload])
        self.ship(order)
        invoice = self.invoice_of(order)
        self.assertAlmostEqual(invoice.amount_total, 29.29, places=2)
        self.assertAlmostEqual(invoice.amazon_rounding_amount, 0.01, places=2)
        found = self.env["account.move"].search(
            [("amazon_rounding_amount", "!=", 0), ("id", "=", invoice.id)]
        )
        self.assertEqual(found, invoice)

    def test_orders_of_a_page_are_invoiced_in_one_batch(self):
        self.account.invoice_policy_fbm = "import"
        orders = self.import_orders(
            [self.order_payload(f"IT-BATCH-{n}") for n in range(5)]
        )
        invoices = orders.invoice_ids
        self.assertEqual(len(invoices), 5, msg="one invoice per order")
        self.assertEqual(set(invoices.mapped("state")), {"posted"})

    def test_cancellation_after_invoicing_is_a_credit_note(self):
        self.account.invoice_policy_fbm = "import"
        order = self.import_orders([self.order_payload("IT-CANC-1")])
        invoice = self.invoice_of(order)
        cancelled = self.order_payload("IT-CANC-1", status="CANCELLED")
        cancelled["lastUpdatedTime"] = "2026-03-03T08:00:00Z"
        self.import_orders([cancelled])
        credit = order.invoice_ids.filtered(lambda m: m.move_type == "out_refund")
        self.assertEqual(len(credit), 1, msg="a credit note, not an edit")
        self.assertEqual(credit.reversed_entry_id, invoice)
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(credit.amount_total, invoice.amount_total, places=2)

    def test_an_order_that_cannot_be_invoiced_keeps_its_error_and_others_go_on(self):
        self.account.invoice_policy_fbm = "import"
        good = self.order_payload("IT-ERR-1")
        bad = self.order_payload(
            "IT-ERR-2", items=[make_item(sku="MOKA-1", quantity=1, unit="30.00")]
        )
        self.product2.property_account_income_id = self.env["account.account"].create(
            {
                "name": "Deprecated income",
                "code": "AMZDEP1",
                "account_type": "income",
                "deprecated": True,
            }
        )
        orders = self.import_orders([good, bad])
        self.assertEqual(
            self.invoice_of(orders[0]).state, "posted", msg="the rest goes on"
        )
        self.assertFalse(orders[1].invoice_ids)
        self.assertTrue(orders[1].amazon_invoice_error, msg="the error is on the order")

    def test_an_order_whose_currency_was_deactivated_is_still_invoiced(self):
        payload = self.order_payload(
            "UK-CUR-1",
            country="GB",
            marketplace=UK,
            currency="GBP",
            items=[make_item(sku="CUP-1", quantity=1, unit="10.00", currency="GBP")],
        )
        order = self.import_orders([payload])
        self.gbp.active = False  # e.g. a rolled-back batch took the activation back
        self.ship(order)
        self.assertEqual(self.invoice_of(order).state, "posted")
        self.assertFalse(order.amazon_invoice_error)

    def test_a_warehouse_user_without_amazon_or_invoicing_rights_ships_and_invoices(
        self,
    ):
        order = self.import_orders([self.order_payload("IT-WH-1")])
        user = new_test_user(
            self.env,
            login="amazon_warehouse",
            groups="stock.group_stock_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        picking = order.picking_ids.with_user(user)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking._action_done()
        self.assertEqual(
            self.invoice_of(order).state,
            "posted",
            msg="the account's policy invoices, whoever validates",
        )
