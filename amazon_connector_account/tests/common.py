# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An Italian company (Odoo's l10n_it chart, EUR, l10n_eu_oss positions) selling
on amazon.it, .de, .fr and .co.uk; orders shaped like the 2026 ``Order`` model."""

import copy
import gzip
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.amazon_connector.exceptions import (
    AmazonInvalidRequest,
    AmazonThrottled,
)
from odoo.addons.amazon_connector.tests.sandbox_support import (
    SandboxServer,
    sandbox_account_vals,
)
from odoo.addons.amazon_connector.tests.spapi_models import schema_errors
from odoo.addons.amazon_connector_sale.tests.common import (
    deliver,
    make_item,
    make_order,
)

IT = "APJ6JRA9NG5V4"
DE = "A1PA6795UKMFR9"
FR = "A13V1IB3VIYZZH"
UK = "A1F83G8C2ARO7P"

ADDRESSES = {
    "IT": ("Via Roma 1", "Milano", "20121"),
    "DE": ("Hauptstrasse 5", "Berlin", "10115"),
    "FR": ("Rue de Rivoli 10", "Paris", "75001"),
    "GB": ("10 Downing Street", "London", "SW1A 2AA"),
}


def address(country, name="Buyer"):
    line, city, zip_code = ADDRESSES[country]
    return {
        "name": name,
        "addressLine1": line,
        "city": city,
        "postalCode": zip_code,
        "countryCode": country,
        "addressType": "RESIDENTIAL",
    }


class ItalianCompanyCase(AccountTestInvoicingCommon):
    @classmethod
    @AccountTestInvoicingCommon.setup_country("it")
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's accounting test user, also an Amazon manager who sells and ships.
        cls.env.user.sudo().groups_id |= (
            cls.env.ref("amazon_connector.amazon_connector_group_manager")
            | cls.env.ref("sales_team.group_sale_manager")
            | cls.env.ref("stock.group_stock_manager")
        )
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.write({"vat": "IT00743110157"})
        cls.company._map_eu_taxes()
        cls.tax22 = cls.company.account_sale_tax_id
        cls.germany = cls.env.ref("base.de")
        de_group = cls.env["account.tax.group"].create(
            {
                "name": "DE VAT 19%",
                "country_id": cls.germany.id,
                "company_id": cls.company.id,
            }
        )
        cls.de_tax19 = cls.env["account.tax"].create(
            {
                "name": "19% DE (domestic)",
                "tax_group_id": de_group.id,
                "amount": 19.0,
                "type_tax_use": "sale",
                "country_id": cls.germany.id,
                "company_id": cls.company.id,
            }
        )
        cls.de_domestic = cls.env["account.fiscal.position"].create(
            {
                "name": "Germany (German VAT number)",
                "country_id": cls.germany.id,
                "foreign_vat": "DE136695976",
                "auto_apply": False,
                "company_id": cls.company.id,
                "tax_ids": [
                    Command.create(
                        {"tax_src_id": cls.tax22.id, "tax_dest_id": cls.de_tax19.id}
                    )
                ],
            }
        )
        cls.amazon_collects = cls.env["account.fiscal.position"].create(
            {
                "name": "VAT collected by Amazon",
                "company_id": cls.company.id,
                "tax_ids": [Command.create({"tax_src_id": cls.tax22.id})],
            }
        )
        cls.gbp = cls.env.ref("base.GBP")
        cls.gbp.active = True
        cls.env["res.currency.rate"].create(
            {
                "name": "2026-01-01",
                "rate": 0.85,
                "currency_id": cls.gbp.id,
                "company_id": cls.company.id,
            }
        )
        Marketplace = cls.env["amazon.marketplace"]
        cls.marketplaces = Marketplace.search(
            [("marketplace_id", "in", [IT, DE, FR, UK])]
        )
        cls.marketplaces.write({"price_includes_tax": True, "tz": "Europe/Rome"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Espresso cup",
                "default_code": "CUP-1",
                "is_storable": True,
                "invoice_policy": "delivery",
                "taxes_id": [Command.set(cls.tax22.ids)],
            }
        )
        cls.product2 = cls.env["product.product"].create(
            {
                "name": "Moka pot",
                "default_code": "MOKA-1",
                "is_storable": True,
                "invoice_policy": "delivery",
                "taxes_id": [Command.set(cls.tax22.ids)],
            }
        )
        cls.account = cls.env["amazon.account"].create(
            {
                "name": "Amazon EU",
                "company_id": cls.company.id,
                "account_type": "seller",
                "region": "eu",
                "seller_id": "A1ITSELLER",
                "home_marketplace_id": cls.marketplaces.filtered(
                    lambda m: m.marketplace_id == IT
                ).id,
                "active_marketplace_ids": [Command.set(cls.marketplaces.ids)],
                "state": "connected",
                "order_import_from_date": datetime(2026, 3, 1),
                "order_auto_confirm": True,
                "invoice_policy_fbm": "ship",
                "invoice_policy_fba": "ship",
                "fba_ship_from_country_id": cls.germany.id,
                "marketplace_facilitator_position_id": cls.amazon_collects.id,
            }
        )
        for product in (
            cls.account.shipping_product_id,
            cls.account.gift_wrap_product_id,
        ):
            product.taxes_id = [Command.set(cls.tax22.ids)]
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.warehouse = warehouse
        cls.account.fbm_warehouse_id = warehouse
        cls.account.fba_warehouse_id = warehouse
        cls.account.fba_damaged_location_id = cls.env["stock.location"].create(
            {
                "name": "FBA damaged",
                "usage": "internal",
                "location_id": warehouse.view_location_id.id,
                "company_id": cls.company.id,
            }
        )
        for product in (cls.product, cls.product2):
            cls.env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 100
            )
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.account.fba_location_id, 100
            )

    # --- helpers ------------------------------------------------------------------
    def order_payload(
        self,
        order_id,
        country="IT",
        marketplace=IT,
        currency="EUR",
        items=None,
        programs=(),
        fulfilled_by="MERCHANT",
        vat=None,
        company=None,
        status="UNSHIPPED",
    ):
        items = items or [
            make_item(
                sku="CUP-1",
                quantity=2,
                unit="12.20",
                shipping="4.88",
                currency=currency,
            )
        ]
        order = make_order(
            order_id=order_id,
            items=items,
            address=address(country),
            marketplace=marketplace,
            email=f"{order_id}@marketplace.amazon.example",
            fulfilled_by=fulfilled_by,
            vat=vat,
            company=company,
            status=status,
        )
        order["proceeds"]["grandTotal"]["currencyCode"] = currency
        order["programs"] = list(programs)
        return order

    def import_orders(self, orders):
        results = self.env["amazon.order.importer"]._import_orders(self.account, orders)
        return self.env["sale.order"].concat(*[so for _r, so in results])

    def ship(self, sale_order):
        pickings = sale_order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        deliver(pickings)
        return pickings

    def invoice_of(self, sale_order):
        return sale_order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")

    def line_taxes(self, move):
        return {
            line.product_id.display_name: line.tax_ids.mapped("amount")
            for line in move.invoice_line_ids
            if line.display_type == "product"
            and line.product_id != self.account.rounding_product_id
        }


# --- Amazon's money and reports, served through the one seam ------------------------


def eur(amount, currency="EUR"):
    return {"currencyCode": currency, "currencyAmount": amount}


def refund_transaction(
    order_id,
    transaction_id,
    items,
    shipping=0.0,
    currency="EUR",
    posted="2026-03-10T10:00:00Z",
    marketplace=IT,
):
    """A Refund transaction: ``items`` = [(sku, quantity, goods refunded)]; amounts
    negative (money back to the buyer), the refunded commission positive."""
    tx_items = []
    total = 0.0
    for index, (sku, quantity, goods) in enumerate(items):
        commission = round(goods * 0.15 * 0.8, 2)
        breakdowns = [
            {
                "breakdownType": "ProductCharges",
                "breakdownAmount": eur(-goods, currency),
                "breakdowns": [
                    {
                        "breakdownType": "Principal",
                        "breakdownAmount": eur(-goods, currency),
                    }
                ],
            },
            {
                "breakdownType": "AmazonFees",
                "breakdownAmount": eur(commission, currency),
                "breakdowns": [
                    {
                        "breakdownType": "RefundCommission",
                        "breakdownAmount": eur(commission, currency),
                    }
                ],
            },
        ]
        item_total = -goods + commission
        if shipping and index == 0:
            breakdowns.append(
                {
                    "breakdownType": "Shipping",
                    "breakdownAmount": eur(-shipping, currency),
                }
            )
            item_total -= shipping
        total += item_total
        tx_items.append(
            {
                "description": f"Refund of {sku}",
                "totalAmount": eur(round(item_total, 2), currency),
                "relatedIdentifiers": [
                    {
                        "itemRelatedIdentifierName": "ORDER_ADJUSTMENT_ITEM_ID",
                        "itemRelatedIdentifierValue": f"OAI-{transaction_id}-{index}",
                    }
                ],
                "breakdowns": breakdowns,
                "contexts": [
                    {
                        "contextType": "ProductContext",
                        "sku": sku,
                        "asin": "B0TESTASIN",
                        "quantityShipped": quantity,
                        "fulfillmentNetwork": "MFN",
                    }
                ],
            }
        )
    return {
        "sellingPartnerMetadata": {
            "sellingPartnerId": "A1ITSELLER",
            "accountType": "Standard Orders",
            "marketplaceId": marketplace,
        },
        "relatedIdentifiers": [
            {"relatedIdentifierName": "ORDER_ID", "relatedIdentifierValue": order_id},
            {
                "relatedIdentifierName": "REFUND_ID",
                "relatedIdentifierValue": f"R-{transaction_id}",
            },
        ],
        "transactionType": "Refund",
        "transactionId": transaction_id,
        "transactionStatus": "RELEASED",
        "description": "Refund Order",
        "postedDate": posted,
        "totalAmount": eur(round(total, 2), currency),
        "marketplaceDetails": {
            "marketplaceId": marketplace,
            "marketplaceName": "Amazon.it",
        },
        "items": tx_items,
        "breakdowns": [],
    }


class FakeMoney:
    """listTransactions pages and the Reports API, as the seam returns them.

    :ivar pages: lists of transactions, one page per listTransactions call
    :ivar reports: {reportType: TSV bytes} the next report of that type holds
    :ivar throttle: {call number: seconds}: that call (counted from 1) is
        throttled, Amazon asking to retry after that many seconds
    :ivar expired_tokens: tokens a listTransactions call is refused with (as
        Amazon refuses an expired token)
    """

    def __init__(self):
        self.pages = []
        self.reports = {}
        self.requested = {}
        self.calls = []
        self.schema_violations = []
        self.throttle = {}
        self.expired_tokens = set()

    def __call__(self, account, operation, **params):
        self.calls.append((operation, params))
        if len(self.calls) in self.throttle:
            raise AmazonThrottled(
                "429 QuotaExceeded", retry_after=self.throttle[len(self.calls)]
            )
        if operation == "finances.listTransactions":
            if params.get("nextToken") in self.expired_tokens:
                raise AmazonInvalidRequest("400 InvalidInput: nextToken expired")
            page = self.pages.pop(0) if self.pages else []
            payload = {"transactions": copy.deepcopy(page)}
            if self.pages:
                payload["nextToken"] = f"token-{len(self.calls)}"
            self.schema_violations += schema_errors(
                "finances", "ListTransactionsResponse", {"payload": payload}
            )
            return payload
        if operation == "reports.createReport":
            body = params["body"]
            self.schema_violations += schema_errors(
                "reports", "CreateReportSpecification", body
            )
            report_id = f"REPORT-{len(self.calls)}"
            self.requested[report_id] = body
            return {"reportId": report_id}
        if operation == "reports.getReport":
            body = self.requested[params["reportId"]]
            report = {
                "reportId": params["reportId"],
                "reportType": body["reportType"],
                "createdTime": "2026-03-10T10:00:00Z",
                "dataEndTime": body.get("dataEndTime"),
                "processingStatus": "DONE",
                "reportDocumentId": "DOC-" + params["reportId"],
            }
            self.schema_violations += schema_errors("reports", "Report", report)
            return report
        if operation == "reports.getReportDocument":
            report_id = params["reportDocumentId"][4:]
            document = {
                "reportDocumentId": params["reportDocumentId"],
                "url": "https://example.invalid/" + report_id,
                "compressionAlgorithm": "GZIP",
            }
            self.schema_violations += schema_errors(
                "reports", "ReportDocument", document
            )
            return document
        raise AssertionError(f"unexpected operation {operation}")

    def download(self, account, url, compression=None):
        """What the seam's download returns: the document, decompressed."""
        report_id = url.rsplit("/", 1)[-1]
        content = self.reports.get(self.requested[report_id]["reportType"], b"")
        return (
            gzip.decompress(content) if compression == "GZIP" and content else content
        )

    def count(self, operation):
        return sum(1 for op, _params in self.calls if op == operation)


