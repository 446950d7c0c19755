# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.amazon_connector.exceptions import AmazonError

from .amazon_vendor_const import (
    INVOICE_TAX_TYPES,
    INVOICE_TYPE_CREDIT_NOTE,
    INVOICE_TYPE_INVOICE,
    OP_SUBMIT_INVOICES,
    UOM_EACHES,
)
from .amazon_vendor_tools import decimal_text, money, to_iso


class AccountMove(models.Model):
    """Customer invoices of Amazon Retail purchase orders go to Amazon.

    Amazon pays a vendor only against an invoice that names its purchase orders
    (Vendor Invoices API ``submitInvoices``): the items, their net costs and the
    taxes, under the vendor code that received the orders.
    """

    _inherit = "account.move"

    amazon_vendor_order_ids = fields.Many2many(
        "amazon.vendor.order",
        compute="_compute_amazon_vendor_order_ids",
        string="Amazon Purchase Orders",
    )
    amazon_vendor_invoice_state = fields.Selection(
        [("sent", "Submitted"), ("error", "Refused")],
        string="Amazon Invoice",
        readonly=True,
        copy=False,
        tracking=True,
    )
    amazon_vendor_invoice_transaction = fields.Char(
        string="Amazon Transaction", readonly=True, copy=False
    )
    amazon_vendor_invoice_date = fields.Datetime(
        string="Submitted to Amazon On", readonly=True, copy=False
    )
    amazon_vendor_invoice_error = fields.Text(
        string="Amazon Refusal", readonly=True, copy=False
    )

    amazon_order_ref = fields.Char(
        string="Amazon Order",
        compute="_compute_amazon_order_ref",
        store=True,
        index="btree_not_null",
        help="Amazon's id of the order(s) this invoice bills.",
    )

    @api.depends("invoice_line_ids.sale_line_ids.order_id.amazon_order_id")
    def _compute_amazon_order_ref(self):
        for move in self:
            refs = move.invoice_line_ids.sale_line_ids.order_id.mapped(
                "amazon_order_id"
            )
            move.amazon_order_ref = ", ".join(sorted(set(refs))) or False

    @api.depends("invoice_line_ids.sale_line_ids")
    def _compute_amazon_vendor_order_ids(self):
        for move in self:
            orders = move.invoice_line_ids.sale_line_ids.order_id
            move.amazon_vendor_order_ids = orders.amazon_vendor_order_ids.filtered(
                lambda b: b.kind == "retail"
            )

    def action_amazon_vendor_submit_invoice(self):
        """Submit the posted invoice (or credit note) to Amazon.

        A refusal is kept on the invoice (not raised), so that it survives.

        :raise UserError: the invoice is not a posted invoice of Amazon orders
        """
        for move in self:
            move._amazon_vendor_check_submittable()
            body = move._amazon_vendor_prepare_invoice_body()
            account = move.amazon_vendor_order_ids[:1].account_id
            try:
                payload = account._spapi_call(OP_SUBMIT_INVOICES, body=body)
            except AmazonError as error:
                move.write(
                    {
                        "amazon_vendor_invoice_state": "error",
                        "amazon_vendor_invoice_error": str(error),
                    }
                )
                continue
            move.write(
                {
                    "amazon_vendor_invoice_state": "sent",
                    "amazon_vendor_invoice_transaction": (payload or {}).get(
                        "transactionId"
                    ),
                    "amazon_vendor_invoice_date": fields.Datetime.now(),
                    "amazon_vendor_invoice_error": False,
                }
            )
        return True

    def _amazon_vendor_check_submittable(self):
        self.ensure_one()
        if (
            self.move_type not in ("out_invoice", "out_refund")
            or self.state != "posted"
        ):
            raise UserError(
                self.env._("Only posted customer invoices can be sent to Amazon.")
            )
        if not self.amazon_vendor_order_ids:
            raise UserError(
                self.env._("%s invoices no Amazon purchase order.", self.name)
            )
        if len(set(self.amazon_vendor_order_ids.mapped("selling_party_id"))) > 1:
            raise UserError(
                self.env._(
                    "%s invoices purchase orders of several vendor codes: one "
                    "invoice per vendor code.",
                    self.name,
                )
            )
        if self.amazon_vendor_invoice_state == "sent":
            raise UserError(self.env._("%s is already submitted.", self.name))

    # --- the body -------------------------------------------------------------------
    def _amazon_vendor_prepare_invoice_body(self):
        """``SubmitInvoicesRequest`` (vendorInvoices v1) of this invoice."""
        self.ensure_one()
        orders = self.amazon_vendor_order_ids
        currency = self.currency_id
        taxes = defaultdict(lambda: {"amount": 0.0, "base": 0.0})
        items = []
        for line in self.invoice_line_ids.filtered(
            lambda lin: lin.display_type == "product" and lin.sale_line_ids
        ):
            item, line_taxes = self._amazon_vendor_prepare_item(line, orders)
            if not item:
                continue
            items.append(item)
            for tax, amounts in line_taxes.items():
                taxes[tax]["amount"] += amounts["amount"]
                taxes[tax]["base"] += amounts["base"]
        invoice = {
            "invoiceType": INVOICE_TYPE_CREDIT_NOTE
            if self.move_type == "out_refund"
            else INVOICE_TYPE_INVOICE,
            "id": self.name,
            "date": to_iso(fields.Datetime.to_datetime(self.invoice_date)),
            "remitToParty": self._amazon_vendor_remit_to(orders),
            "invoiceTotal": money(self.amount_total, currency),
            "items": items,
        }
        if self.ref:
            invoice["referenceNumber"] = self.ref[:64]
        if orders[:1].ship_to_party_id:
            invoice["shipToParty"] = {"partyId": orders[:1].ship_to_party_id}
        bill_to = self._amazon_vendor_bill_to(orders)
        if bill_to:
            invoice["billToParty"] = bill_to
        if taxes:
            invoice["taxDetails"] = [
                self._amazon_vendor_tax_detail(tax, amounts, currency)
                for tax, amounts in taxes.items()
            ]
        if self.move_type == "out_refund" and self.reversed_entry_id:
            for item in items:
                item["creditNoteDetails"] = {
                    "referenceInvoiceNumber": self.reversed_entry_id.name
                }
        return {"invoices": [invoice]}

    def _amazon_vendor_prepare_item(self, line, orders):
        """``InvoiceItem`` of one invoice line, and its taxes per tax record."""
        sale_line = line.sale_line_ids[:1]
        vendor_line = orders.line_ids.filtered(lambda v: v.sale_line_id == sale_line)[
            :1
        ]
        if not vendor_line:
            return None, {}
        currency = self.currency_id
        quantity = line.product_uom_id._compute_quantity(
            line.quantity, line.product_id.uom_id
        )
        unit_net = line.price_subtotal / line.quantity if line.quantity else 0.0
        result = line.tax_ids.compute_all(
            unit_net,
            currency=currency,
            quantity=line.quantity,
            product=line.product_id,
            partner=self.partner_id,
        )
        line_taxes = {}
        for tax_result in result["taxes"]:
            tax = self.env["account.tax"].browse(tax_result["id"])
            line_taxes[tax] = {
                "amount": tax_result["amount"],
                "base": tax_result["base"],
            }
        item = {
            "itemSequenceNumber": int(vendor_line.item_sequence_number),
            "invoicedQuantity": {
                "amount": int(round(quantity)),
                "unitOfMeasure": UOM_EACHES,
            },
            "netCost": money(unit_net, currency),
            "purchaseOrderNumber": vendor_line.vendor_order_id.name,
        }
        if vendor_line.amazon_product_identifier:
            item["amazonProductIdentifier"] = vendor_line.amazon_product_identifier
        if vendor_line.vendor_product_identifier:
            item["vendorProductIdentifier"] = vendor_line.vendor_product_identifier
        if line_taxes:
            item["taxDetails"] = [
                self._amazon_vendor_tax_detail(tax, amounts, currency)
                for tax, amounts in line_taxes.items()
            ]
        return item, line_taxes

    def _amazon_vendor_tax_detail(self, tax, amounts, currency):
        group = tax.tax_group_id.name or ""
        detail = {
            "taxType": group if group in INVOICE_TAX_TYPES else "VAT",
            "taxAmount": money(abs(amounts["amount"]), currency),
            "taxableAmount": money(abs(amounts["base"]), currency),
        }
        if tax.amount_type == "percent":
            detail["taxRate"] = decimal_text(tax.amount)
        return detail

    def _amazon_vendor_remit_to(self, orders):
        """The vendor: its vendor code, address and VAT number."""
        company = self.company_id
        party = {"partyId": orders[:1].selling_party_id}
        if company.street and company.country_id:
            address = {
                "name": company.name,
                "addressLine1": company.street,
                "countryCode": company.country_id.code,
            }
            for key, value in (
                ("addressLine2", company.street2),
                ("city", company.city),
                ("stateOrRegion", company.state_id.code),
                ("postalOrZipCode", company.zip),
            ):
                if value:
                    address[key] = value
            party["address"] = address
        if company.vat:
            party["taxRegistrationDetails"] = [
                {"taxRegistrationType": "VAT", "taxRegistrationNumber": company.vat}
            ]
        return party

    def _amazon_vendor_bill_to(self, orders):
        """Amazon's billed entity; its VAT number comes from the invoice partner,
        since purchase orders do not carry it."""
        party_id = orders[:1].bill_to_party_id or orders[:1].buying_party_id
        if not party_id:
            return None
        party = {"partyId": party_id}
        vat = self.partner_id.vat or self.commercial_partner_id.vat
        if vat:
            party["taxRegistrationDetails"] = [
                {"taxRegistrationType": "VAT", "taxRegistrationNumber": vat}
            ]
        return party
