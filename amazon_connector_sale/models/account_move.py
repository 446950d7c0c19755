# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..const import (
    DF_UOM_EACH,
    INVOICE_TAX_TYPES,
    INVOICE_TYPE_CREDIT_NOTE,
    INVOICE_TYPE_INVOICE,
    UOM_EACHES,
)
from ..utils import decimal_text, money, to_iso

INVOICE_STATES = [
    ("pending", "Waiting to be sent"),
    ("sent", "Submitted, processing"),
    ("accepted", "Accepted by Amazon"),
    ("error", "Rejected by Amazon"),
    ("unknown", "Outcome unknown"),
]
# The invoice state shown for each state of its outbox message.
OUTBOX_TO_INVOICE_STATE = {
    "pending": "pending",
    "sending": "pending",
    "sent": "sent",
    "accepted": "accepted",
    "rejected": "error",
    "unknown": "unknown",
    "cancelled": False,
}


class AccountMove(models.Model):
    """Customer invoices of Amazon vendor orders go to Amazon.

    Amazon pays a vendor only against an invoice that names its purchase orders:
    Retail through Vendor Invoices ``submitInvoices``, Direct Fulfillment through
    DF Payments ``submitInvoice``. The invoice is checked first against what
    Amazon needs (for EU marketplaces: the vendor's VAT number and address, the
    bill-to party's VAT, taxes with rates on every line), then sent once through
    the outbox, and Amazon's verdict is read back.
    """

    _inherit = "account.move"

    amazon_vendor_order_ids = fields.Many2many(
        "amazon.vendor.order",
        compute="_compute_amazon_vendor_order_ids",
        string="Amazon Purchase Orders",
    )
    amazon_vendor_invoice_state = fields.Selection(
        INVOICE_STATES,
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
        string="Amazon's Answer", readonly=True, copy=False
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
            # Invoices of orders that are not Amazon's have no id (False).
            move.amazon_order_ref = ", ".join(sorted(set(filter(None, refs)))) or False

    @api.depends("invoice_line_ids.sale_line_ids")
    def _compute_amazon_vendor_order_ids(self):
        for move in self:
            orders = move.invoice_line_ids.sale_line_ids.order_id
            move.amazon_vendor_order_ids = orders.amazon_vendor_order_ids

    def action_amazon_vendor_submit_invoice(self):
        """Queue the posted invoice (or credit note) for Amazon.

        Checked first (``_amazon_vendor_check_submittable`` and
        ``_amazon_vendor_check_invoice_data``); the outbox job sends it after the
        commit and reads Amazon's verdict back onto the invoice.

        :raise UserError: not a posted invoice of Amazon orders, already
            submitted, or data Amazon needs is missing (named in the message)
        :raise AccessError: the user is not an Amazon manager of the orders' account
        """
        self.check_access("write")
        self.env["amazon.account"]._check_amazon_manager(
            self.sudo().amazon_vendor_order_ids.account_id.with_env(self.env)
        )
        outbox = self.env["amazon.outbox.message"]
        for move in self:
            move._amazon_vendor_check_submittable()
            move._amazon_vendor_check_invoice_data()
            orders = move.amazon_vendor_order_ids
            if orders[:1].kind == "df":
                body = move._amazon_vendor_prepare_df_invoice_body()
                kind = "df_invoice"
            else:
                body = move._amazon_vendor_prepare_invoice_body()
                kind = "credit_note" if move.move_type == "out_refund" else "invoice"
            move.write(
                {
                    "amazon_vendor_invoice_state": "pending",
                    "amazon_vendor_invoice_error": False,
                }
            )
            outbox._post(
                orders[:1].account_id, kind, move, body, key=move.name, move_id=move.id
            )
        return True

    def _amazon_outbox_updated(self, message):
        """Show Amazon's verdict on the invoice."""
        self.ensure_one()
        self.write(
            {
                "amazon_vendor_invoice_state": OUTBOX_TO_INVOICE_STATE[message.state],
                "amazon_vendor_invoice_transaction": message.transaction_id,
                "amazon_vendor_invoice_date": message.sent_date,
                "amazon_vendor_invoice_error": message.error
                if message.state in ("rejected", "unknown")
                else False,
            }
        )
        if message.state in ("accepted", "rejected"):
            self.message_post(body=self.env._("Amazon: %s", message.verdict))

    def _amazon_vendor_check_submittable(self):
        self.ensure_one()
        if (
            self.move_type not in ("out_invoice", "out_refund")
            or self.state != "posted"
        ):
            raise UserError(
                self.env._("Only posted customer invoices can be sent to Amazon.")
            )
        orders = self.amazon_vendor_order_ids
        if not orders:
            raise UserError(
                self.env._("%s invoices no Amazon purchase order.", self.name)
            )
        if len(set(orders.mapped("selling_party_id"))) > 1:
            raise UserError(
                self.env._(
                    "%s invoices purchase orders of several vendor codes: one "
                    "invoice per vendor code.",
                    self.name,
                )
            )
        if len(set(orders.mapped("kind"))) > 1:
            raise UserError(
                self.env._(
                    "%s invoices Retail and Direct Fulfillment orders together: "
                    "Amazon takes them through different APIs, one invoice each.",
                    self.name,
                )
            )
        if orders[:1].kind == "df" and self.move_type == "out_refund":
            raise UserError(
                self.env._(
                    "Amazon takes no credit notes for Direct Fulfillment orders: "
                    "%s stays in Odoo.",
                    self.name,
                )
            )
        if self.amazon_vendor_invoice_state in (
            "pending",
            "sent",
            "accepted",
            "unknown",
        ):
            raise UserError(self.env._("%s is already submitted.", self.name))

    # --- what Amazon needs ----------------------------------------------------------
    def _amazon_vendor_is_eu(self):
        """Amazon's EU marketplaces need full tax data on invoices."""
        account = self.amazon_vendor_order_ids[:1].account_id
        country = account.home_marketplace_id.country_id or self.company_id.country_id
        europe = self.env.ref("base.europe", raise_if_not_found=False)
        return bool(country and europe and country in europe.country_ids)

    def _amazon_vendor_missing_data(self):
        """What Amazon needs that the invoice lacks, in words (empty: complete)."""
        self.ensure_one()
        if not self._amazon_vendor_is_eu():
            return []
        missing = []
        company = self.company_id
        if not company.vat:
            missing.append(self.env._("the VAT number of %s", company.name))
        address = [
            label
            for label, value in (
                (self.env._("street"), company.street),
                (self.env._("city"), company.city),
                (self.env._("ZIP"), company.zip),
                (self.env._("country"), company.country_id),
            )
            if not value
        ]
        if address:
            missing.append(
                self.env._(
                    "the address of %(company)s (%(fields)s)",
                    company=company.name,
                    fields=", ".join(address),
                )
            )
        orders = self.amazon_vendor_order_ids
        if not self._amazon_vendor_bill_to_vat(orders):
            missing.append(
                self.env._(
                    "the VAT number of Amazon's bill-to party %s (Amazon > "
                    "Configuration > Vendor parties)",
                    orders[:1].bill_to_party_id or orders[:1].buying_party_id or "-",
                )
            )
        for line in self.invoice_line_ids.filtered(
            lambda lin: lin.display_type == "product" and lin.sale_line_ids
        ):
            if not line.tax_ids:
                missing.append(
                    self.env._(
                        "the taxes of line %s", line.name or line.product_id.name
                    )
                )
            elif any(tax.amount_type != "percent" for tax in line.tax_ids):
                missing.append(
                    self.env._(
                        "a tax rate on line %s (only percentage taxes carry one)",
                        line.name or line.product_id.name,
                    )
                )
        return missing

    def _amazon_vendor_check_invoice_data(self):
        missing = self._amazon_vendor_missing_data()
        if missing:
            raise UserError(
                self.env._(
                    "%(invoice)s cannot be sent to Amazon, which would not pay it. "
                    "Missing: %(missing)s.",
                    invoice=self.name,
                    missing="; ".join(missing),
                )
            )

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

    def _amazon_vendor_bill_to_vat(self, orders):
        """The bill-to party's VAT number: purchase orders do not carry it, so it
        comes from the vendor party configured for Amazon's bill-to or buying
        party, else from the invoiced contact."""
        order = orders[:1]
        parties = self.env["amazon.vendor.party"].search(
            [
                ("account_id", "=", order.account_id.id),
                "|",
                "&",
                ("role", "=", "bill_to"),
                ("party_id", "=", order.bill_to_party_id or ""),
                "&",
                ("role", "=", "buying"),
                ("party_id", "=", order.buying_party_id or ""),
            ]
        )
        for party in parties.sorted(lambda p: p.role != "bill_to"):
            if party.vat or party.partner_id.vat:
                return party.vat or party.partner_id.vat
        return self.partner_id.vat or self.commercial_partner_id.vat or False

    def _amazon_vendor_bill_to(self, orders):
        """Amazon's billed entity, with its VAT number (see ``_bill_to_vat``)."""
        party_id = orders[:1].bill_to_party_id or orders[:1].buying_party_id
        if not party_id:
            return None
        party = {"partyId": party_id}
        vat = self._amazon_vendor_bill_to_vat(orders)
        if vat:
            party["taxRegistrationDetails"] = [
                {"taxRegistrationType": "VAT", "taxRegistrationNumber": vat}
            ]
        return party

    # --- Direct Fulfillment (DF Payments v1 submitInvoice) -------------------------
    def _amazon_vendor_prepare_df_invoice_body(self):
        """``SubmitInvoiceRequest`` (DF Payments v1) of this invoice."""
        self.ensure_one()
        orders = self.amazon_vendor_order_ids
        currency = self.currency_id
        items, totals = [], defaultdict(lambda: {"amount": 0.0, "base": 0.0})
        for line in self.invoice_line_ids.filtered(
            lambda lin: lin.display_type == "product" and lin.sale_line_ids
        ):
            item, line_taxes = self._amazon_vendor_prepare_item(line, orders)
            if not item:
                continue
            vendor_line = orders.line_ids.filtered(
                lambda v, line=line: v.sale_line_id == line.sale_line_ids[:1]
            )[:1]
            df_item = {
                "itemSequenceNumber": str(item["itemSequenceNumber"]),
                "invoicedQuantity": {
                    "amount": item["invoicedQuantity"]["amount"],
                    "unitOfMeasure": DF_UOM_EACH,
                },
                "netCost": item["netCost"],
                "purchaseOrderNumber": item["purchaseOrderNumber"],
                "vendorOrderNumber": vendor_line.sale_line_id.order_id.name,
            }
            if vendor_line.amazon_product_identifier:
                df_item["buyerProductIdentifier"] = (
                    vendor_line.amazon_product_identifier
                )
            if vendor_line.vendor_product_identifier:
                df_item["vendorProductIdentifier"] = (
                    vendor_line.vendor_product_identifier
                )
            if line_taxes:
                df_item["taxDetails"] = [
                    self._amazon_vendor_df_tax_detail(tax, amounts, currency)
                    for tax, amounts in line_taxes.items()
                ]
            items.append(df_item)
            for tax, amounts in line_taxes.items():
                totals[tax]["amount"] += amounts["amount"]
                totals[tax]["base"] += amounts["base"]
        remit = self._amazon_vendor_remit_to(orders)
        remit.pop("address", None)
        address = self._amazon_vendor_df_address()
        if address:
            remit["address"] = address
        invoice = {
            "invoiceNumber": self.name,
            "invoiceDate": to_iso(fields.Datetime.to_datetime(self.invoice_date)),
            "remitToParty": remit,
            "shipFromParty": {"partyId": orders[:1].ship_from_party_id},
            "invoiceTotal": money(self.amount_total, currency),
            "items": items,
        }
        if self.ref:
            invoice["referenceNumber"] = self.ref[:64]
        bill_to = self._amazon_vendor_bill_to(orders)
        if bill_to:
            invoice["billToParty"] = bill_to
        ship_to = self.partner_shipping_id.country_id.code
        if ship_to:
            invoice["shipToCountryCode"] = ship_to
        if totals:
            invoice["taxTotals"] = [
                self._amazon_vendor_df_tax_detail(tax, amounts, currency)
                for tax, amounts in totals.items()
            ]
        return {"invoices": [invoice]}

    def _amazon_vendor_df_address(self):
        """The company's ``Address`` of DF Payments (every part required there;
        the state falls back on the city where a country has no states)."""
        company = self.company_id
        if not (company.street and company.city and company.zip and company.country_id):
            return None
        address = {
            "name": company.name,
            "addressLine1": company.street,
            "city": company.city,
            "stateOrRegion": company.state_id.code or company.city,
            "postalCode": company.zip,
            "countryCode": company.country_id.code,
        }
        if company.street2:
            address["addressLine2"] = company.street2
        return address

    def _amazon_vendor_df_tax_detail(self, tax, amounts, currency):
        """DF Payments ``TaxDetail`` (``taxRate`` and ``taxableAmount`` as Retail)."""
        return self._amazon_vendor_tax_detail(tax, amounts, currency)
