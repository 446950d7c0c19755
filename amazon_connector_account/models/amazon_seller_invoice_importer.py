# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's invoices to the seller (Finances Invoices 2026-06-25 ``getInvoiceHeaders``
and ``getInvoice``) become vendor bills of Amazon's EU entity.

Each line's expense and purchase tax come from the fee mapping its description
names (the company's tax on Amazon's fees otherwise: for an Italian company the
reverse charge on services from another EU state). The bill's payable account is the
fees clearing account: it credits what the settlements debited for the same fees,
and the two are reconciled, so a fee is expensed once. The settlement fee lines of
the billing period are linked to the bill. Idempotent by Amazon's invoice id.
"""

from datetime import timedelta, timezone

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.amazon_connector.exceptions import AmazonError

OP_GET_INVOICE_HEADERS = "financesInvoices.getInvoiceHeaders"
OP_GET_INVOICE = "financesInvoices.getInvoice"
SYNC_KIND_SELLER_INVOICES = "seller_invoices"
# getInvoiceHeaders: at most 90 days between fromIssueDate and toIssueDate.
MAX_WINDOW = timedelta(days=90)
# Invoices that are not Amazon's to the seller (AP_INVENTORY: a vendor's invoice).
SELLER_INVOICE_TYPES = ("OTHER",)
REJECTED = "REJECTED"


class AmazonSellerInvoiceImporter(models.AbstractModel):
    _name = "amazon.seller.invoice.importer"
    _description = "Amazon Invoices to the Seller Import"

    @api.model
    def _now(self):
        return fields.Datetime.now()

    @api.model
    def _iso(self, moment):
        return moment.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")

    @api.model
    def _run(self, account, trigger="manual"):
        """Read the invoices issued since the last run and make their bills.

        :return: amazon.sync.log of the run
        """
        account.ensure_one()
        with account._sync_run(SYNC_KIND_SELLER_INVOICES, trigger=trigger) as run:
            end = self._now() - timedelta(minutes=3)
            start = max(
                account.seller_invoice_import_from or end - MAX_WINDOW,
                end - MAX_WINDOW,
            )
            try:
                for header in self._fetch_headers(account, start, end):
                    run.stats["fetched"] += 1
                    self._import_one(account, header, run.log, run.stats)
                account.sudo().seller_invoice_import_from = end
            except AmazonError as exc:
                run.stop(exc)
            run.finish()
        return run.log

    @api.model
    def _marketplace(self, account):
        return (
            account.home_marketplace_id or account.active_marketplace_ids[:1]
        ).marketplace_id

    @api.model
    def _fetch_headers(self, account, start, end):
        token = None
        while True:
            params = {
                "marketplaceId": self._marketplace(account),
                "fromIssueDate": self._iso(start),
                "toIssueDate": self._iso(end),
            }
            if token:
                params["nextToken"] = token
            data = account._spapi_call(OP_GET_INVOICE_HEADERS, **params) or {}
            yield from [h for h in data.get("invoices") or [] if isinstance(h, dict)]
            token = data.get("nextToken")
            if not token:
                return

    @api.model
    def _fetch_items(self, account, identifier):
        items, token, header = [], None, None
        while True:
            params = {
                "marketplaceId": self._marketplace(account),
                "invoiceIdentifier": identifier,
            }
            if token:
                params["nextTokenForLineItems"] = token
            data = account._spapi_call(OP_GET_INVOICE, **params) or {}
            header = header or data.get("invoiceHeader")
            items += [i for i in data.get("invoiceItems") or [] if isinstance(i, dict)]
            token = data.get("nextTokenForLineItems")
            if not token:
                return header, items

    @api.model
    def _import_one(self, account, header, log, stats):
        identifier = header.get("invoiceIdentifier")
        company = account.company_id
        if (
            not identifier
            or header.get("invoiceType") not in SELLER_INVOICE_TYPES
            or header.get("invoiceStatus") == REJECTED
            or self._find_bill(company, identifier)
        ):
            stats["skipped"] += 1
            return
        try:
            _header, items = self._fetch_items(account, identifier)
            with self.env.cr.savepoint():
                self._make_bill(account, header, items)
            stats["created"] += 1
        except (UserError, ValidationError, ValueError, KeyError, TypeError) as error:
            stats["failed"] += 1
            log._add_line(identifier, str(error))

    @api.model
    def _find_bill(self, company, identifier):
        return self.env["account.move"].search(
            [
                ("company_id", "=", company.id),
                ("amazon_seller_invoice_ref", "=", identifier),
            ],
            limit=1,
        )

    @api.model
    def _amount(self, money):
        return float((money or {}).get("currencyAmount") or 0.0)

    @api.model
    def _untaxed(self, item):
        for breakdown in item.get("totalAmountBreakdown") or []:
            if breakdown.get("breakdownType") == "ItemCostWithoutTax":
                return self._amount(breakdown.get("breakdownAmount"))
        return self._amount(item.get("totalAmount"))

    @api.model
    def _item_mapping(self, company, item):
        """The fee mapping whose breakdown the item's description names."""
        description = (item.get("lineItemContext") or {}).get("itemDescription") or ""
        fees = self.env["amazon.settlement.mapping"].search(
            [("company_id", "=", company.id), ("kind", "=", "fee")]
        )
        words = description.replace("-", " ").lower()
        for mapping in fees.sorted(lambda m: -len(m.breakdown_type or "")):
            name = (mapping.breakdown_type or "").lower()
            if name and name in words.replace(" ", ""):
                return mapping
        return fees.filtered(lambda m: m.breakdown_type == "AmazonFees")[:1]

    @api.model
    def _make_bill(self, account, header, items):
        company = account.company_id
        if not company._amazon_settlement_setup():
            raise UserError(self.env._("The company has no chart of accounts."))
        code = (header.get("invoiceAmount") or {}).get("currencyCode")
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", code)], limit=1)
        )
        if not currency:
            raise UserError(self.env._("Unknown currency %s.", code))
        issued = fields.Date.to_date((header.get("issueDate") or "")[:10])
        default_expense = self.env["amazon.settlement.mapping"]._default_accounts(
            company
        )["fee_expense"]
        lines = []
        for item in items:
            mapping = self._item_mapping(company, item)
            tax = mapping.tax_id or company.amazon_fee_tax_id
            context = item.get("lineItemContext") or {}
            lines.append(
                Command.create(
                    {
                        "name": context.get("itemDescription")
                        or item.get("lineItemId"),
                        "quantity": 1,
                        "price_unit": self._untaxed(item),
                        "account_id": (mapping.account_id or default_expense).id,
                        "tax_ids": [Command.set(tax.ids)],
                        "analytic_distribution": mapping.analytic_distribution,
                    }
                )
            )
        if not lines:
            raise UserError(self.env._("Amazon's invoice has no lines."))
        bill = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .with_context(default_move_type="in_invoice", tracking_disable=True)
            .create(
                {
                    "move_type": "in_invoice",
                    "company_id": company.id,
                    "partner_id": company.amazon_vendor_partner_id.id,
                    "currency_id": currency.id,
                    "invoice_date": issued,
                    "ref": header.get("invoiceNumber"),
                    "amazon_seller_invoice_ref": header["invoiceIdentifier"],
                    "amazon_account_id": account.id,
                    "invoice_line_ids": lines,
                }
            )
        )
        bill.action_post()
        self._link_fee_lines(account, bill, header)
        company._amazon_reconcile_fees_clearing()
        return bill

    @api.model
    def _link_fee_lines(self, account, bill, header):
        """The settlement fee lines this bill invoices: those of the settlements
        whose payout the invoice names (``UNIQUE_PAYMENT_IDS``: Amazon deducted it
        from that payout), else those posted in its billing period."""
        domain = [
            ("settlement_id.account_id", "=", account.id),
            ("vendor_bill_id", "=", False),
            ("currency_id", "=", bill.currency_id.id),
        ]
        payouts = [
            value
            for ident in header.get("relatedIdentifiers") or []
            if ident.get("relatedIdentifierName") == "UNIQUE_PAYMENT_IDS"
            for value in ident.get("relatedIdentifierValue") or []
        ]
        period = header.get("billingPeriod") or {}
        if payouts and self.env["amazon.settlement"].search_count(
            [("account_id", "=", account.id), ("payout_reference", "in", payouts)]
        ):
            domain.append(("settlement_id.payout_reference", "in", payouts))
        elif period:
            domain += [
                ("posted_date", ">=", self._datetime(period["startDate"])),
                ("posted_date", "<=", self._datetime(period["endDate"])),
            ]
        else:
            return
        lines = self.env["amazon.settlement.line"].search(domain)
        index = self.env["amazon.settlement.mapping"]._index(account.company_id)
        Mapping = self.env["amazon.settlement.mapping"]
        fee_lines = lines.filtered(
            lambda x: (
                Mapping._find(
                    index, x.transaction_type, x.breakdown_type, x.breakdown_path
                ).kind
                == "fee"
            )
        )
        fee_lines.sudo().write({"vendor_bill_id": bill.id})

    @api.model
    def _datetime(self, value):
        return fields.Datetime.to_datetime(str(value)[:19].replace("T", " "))
