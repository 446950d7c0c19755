# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A refund of Amazon's becomes a credit note of the order's invoice.

Amounts are the buyer's money as Amazon itemizes it (goods per SKU, shipping, gift
wrap, promotions), negative in a refund. As in the order import, goods, shipping
and gift wrap are tax-included in marketplaces whose prices include VAT (the tax
breakdowns then only tell the VAT inside) and tax-excluded elsewhere. Fees are the
settlement's, not the buyer's: they stay on the transaction. Odoo's total equals
Amazon's refund to the cent, with the rounding line when needed.
"""

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_is_zero

from ..const import (
    BREAKDOWN_GIFT_WRAP,
    BREAKDOWN_GOODS,
    BREAKDOWN_PROMOTION,
    BREAKDOWN_SHIPPING,
    BREAKDOWN_TAX,
    TRANSACTION_TYPE_REFUND,
)

BOOKING_ERRORS = (UserError, ValidationError, AccessError)


class AmazonRefundBooker(models.AbstractModel):
    _name = "amazon.refund.booker"
    _description = "Amazon Refunds to Credit Notes"

    @api.model
    def _book_pending(self, account, log=None):
        refunds = self.env["amazon.finance.transaction"].search(
            [
                ("account_id", "=", account.id),
                ("transaction_type", "=", TRANSACTION_TYPE_REFUND),
                ("refund_state", "in", ("waiting", "error")),
            ],
            order="posted_date, id",
        )
        return self._book_refunds(refunds, log=log)

    @api.model
    def _book_refunds(self, refunds, log=None):
        """Make the credit notes of refunds whose order is invoiced; the others
        wait (and are shown) until it is.

        :return: account.move, the credit notes made
        """
        moves = self.env["account.move"]
        for refund in refunds.filtered(lambda r: r.refund_state != "done"):
            order = refund.sale_order_id or self._find_order(refund)
            invoice = self._find_invoice(order)
            if not invoice:
                refund.sudo().write(
                    {
                        "sale_order_id": order.id,
                        "refund_state": "waiting",
                        "refund_message": self.env._(
                            "Order %s is not invoiced yet: the credit note is made "
                            "when it is.",
                            refund.amazon_order_id or "?",
                        )
                        if order
                        else self.env._(
                            "Order %s is not imported.", refund.amazon_order_id or "?"
                        ),
                    }
                )
                continue
            try:
                with self.env.cr.savepoint():
                    move = self._make_credit_note(refund, order, invoice)
            except BOOKING_ERRORS as error:
                refund.sudo().write(
                    {"refund_state": "error", "refund_message": str(error)}
                )
                if log:
                    log._add_line(refund.transaction_id, str(error))
                continue
            refund.sudo().write(
                {
                    "sale_order_id": order.id,
                    "refund_state": "done",
                    "refund_message": False,
                    "credit_note_id": move.id,
                }
            )
            moves |= move
        return moves

    @api.model
    def _find_order(self, refund):
        if not refund.amazon_order_id:
            return self.env["sale.order"]
        return self.env["sale.order"].search(
            [
                ("amazon_account_id", "=", refund.account_id.id),
                ("amazon_order_kind", "=", "seller"),
                ("amazon_order_id", "=", refund.amazon_order_id),
            ],
            limit=1,
        )

    @api.model
    def _find_invoice(self, order):
        return order.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
        ).sorted("id")[:1]

    # --- amounts ------------------------------------------------------------------
    @api.model
    def _category(self, line):
        names = [line.breakdown_type or ""] + (line.path or "").split(" / ")[::-1]
        for name in names:
            if name in BREAKDOWN_TAX:
                return "tax"
            if name in BREAKDOWN_PROMOTION:
                return "promotion"
            if name in BREAKDOWN_SHIPPING:
                return "shipping"
            if name in BREAKDOWN_GIFT_WRAP:
                return "gift_wrap"
            if name in BREAKDOWN_GOODS:
                return "goods"
        return "other"

    @api.model
    def _refund_amounts(self, refund):
        """Per SKU (None for the whole order) and category, the money given back
        (positive), and the quantities per SKU."""
        leaves = refund.line_ids.filtered("is_leaf")
        item_leaves = leaves.filtered("from_item")
        if item_leaves:
            leaves = item_leaves
        amounts = defaultdict(float)
        quantities = {}
        for line in leaves:
            category = self._category(line)
            if category == "other":
                continue
            key = line.sku or None
            amounts[(key, category)] += -line.amount
            if line.sku and line.quantity:
                quantities[line.sku] = line.quantity
        return amounts, quantities

    @api.model
    def _refund_category_label(self, category):
        """What a refund line is, in the user's words (never the internal key)."""
        labels = {
            "goods": self.env._("goods"),
            "shipping": self.env._("shipping"),
            "gift_wrap": self.env._("gift wrap"),
            "promotion": self.env._("promotion"),
        }
        return labels.get(category, category)

    def _untaxed(self, taxes, gross, includes_tax):
        """The untaxed price giving ``gross`` with ``taxes`` (not rounded)."""
        excluded = taxes.filtered(lambda t: not t.price_include)
        if not includes_tax or not excluded:
            return gross
        details = excluded._get_tax_details(
            gross, 1.0, rounding_method="round_globally", special_mode="total_included"
        )
        return details["total_excluded"]

    @api.model
    def _make_credit_note(self, refund, order, invoice):
        """:return: the posted credit note of ``refund`` against ``invoice``"""
        if refund.currency_id and refund.currency_id != invoice.currency_id:
            raise UserError(
                self.env._(
                    "The refund is in %(refund)s, the invoice in %(invoice)s.",
                    refund=refund.currency_id.name,
                    invoice=invoice.currency_id.name,
                )
            )
        account = order.amazon_account_id
        includes_tax = order.amazon_marketplace_id.price_includes_tax
        amounts, quantities = self._refund_amounts(refund)
        lines = self._prepare_lines(
            order, invoice, account, amounts, quantities, includes_tax
        )
        if not lines:
            raise UserError(self.env._("The refund gives back no goods or charges."))
        expected = sum(
            value
            for (_sku, category), value in amounts.items()
            if category != "tax" or not includes_tax
        )
        date = self._local_date(order, refund.posted_date)
        move = (
            self.env["account.move"]
            .sudo()
            .with_context(default_move_type="out_refund", tracking_disable=True)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "partner_shipping_id": invoice.partner_shipping_id.id,
                    "journal_id": invoice.journal_id.id,
                    "currency_id": invoice.currency_id.id,
                    "fiscal_position_id": invoice.fiscal_position_id.id,
                    "invoice_date": max(date, invoice.invoice_date or date),
                    "reversed_entry_id": invoice.id,
                    "ref": self.env._(
                        "Amazon refund %(refund)s of %(order)s",
                        refund=refund.refund_reference or refund.transaction_id,
                        order=order.amazon_order_id,
                    ),
                    "invoice_origin": order.name,
                    "amazon_refund_transaction_id": refund.id,
                    "amazon_invoiced_by_amazon": invoice.amazon_invoiced_by_amazon,
                    "invoice_line_ids": [Command.create(vals) for vals in lines],
                }
            )
        )
        currency = move.currency_id
        diff = currency.round(expected - move.amount_total)
        if not float_is_zero(diff, precision_rounding=currency.rounding):
            if not account.rounding_product_id:
                raise UserError(
                    self.env._(
                        "Odoo's credit note differs from Amazon's refund and no "
                        "rounding product is configured."
                    )
                )
            move.write(
                {
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": account.rounding_product_id.id,
                                "name": self.env._(
                                    "Rounding difference with Amazon's refund"
                                ),
                                "quantity": 1,
                                "price_unit": diff,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ]
                }
            )
        move.action_post()
        return move.sudo(False)

    @api.model
    def _local_date(self, order, moment):
        moment = moment or fields.Datetime.now()
        return order._amazon_local_date(moment)

    @api.model
    def _prepare_lines(
        self, order, invoice, account, amounts, quantities, includes_tax
    ):
        """Credit note lines: the goods per SKU with the invoice's product, taxes and
        account; shipping, gift wrap and promotions with the invoice's charges."""
        invoice_lines = invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        by_sku = {}
        for line in invoice_lines:
            for sale_line in line.sale_line_ids:
                if sale_line.amazon_sku:
                    by_sku.setdefault(sale_line.amazon_sku, line)
        charge_products = {
            "shipping": invoice_lines.product_id.filtered(
                lambda p: (
                    p.type == "service"
                    and p
                    not in (account.gift_wrap_product_id | account.rounding_product_id)
                )
            ),
            "gift_wrap": account.gift_wrap_product_id,
        }
        goods_lines = invoice_lines.filtered(lambda line: line in by_sku.values())
        vals_list = []
        for (sku, category), gross in sorted(
            amounts.items(), key=lambda kv: (kv[0][1], kv[0][0] or "")
        ):
            if category == "tax" or float_is_zero(
                gross, precision_rounding=invoice.currency_id.rounding
            ):
                continue
            if category in ("goods", "promotion"):
                source = by_sku.get(sku) or goods_lines[:1]
                quantity = (quantities.get(sku) or 1.0) if category == "goods" else 1.0
                name = (
                    source.name
                    if category == "goods"
                    else self.env._("Amazon promotion %s", sku or "")
                )
            else:
                products = charge_products[category]
                source = invoice_lines.filtered(
                    lambda line, products=products: line.product_id in products
                )[:1]
                quantity = 1.0
                name = source.name if source else False
            if not source:
                raise UserError(
                    self.env._(
                        "The invoice %(invoice)s has no line for the refunded "
                        "%(what)s %(sku)s.",
                        invoice=invoice.name,
                        what=self._refund_category_label(category),
                        sku=sku or "",
                    )
                )
            unit = self._untaxed(source.tax_ids, gross / quantity, includes_tax)
            vals_list.append(
                {
                    "product_id": source.product_id.id,
                    "name": name or source.product_id.display_name,
                    "quantity": quantity,
                    "price_unit": unit,
                    "tax_ids": [Command.set(source.tax_ids.ids)],
                    "account_id": source.account_id.id,
                    "product_uom_id": source.product_uom_id.id,
                }
            )
        return vals_list
