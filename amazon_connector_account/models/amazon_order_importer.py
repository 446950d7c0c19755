# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""VAT of an imported order, and the invoicing the account wants.

The fiscal position comes from Odoo's standard rule on the delivery address (the
sale order's own computation), so that ``l10n_eu_oss`` maps the domestic VAT to
the destination's; this module only chooses another position where Odoo cannot
know the fact that decides: the goods leave a fulfilment centre in a country
where the company has a VAT number (a domestic sale there), or Amazon collects
the VAT (marketplace facilitator).
"""

from odoo import api, fields, models
from odoo.tools import float_is_zero

from odoo.addons.amazon_connector.utils import as_dict, as_list
from odoo.addons.amazon_connector_sale.const import PROCEEDS_TAX
from odoo.addons.amazon_connector_sale.exceptions import AmazonOrderDataError
from odoo.addons.amazon_connector_sale.utils import page_memo

from ..const import (
    PROGRAM_BUSINESS,
    PROGRAM_INVOICE_BY_AMAZON,
    TAX_MODEL_MARKETPLACE_FACILITATOR,
)


class AmazonOrderImporter(models.AbstractModel):
    _inherit = "amazon.order.importer"

    @api.model
    def _prepare_sale_order(
        self, account, order, notes, marketplace, currency, customer, shipping
    ):
        vals = super()._prepare_sale_order(
            account, order, notes, marketplace, currency, customer, shipping
        )
        programs = [p for p in order.get("programs") or [] if isinstance(p, str)]
        vals.update(
            amazon_programs=", ".join(programs) or False,
            amazon_invoiced_by_amazon=PROGRAM_INVOICE_BY_AMAZON in programs,
            amazon_business_order=PROGRAM_BUSINESS in programs,
            amazon_tax_collected_by_amazon=self._is_tax_collected_by_amazon(order),
        )
        position = self._find_amazon_fiscal_position(account, order, vals, shipping)
        if position:
            vals["fiscal_position_id"] = position.id
        return vals

    @api.model
    def _is_tax_collected_by_amazon(self, order):
        for item in as_list(order.get("orderItems")):
            for collection in as_list(as_dict(item.get("tax")).get("taxCollections")):
                if collection.get("model") == TAX_MODEL_MARKETPLACE_FACILITATOR:
                    return True
        return False

    @api.model
    def _find_amazon_fiscal_position(self, account, order, vals, shipping=None):
        """The fiscal position Odoo's rule cannot find, or None to let it decide.

        :raise AmazonOrderDataError: Amazon collects the VAT and the account has
            no position for it (the order would carry the seller's VAT)
        """
        if vals.get("amazon_tax_collected_by_amazon"):
            position = account.marketplace_facilitator_position_id
            if not position:
                raise AmazonOrderDataError(
                    self.env._(
                        "Amazon collects the VAT of this order: set the fiscal "
                        "position 'VAT Collected by Amazon' of the account."
                    )
                )
            return position
        ship_from = self._ship_from_country(account, order, vals)
        destination = shipping.country_id if shipping else None
        return self._find_foreign_vat_position(account, ship_from, destination)

    @api.model
    def _ship_from_country(self, account, order, vals):
        """The country the goods leave from: what Amazon says of the order's
        packages (``packages[].shipFromAddress``), else, for FBA orders, the
        account's "FBA Ships From" (pan-EU FBA ships from several countries, and
        Amazon documents the packages for merchant-fulfilled orders only);
        None when unknown (Odoo's own rule then decides)."""
        codes = [
            as_dict(package.get("shipFromAddress")).get("countryCode")
            for package in as_list(order.get("packages"))
        ]
        code = next((c for c in codes if isinstance(c, str) and c.strip()), None)
        if code:
            country = page_memo(
                self.env,
                "ship_from_country",
                code.strip().upper(),
                lambda: self.env["res.country"].search(
                    [("code", "=", code.strip().upper())], limit=1
                ),
            )
            if country:
                return country
        if vals.get("amazon_fulfillment_channel") == "fba":
            return account.fba_ship_from_country_id or None
        return None

    @api.model
    def _find_foreign_vat_position(self, account, country, destination):
        """Goods shipped within a country where the company is VAT-registered,
        to a buyer in that same country: Odoo's fiscal position with that foreign
        VAT number (a domestic sale there). Shipped to another country, the sale
        is a distance sale (OSS) or an intra-EU supply: Odoo's rule decides."""
        company = account.company_id
        if not country or country == company.account_fiscal_country_id:
            return None
        if destination and destination != country:
            return None
        return page_memo(
            self.env,
            "foreign_vat_position",
            (company.id, country.id),
            lambda: self.env["account.fiscal.position"].search(
                [
                    *self.env["account.fiscal.position"]._check_company_domain(company),
                    ("country_id", "=", country.id),
                    ("foreign_vat", "!=", False),
                ],
                limit=1,
            ),
        )

    @api.model
    def _create_sale_orders(self, account, orders, log=None):
        """Compare Odoo's taxes with Amazon's once the orders exist."""
        sale_orders = super()._create_sale_orders(account, orders, log=log)
        for sale_order, order in zip(sale_orders, orders, strict=True):
            self._check_amazon_taxes(sale_order, order)
        return sale_orders

    @api.model
    def _check_amazon_taxes(self, sale_order, order):
        """Amazon's item taxes against Odoo's: a difference is a note on the order
        (and later its invoice), never absorbed silently."""
        currency = sale_order.currency_id
        builder = self.env["amazon.order.line.builder"]
        amazon_tax = 0.0
        reported = False
        for item in as_list(order.get("orderItems")):
            amounts = builder._item_amounts(item, currency)
            if PROCEEDS_TAX in amounts:
                reported = True
                amazon_tax += amounts[PROCEEDS_TAX]
        if not reported:
            return
        vals = {"amazon_tax_amount": amazon_tax}
        if sale_order.amazon_tax_collected_by_amazon:
            vals["amazon_tax_note"] = self.env._(
                "Amazon collects and remits the VAT of this order (%(amount)s "
                "%(currency)s): the seller's invoice carries none.",
                amount=amazon_tax,
                currency=currency.name,
            )
        else:
            diff = currency.round(sale_order.amount_tax - amazon_tax)
            if not float_is_zero(diff, precision_rounding=currency.rounding):
                vals["amazon_tax_note"] = self.env._(
                    "Odoo's taxes are %(odoo)s %(currency)s, Amazon reported "
                    "%(amazon)s %(currency)s (difference %(diff)s): check the "
                    "products' taxes and the fiscal position %(position)s.",
                    odoo=sale_order.amount_tax,
                    amazon=amazon_tax,
                    diff=diff,
                    currency=currency.name,
                    position=sale_order.fiscal_position_id.name or self.env._("(none)"),
                )
        sale_order.write(vals)

    @api.model
    def _after_create_page(self, account, created):
        """Invoice the new orders of accounts that invoice on import (orders that
        ship at import, FBA ones, are invoiced by their delivery)."""
        res = super()._after_create_page(account, created)
        orders = self.env["sale.order"].concat(*[so for so, _order in created])
        self.env["amazon.invoicer"]._invoice_on(orders, "import")
        return res

    @api.model
    def _cancel_sale_order(self, sale_order, order):
        """Cancelled after invoicing: a credit note, never an edit of a posted
        invoice."""
        invoices = sale_order.invoice_ids.filtered(
            lambda m: (
                m.state == "posted"
                and m.move_type == "out_invoice"
                and m.payment_state != "reversed"
            )
        )
        if invoices:
            today = fields.Date.context_today(self)
            credit_notes = invoices.sudo()._reverse_moves(
                default_values_list=[
                    {
                        "ref": self.env._(
                            "Cancelled on Amazon: %s", sale_order.amazon_order_id
                        ),
                        "invoice_date": max(today, invoice.invoice_date or today),
                        "date": max(today, invoice.date or today),
                    }
                    for invoice in invoices
                ],
                cancel=True,
            )
            sale_order.message_post(
                body=self.env._(
                    "Amazon cancelled the order after it was invoiced: credit note %s.",
                    ", ".join(credit_notes.mapped("name")),
                )
            )
        return super()._cancel_sale_order(sale_order, order)