class AmazonMoneyCase(ItalianCompanyCase):
    def setUp(self):
        super().setUp()
        self.fake = FakeMoney()
        Account = type(self.env["amazon.account"])
        fake = self.fake
        self.startPatcher(
            patch.object(
                Account,
                "_spapi_call",
                lambda acc, op, **params: fake(acc, op, **params),
            )
        )
        self.startPatcher(
            patch.object(
                Account,
                "_spapi_download",
                lambda acc, url, compression=None: fake.download(acc, url, compression),
            )
        )
        for model in ("amazon.finance.importer", "amazon.return.importer"):
            self.startPatcher(
                patch.object(
                    type(self.env[model]), "_now", lambda s: datetime(2026, 3, 20)
                )
            )

    def assertBodiesFitAmazonModels(self):
        self.assertEqual(
            self.fake.schema_violations, [], msg="every payload fits Amazon's model"
        )


__all__ = ["DE", "FR", "IT", "UK", "AmazonMoneyCase", "ItalianCompanyCase", "make_item"]


class SettlementSandboxCase(ItalianCompanyCase):
    """The Italian company's account on a sandbox of its own, rate limits off:
    the settlement tests through the real client."""

    account_name = "Sandbox settlements"
    # more (field, value) pairs of the account (imports turned on...)
    account_vals = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SandboxServer(port=0).start()
        cls.addClassCleanup(cls.server.stop)
        cls.account.write(
            sandbox_account_vals(
                cls.server.base_url,
                cls.account.home_marketplace_id.id,
                name=cls.account_name,
                order_import_from_date=fields.Datetime.now() - timedelta(days=10),
                **dict(cls.account_vals),
            )
        )

    def setUp(self):
        super().setUp()
        Importer = type(self.env["amazon.order.importer"])
        self.startPatcher(patch.object(Importer, "_sleep", lambda s, sec: None))
        self.server.state.reset()
        self.server.state.set_rate_limits(enabled=False)
