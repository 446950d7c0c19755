# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The line builder: the lines of an Amazon order, and the total that must
match Amazon's.

The order importer hands it a new (unsaved) sale order and the Amazon order, and
gets back the lines' create commands; once the orders exist, it balances their
totals with Amazon's (one order is a batch of one).

Money in the 2026 model: ``product.price.unitPrice`` per unit; per item
``proceeds.breakdowns`` of type ITEM (price x quantity), SHIPPING, GIFT_WRAP, TAX
and DISCOUNT (negative; its ``detailedBreakdowns`` say whether the discount is on
the ITEM, the SHIPPING or the GIFT_WRAP); ``proceeds.grandTotal`` for the order.
Amounts are decimal strings. In marketplaces whose prices include VAT (EU, UK) the
ITEM/SHIPPING/GIFT_WRAP amounts are tax-included.
"""

import math
from collections import defaultdict
from decimal import Decimal, InvalidOperation

import pytz

from odoo import Command, api, models
from odoo.tools import float_compare, float_is_zero, float_round

from odoo.addons.amazon_connector.utils import as_dict, as_list

from ..buyer_text import MAX_MESSAGE, clean_text
from ..const import (
    MAX_AMOUNT,
    MAX_QUANTITY,
    PROCEEDS_DISCOUNT,
    PROCEEDS_GIFT_WRAP,
    PROCEEDS_ITEM,
    PROCEEDS_SHIPPING,
    PROCEEDS_TAX,
)
from ..exceptions import AmazonOrderDataError
from ..utils import noted_text, page_cache

# Below this many units of the currency, a difference between Odoo's total and
# Amazon's is rounding (see _rounding_tolerance).
MIN_TOLERANCE_UNITS = 5


class AmazonOrderLineBuilder(models.AbstractModel):
    _name = "amazon.order.line.builder"
    _description = "Amazon Order Line Builder"

    # --- money ----------------------------------------------------------------
    @api.model
    def _amount(self, money, what, currency=None):
        """A ``Money`` object as a float (None when absent).

        :raise AmazonOrderDataError: wrong type, not a number, out of range, or
            another currency than the order's
        """
        if money is None:
            return None
        if not isinstance(money, dict) or "amount" not in money:
            raise AmazonOrderDataError(self.env._("%s is not an amount.", what))
        raw = money.get("amount")
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise AmazonOrderDataError(self.env._("%s is not a number.", what))
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise AmazonOrderDataError(
                self.env._(
                    "%(what)s is not a number: %(raw)r", what=what, raw=str(raw)[:40]
                )
            ) from None
        if not value.is_finite() or abs(value) >= Decimal(MAX_AMOUNT):
            raise AmazonOrderDataError(
                self.env._(
                    "%(what)s is out of range: %(raw)s", what=what, raw=str(raw)[:40]
                )
            )
        code = money.get("currencyCode")
        if currency and code and str(code).upper() != currency.name:
            raise AmazonOrderDataError(
                self.env._(
                    "%(what)s is in %(code)s, the order in %(currency)s.",
                    what=what,
                    code=str(code)[:8],
                    currency=currency.name,
                )
            )
        return float(value)

    @api.model
    def _item_amounts(self, item, currency):
        """Per category amounts of one item: ITEM, SHIPPING, GIFT_WRAP, TAX and the
        discounts on each (positive numbers)."""
        amounts = defaultdict(float)
        proceeds = as_dict(item.get("proceeds"))
        for part in as_list(proceeds.get("breakdowns")):
            kind = part.get("type")
            value = (
                self._amount(part.get("subtotal"), f"{kind} amount", currency) or 0.0
            )
            if kind == PROCEEDS_DISCOUNT:
                details = as_list(part.get("detailedBreakdowns"))
                if not details:
                    amounts["discount_" + PROCEEDS_ITEM] += abs(value)
                for detail in details:
                    sub = detail.get("subtype") or PROCEEDS_ITEM
                    dvalue = (
                        self._amount(detail.get("value"), "discount", currency) or 0.0
                    )
                    amounts["discount_" + str(sub)] += abs(dvalue)
            elif kind in (
                PROCEEDS_ITEM,
                PROCEEDS_SHIPPING,
                PROCEEDS_GIFT_WRAP,
                PROCEEDS_TAX,
            ):
                amounts[kind] += value
            else:
                amounts["other"] += value
        return amounts

    # --- products -------------------------------------------------------------
    @api.model
    def _find_product(self, account, sku, marketplace):
        """Listing binding, then SKU recoding, then internal reference (core lookup)."""
        product = self.env["product.product"]
        if not sku:
            return product
        page = page_cache(self.env)
        key = (marketplace.id if marketplace else False, sku)
        if page is not None and key in page["products"]:
            return page["products"][key]
        product = account._find_product_by_sku(sku, marketplace=marketplace)
        if not product:
            product = product.search(
                [
                    ("default_code", "=", sku),
                    ("company_id", "in", [account.company_id.id, False]),
                    ("sale_ok", "=", True),
                ],
                limit=1,
            )
        return product

    @api.model
    def _price_unit(self, sale_order, product, gross_unit):
        """Odoo's price unit for an Amazon price, with Odoo's taxes of the line.

        Where Amazon's price includes VAT and the line's taxes do not, the untaxed
        price is computed (not rounded: the line then gives Amazon's amount back).
        """
        taxes = product.taxes_id._filter_taxes_by_company(sale_order.company_id)
        taxes = sale_order.fiscal_position_id.map_tax(taxes)
        if not sale_order.amazon_marketplace_id.price_includes_tax:
            return gross_unit, taxes
        excluded = taxes.filtered(lambda t: not t.price_include)
        if not excluded:
            return gross_unit, taxes
        details = excluded._get_tax_details(
            gross_unit,
            1.0,
            rounding_method="round_globally",
            special_mode="total_included",
        )
        return details["total_excluded"], taxes

    # --- lines ----------------------------------------------------------------
    @api.model
    def _prepare_order_lines(self, sale_order, account, order, notes):
        """The order's lines: a note, the items, the charges, the gift messages.

        :param sale_order: the sale order, or a new (not yet created) one
        :return: tuple (list of create commands, totals per amount kind)
        """
        currency = sale_order.currency_id
        marketplace = sale_order.amazon_marketplace_id
        items = as_list(order.get("orderItems"))
        if not items:
            raise AmazonOrderDataError(self.env._("The order has no items."))
        commands = [Command.create(self._prepare_note_line(sale_order, order))]
        totals = defaultdict(float)
        gift_messages = []
        for item in items:
            amounts = self._item_amounts(item, currency)
            for key, value in amounts.items():
                totals[key] += value
            vals = self._prepare_item_line(
                sale_order, account, marketplace, item, amounts, notes
            )
            if vals:
                commands.append(Command.create(vals))
            gift = as_dict(
                as_dict(as_dict(item.get("fulfillment")).get("packing")).get(
                    "giftOption"
                )
            )
            message = clean_text(gift.get("giftMessage"), MAX_MESSAGE, multiline=True)
            if message:
                gift_messages.append(message)
        commands += self._prepare_charge_lines(sale_order, account, order, totals)
        for message in gift_messages:
            commands.append(
                Command.create(
                    {
                        "display_type": "line_note",
                        "name": self.env._("Gift message: %s", message),
                        "amazon_gift_message": True,
                    }
                )
            )
        return commands, totals

    @api.model
    def _prepare_note_line(self, sale_order, order):
        return {
            "display_type": "line_note",
            "sequence": 0,
            "name": self.env._(
                "Amazon order %(order)s of %(date)s",
                order=sale_order.amazon_order_id,
                date=self._local_date(sale_order).isoformat(),
            ),
        }

    @api.model
    def _local_date(self, sale_order):
        """The purchase date as the buyer saw it: in the marketplace's time zone."""
        tz_name = sale_order.amazon_marketplace_id.tz or "UTC"
        try:
            tz = pytz.timezone(tz_name)
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        moment = sale_order.amazon_purchase_date or sale_order.date_order
        return pytz.utc.localize(moment).astimezone(tz).date()

    @api.model
    def _prepare_item_line(
        self, sale_order, account, marketplace, item, amounts, notes
    ):
        item_id = item.get("orderItemId")
        product_data = as_dict(item.get("product"))
        sku = product_data.get("sellerSku")
        sku = sku.strip()[:128] if isinstance(sku, str) else ""
        title = noted_text(
            self.env, product_data.get("title"), self.env._("Title"), notes, 512
        )
        quantity = item.get("quantityOrdered")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise AmazonOrderDataError(
                self.env._("Item %s has no whole quantity.", str(item_id)[:40])
            )
        if quantity < 0 or quantity > MAX_QUANTITY:
            raise AmazonOrderDataError(
                self.env._(
                    "Item %(item)s has quantity %(qty)s.",
                    item=str(item_id)[:40],
                    qty=quantity,
                )
            )
        if quantity == 0:
            notes.append(self.env._("Item %s has quantity 0 and was left out.", sku))
            return None
        product = self._find_product(account, sku, marketplace)
        if not product:
            if (
                account.unknown_sku_policy != "placeholder"
                or not account.placeholder_product_id
            ):
                raise AmazonOrderDataError(
                    self.env._("No product for the Amazon SKU %r.", sku)
                )
            product = account.placeholder_product_id
            notes.append(self.env._("Unknown SKU %r: placeholder product used.", sku))
        gross = amounts.get(PROCEEDS_ITEM)
        if gross is None:
            unit = self._amount(
                as_dict(product_data.get("price")).get("unitPrice"),
                self.env._("Unit price"),
                sale_order.currency_id,
            )
            gross = (unit or 0.0) * quantity
        if gross < 0:
            raise AmazonOrderDataError(self.env._("Item %s has a negative price.", sku))
        price_unit, taxes = self._price_unit(sale_order, product, gross / quantity)
        discount = amounts.get("discount_" + PROCEEDS_ITEM, 0.0)
        discount_pct = 0.0
        if discount and gross:
            discount_pct = min(discount / gross * 100.0, 100.0)
        name = product.get_product_multiline_description_sale() or product.display_name
        if product == account.placeholder_product_id or title and title != product.name:
            name = f"[{sku}] {title}" if title else name
        return {
            "product_id": product.id,
            "name": name,
            "product_uom_qty": quantity,
            "price_unit": price_unit,
            "discount": discount_pct,
            "tax_id": [Command.set(taxes.ids)],
            "amazon_order_item_id": str(item_id)[:64] if item_id else False,
            "amazon_sku": sku or False,
        }

    @api.model
    def _prepare_charge_lines(self, sale_order, account, order, totals):
        """Shipping (net of shipping discounts) and gift wrap, one line each."""
        commands = []
        level = as_dict(order.get("fulfillment")).get("fulfillmentServiceLevel")
        charges = [
            (PROCEEDS_SHIPPING, account._get_shipping_product(level)),
            (PROCEEDS_GIFT_WRAP, account.gift_wrap_product_id),
        ]
        for kind, product in charges:
            gross = totals.get(kind, 0.0) - totals.get("discount_" + kind, 0.0)
            if float_is_zero(gross, precision_rounding=sale_order.currency_id.rounding):
                continue
            if not product:
                raise AmazonOrderDataError(
                    self.env._("No product is configured for Amazon's %s charge.", kind)
                )
            price_unit, taxes = self._price_unit(sale_order, product, gross)
            commands.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "price_unit": price_unit,
                        "tax_id": [Command.set(taxes.ids)],
                    }
                )
            )
        return commands

    @api.model
    def _get_amazon_total(self, sale_order, order, totals):
        """Amazon's order total: ``proceeds.grandTotal``, else the sum of the items."""
        grand = as_dict(order.get("proceeds")).get("grandTotal")
        value = self._amount(grand, self.env._("Order total"), sale_order.currency_id)
        if value is not None:
            return value
        total = sum(
            totals.get(k, 0.0)
            for k in (PROCEEDS_ITEM, PROCEEDS_SHIPPING, PROCEEDS_GIFT_WRAP)
        )
        total -= sum(v for k, v in totals.items() if k.startswith("discount_"))
        if not sale_order.amazon_marketplace_id.price_includes_tax:
            total += totals.get(PROCEEDS_TAX, 0.0)
        return total

    @api.model
    def _balance_totals(self, sale_orders, account, orders, totals_list, notes_list):
        """Make Odoo's totals equal Amazon's to the cent, each with an explicit line.

        The totals of the orders are computed together, and the rounding lines
        of those that differ are created in one ``create``.

        :param sale_orders: sale.order, created from ``orders`` (same order)
        :param totals_list: per order, the totals per amount kind of its items
        :param notes_list: per order, its import notes (appended to)
        """
        to_create, expected_totals = [], []
        for sale_order, order, totals, notes in zip(
            sale_orders, orders, totals_list, notes_list, strict=True
        ):
            expected = self._get_amazon_total(sale_order, order, totals)
            vals = self._prepare_rounding_line(
                sale_order, account, expected, totals, notes
            )
            if vals:
                to_create.append(vals)
                expected_totals.append((sale_order, expected))
        if not to_create:
            return
        self.env["sale.order.line"].create(to_create)
        for sale_order, expected in expected_totals:
            currency = sale_order.currency_id
            if not math.isclose(
                sale_order.amount_total, expected, abs_tol=currency.rounding / 2
            ):
                raise AmazonOrderDataError(
                    self.env._(
                        "The order total %(odoo)s cannot be made equal to Amazon's "
                        "%(amazon)s.",
                        odoo=sale_order.amount_total,
                        amazon=expected,
                    )
                )

    @api.model
    def _prepare_rounding_line(self, sale_order, account, expected, totals, notes):
        """The line that makes Odoo's total equal Amazon's ``expected``, if needed.

        :return: sale.order.line values, or None when the totals are equal
        """
        currency = sale_order.currency_id
        if not totals and expected == 0.0:
            return None  # Pending orders carry no prices yet
        if expected < 0:
            raise AmazonOrderDataError(self.env._("Amazon's order total is negative."))
        diff = float_round(
            expected - sale_order.amount_total, precision_rounding=currency.rounding
        )
        if float_is_zero(diff, precision_rounding=currency.rounding):
            return None
        product = account.rounding_product_id
        if not product:
            raise AmazonOrderDataError(
                self.env._(
                    "Odoo's total differs from Amazon's and no rounding product "
                    "is configured."
                )
            )
        tolerance = self._rounding_tolerance(sale_order)
        if (
            float_compare(abs(diff), tolerance, precision_rounding=currency.rounding)
            > 0
        ):
            notes.append(
                self.env._(
                    "Odoo computed %(odoo)s but Amazon's total is %(amazon)s: the "
                    "difference %(diff)s is on the rounding line; check the taxes of "
                    "the products.",
                    odoo=sale_order.amount_total,
                    amazon=expected,
                    diff=diff,
                )
            )
        return {
            "order_id": sale_order.id,
            "product_id": product.id,
            "name": self.env._("Rounding difference with Amazon's total"),
            "product_uom_qty": 1,
            "price_unit": diff,
            "tax_id": [Command.clear()],
            "sequence": 99999,
        }

    @api.model
    def _rounding_tolerance(self, sale_order):
        """The largest difference with Amazon's total that is only rounding.

        Amazon rounds the price, tax and discount of each item to the currency's
        unit; Odoo rounds each line's tax and subtotal to the same unit, per line
        (the company's default "round per line"). Each line can thus end up to one
        unit of the currency away from Amazon's figure for it, whatever the
        currency: one cent in euros, one yen in yen. Up to one unit per line (and
        at least MIN_TOLERANCE_UNITS units, for the shipping, gift-wrap and
        discount amounts that Amazon rounds apart from the items) the rounding
        line settles the difference silently; beyond it, the order gets a note,
        as the taxes of the products are then likely wrong.
        """
        lines = len(sale_order.order_line)
        return sale_order.currency_id.rounding * max(MIN_TOLERANCE_UNITS, lines)
