# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import AmazonVendorCase, body_errors

INVOICES = "vendorInvoices.submitInvoices"


@tagged("post_install", "-at_install")
class TestVendorInvoice(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.vendor_df_import = False
        cls.company.write(
            {
                "street": "1 Vendor Street",
                "city": "Milano",
                "zip": "20100",
                "country_id": cls.env.ref("base.it").id,
                "vat": "IT12345670017",
            }
        )

    def configure_bill_to_vat(self, binding):
        party = self.env["amazon.vendor.party"].search(
            [
                ("account_id", "=", self.account.id),
                ("party_id", "=", binding.bill_to_party_id or binding.buying_party_id),
            ],
            limit=1,
        )
        party.vat = "LU20260743"

    def test_posted_invoice_is_submitted_with_items_and_taxes(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            binding = self.vendor_order("2JK3S9VC")
            binding.action_send_acknowledgement()
            self.run_outbox()
            invoice = binding.sale_order_id._create_invoices()
            invoice.action_post()
            self.assertEqual(invoice.amazon_vendor_order_ids, binding)
            self.configure_bill_to_vat(binding)
            invoice.action_amazon_vendor_submit_invoice()
            self.run_outbox()
        body = fake.bodies(INVOICES)[0]
        self.assertEqual(body_errors(INVOICES, body), [], msg="fits SubmitInvoices")
        sent = body["invoices"][0]
        self.assertEqual(sent["invoiceType"], "Invoice")
        self.assertEqual(sent["id"], invoice.name)
        self.assertEqual(sent["remitToParty"]["partyId"], "999US", msg="vendor code")
        self.assertEqual(sent["invoiceTotal"]["amount"], f"{invoice.amount_total:.2f}")
        self.assertEqual(
            {item["purchaseOrderNumber"] for item in sent["items"]}, {"2JK3S9VC"}
        )
        costs = {i["itemSequenceNumber"]: i["netCost"]["amount"] for i in sent["items"]}
        self.assertEqual(costs, {1: "346.27", 2: "229.47", 3: "412.71"})
        self.assertEqual(sent["taxDetails"][0]["taxRate"], "10")
        self.assertEqual(
            sent["taxDetails"][0]["taxAmount"]["amount"], f"{invoice.amount_tax:.2f}"
        )
        self.assertEqual(invoice.amazon_vendor_invoice_state, "accepted")
        self.assertEqual(
            sent["billToParty"]["taxRegistrationDetails"][0]["taxRegistrationNumber"],
            "LU20260743",
            msg="the bill-to VAT configured on Amazon's party",
        )
        self.assertTrue(invoice.amazon_vendor_invoice_transaction)
        with self.assertRaises(UserError, msg="submitted once"):
            invoice.action_amazon_vendor_submit_invoice()

    def test_draft_invoice_cannot_be_submitted(self):
        with self.fake_amazon(self.retail_orders()) as fake:
            self.sync(fake)
            binding = self.vendor_order("TestPO2")
            binding.action_send_acknowledgement()
            self.run_outbox()
            invoice = binding.sale_order_id._create_invoices()
            with self.assertRaises(UserError):
                invoice.action_amazon_vendor_submit_invoice()
