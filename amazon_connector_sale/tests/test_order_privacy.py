# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 11, sections 3 and 5: no copy of a buyer's data outlives the retention
(except the kept copy of issued invoices), and buyer text never becomes markup."""

import base64
import json
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..buyer_text import clean_text, text_to_html
from .common import AmazonOrderCase, AmazonVendorCase, df_example, make_item, make_order

NAME = "Gianna Canaryvolpe"
EMAIL = "gianna.canary@example.invalid"
PHONE = "02 9876 5432"
STREET = "Via Canarino 77"
GIFT = "Tanti auguri Giannina canary"
BEACON = '<img src="https://tracker.example.invalid/b.png">'


def canary_order(order_id="405-0000009-0000009", **kwargs):
    address = {
        "name": NAME,
        "addressLine1": STREET,
        "city": "Milano",
        "postalCode": "20121",
        "countryCode": "IT",
        "phone": PHONE,
    }
    kwargs.setdefault("items", [make_item(shipping="6.10")])
    return make_order(
        order_id=order_id,
        email=EMAIL,
        buyer_name=NAME,
        address=address,
        status="SHIPPED",
        **kwargs,
    )


@tagged("post_install", "-at_install")
class TestOrderPrivacy(AmazonOrderCase):
    def _age(self, order, days=31):
        order.amazon_closed_date = fields.Datetime.now() - timedelta(days=days)

    def _run_job(self):
        """As the scheduler runs it: no tracking_disable in the context."""
        counts = (
            self.env["amazon.order.anonymizer"]
            .with_context(tracking_disable=False)
            ._run(self.account)
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        return counts

    def _text_of(self, records, names):
        records.invalidate_recordset()
        return " ".join(str(records.mapped(name)) for name in names)

    def test_anonymization_leaves_no_tracking_value_or_message_with_old_values(self):
        self.sync([[canary_order()]])
        order = self.find_order("405-0000009-0000009")
        customer = order.partner_id
        # A user's earlier edit left the old phone in the contact's chatter.
        customer.with_context(tracking_disable=False).phone = "+39 333 0000000"
        self.env.flush_all()
        self.env.cr.precommit.run()
        self._age(order)
        self._run_job()
        trackings = self.env["mail.tracking.value"].search([])
        texts = self._text_of(trackings, ["old_value_char", "new_value_char"])
        for canary in (NAME, "333 0000000", EMAIL):
            self.assertNotIn(canary, texts, msg="no tracking value keeps old data")
        messages = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", customer.id)]
        )
        self.assertFalse(messages, msg="the contact's chatter is erased")

    def test_import_notes_and_gift_messages_are_erased_after_retention(self):
        order_data = canary_order(
            items=[make_item(shipping="6.10", gift_message=GIFT)],
            vat="IT99999999999",
        )
        self.sync([[order_data]])
        order = self.find_order("405-0000009-0000009")
        self.assertIn(GIFT, " ".join(order.order_line.mapped("name")))
        order.amazon_import_notes = "VAT refused for %s, phone %s" % (NAME, PHONE)
        self._age(order)
        self._run_job()
        self.assertFalse(order.amazon_import_notes, msg="import notes erased")
        self.assertNotIn(
            "Giannina", " ".join(order.order_line.mapped("name")), msg="gift message"
        )

    def confirm(self, order):
        """Paid orders arrive confirmed (the account's default); others are
        confirmed here, as a person would."""
        if order.state in ("draft", "sent"):
            order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_gift_message_never_goes_on_the_invoice(self):
        self.sync([[canary_order(items=[make_item(gift_message=GIFT)])]])
        order = self.find_order("405-0000009-0000009")
        self.confirm(order)
        invoice = order._create_invoices()
        self.assertNotIn(
            "Giannina",
            " ".join(invoice.invoice_line_ids.mapped("name")),
            msg="a gift message is never invoiced",
        )

    def test_posted_invoice_stays_as_issued_and_a_credit_note_follows(self):
        self.sync([[canary_order()]])
        order = self.find_order("405-0000009-0000009")
        self.confirm(order)
        invoice = order._create_invoices()
        invoice.action_post()
        customer = invoice.partner_id
        self._age(order)
        counts = self._run_job()
        invoice.invalidate_recordset()
        self.assertEqual(invoice.partner_id, customer, msg="the invoice is untouched")
        self.assertEqual(customer.name, NAME, msg="issued to this name")
        self.assertEqual(customer.street, STREET, msg="and this address")
        self.assertFalse(customer.active, msg="archived: out of everyday search")
        self.assertTrue(customer.amazon_invoice_copy)
        self.assertEqual(counts["kept"], 1)
        self.assertFalse(customer.email or customer.phone, msg="not on an invoice")
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", NAME)]),
            msg="not found by a search",
        )
        order.invalidate_recordset()
        self.assertEqual(order.partner_id.name, "Anonymized Amazon buyer")
        self.assertEqual(order.partner_shipping_id.name, "Anonymized Amazon buyer")
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "return"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.action_post()
        self.assertEqual(refund.partner_id, customer, msg="credit note as issued")
        self.assertEqual(refund.state, "posted")

    def test_report_email_is_erased_after_retention(self):
        self.account.order_notify_partner_ids = self.env["res.partner"].create(
            {"name": "Back office", "email": "office@example.com"}
        )
        self.sync([[canary_order()]])
        order = self.find_order("405-0000009-0000009")
        mails = self.env["mail.mail"].search([("body_html", "ilike", NAME)])
        self.assertTrue(mails, msg="the report names the customer")
        self._age(order)
        self._run_job()
        self.assertFalse(self.env["mail.mail"].search([("body_html", "ilike", NAME)]))
        self.assertFalse(self.env["mail.message"].search([("body", "ilike", NAME)]))

    def test_failure_payload_is_not_filled_again_once_anonymized(self):
        order_data = canary_order(items=[make_item(sku="NOPE")])
        self.sync([[order_data]])
        failure = self.env["amazon.order.failure"].search([])
        self.env.cr.execute(
            "UPDATE amazon_order_failure SET create_date = now() - interval '40 days'"
            " WHERE id = %s",
            [failure.id],
        )
        failure.invalidate_recordset()
        self._run_job()
        self.assertTrue(failure.payload_anonymized)
        self.assertNotIn(NAME, failure.payload)
        self.sync([[dict(order_data, lastUpdatedTime="2026-03-04T08:00:00Z")]])
        failure.invalidate_recordset()
        self.assertGreater(failure.retry_count, 0, msg="the order came again")
        for canary in (NAME, STREET, EMAIL, "9876"):
            self.assertNotIn(canary, failure.payload, msg="payload not re-filled")

    def test_connector_files_of_anonymized_orders_are_deleted(self):
        self.sync([[canary_order()]])
        order = self.find_order("405-0000009-0000009")
        Attachment = self.env["ir.attachment"]
        label = Attachment.create(
            {
                "name": "label.pdf",
                "datas": base64.b64encode(NAME.encode()),
                "res_model": "sale.order",
                "res_id": order.id,
                "amazon_personal_data": True,
            }
        )
        other = Attachment.create(
            {
                "name": "user-upload.txt",
                "datas": base64.b64encode(b"kept"),
                "res_model": "sale.order",
                "res_id": order.id,
            }
        )
        self._age(order)
        counts = self._run_job()
        self.assertEqual(counts["files"], 1)
        self.assertFalse(label.exists(), msg="the connector's label is deleted")
        self.assertTrue(other.exists(), msg="files not marked are not ours")

    # --- section 5: buyer text and HTML -----------------------------------------
    def test_buyer_markup_is_escaped_in_the_contact_note(self):
        self.sync(
            [[make_order(company="ACME " + BEACON, buyer_name="Mario " + BEACON)]]
        )
        customer = self.find_order("405-0000001-0000001").partner_id
        self.assertNotIn("<img", str(customer.comment), msg="no image, no beacon")
        self.assertIn("&lt;img", str(customer.comment), msg="shown as text")

    def test_bidirectional_controls_are_removed_from_buyer_text(self):
        spoof = "Mario \u202eexe.gpj\u202c Rossi\u2066\u200f\u061c"
        self.sync([[make_order(buyer_name=spoof, email=None)]])
        order = self.find_order("405-0000001-0000001")
        for partner in order.partner_id | order.partner_shipping_id:
            self.assertEqual(partner.name, "Mario exe.gpj Rossi")

    def test_cancellation_activity_note_escapes_amazon_text(self):
        self.sync([[make_order()]])
        order = self.find_order("405-0000001-0000001")
        self.confirm(order)
        order._create_invoices().action_post()
        order.amazon_order_id = BEACON
        self.env["amazon.order.importer"]._cancel_sale_order(order, {})
        note = str(order.activity_ids.note)
        self.assertNotIn("<img", note, msg="Amazon's text is escaped")
        self.assertIn("&lt;img", note)


@tagged("post_install", "-at_install")
class TestVendorDfPrivacy(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.vendor_retail_import = False

    def _df_order(self, **address):
        orders = df_example()["orders"]
        orders[0]["orderDetails"]["shipToParty"].update(address)
        orders[0]["orderDetails"]["shipmentDetails"]["messageToCustomer"] = GIFT
        return orders

    def test_df_end_customer_is_anonymized_after_retention(self):
        with self.fake_amazon(df_orders=self._df_order(name=NAME)) as fake:
            self.sync(fake)
        order = self.vendor_order("2JK3S9VC").sale_order_id
        self.assertIn(GIFT, order.amazon_import_notes)
        order.amazon_closed_date = fields.Datetime.now() - timedelta(days=31)
        self.env["ir.cron"].browse(
            self.env.ref("amazon_connector_sale.ir_cron_amazon_order_data_retention").id
        ).method_direct_trigger()
        delivery = order.partner_shipping_id
        self.assertEqual(delivery.name, "Anonymized Amazon buyer", msg="end customer")
        self.assertFalse(delivery.street or delivery.phone)
        self.assertFalse(order.amazon_import_notes, msg="message to the customer")

    def test_df_attention_is_escaped_and_long_names_are_cut(self):
        orders = self._df_order(name="x" * 10000, attention="Ms " + BEACON)
        orders[0]["orderDetails"]["items"][0]["title"] = "t\u202e" * 5000
        with self.fake_amazon(df_orders=orders) as fake:
            self.sync(fake)
        binding = self.vendor_order("2JK3S9VC")
        delivery = binding.sale_order_id.partner_shipping_id
        self.assertLessEqual(len(delivery.name), 256, msg="cut at 256 characters")
        title = binding.line_ids[:1].title
        self.assertLessEqual(len(title), 256, msg="item title cut")
        self.assertNotIn("\u202e", title, msg="no bidirectional control")
        self.assertNotIn("<img", str(delivery.comment), msg="no beacon")
        self.assertIn("&lt;img", str(delivery.comment))


@tagged("post_install", "-at_install")
class TestBuyerText(AmazonOrderCase):
    def test_buyer_text_helpers_strip_controls_and_escape(self):
        self.assertEqual(clean_text("a\u202eb\x00c\u200fd", 256), "ab cd")
        self.assertEqual(len(clean_text("y" * 300)), 256)
        html = str(text_to_html(BEACON + "\nline 2"))
        self.assertNotIn("<img", html)
        self.assertIn("<br/>", html)
        self.assertNotIn("<a ", html, msg="no link made of buyer text")
        self.assertEqual(json.loads(json.dumps(clean_text(None))), "")
