# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    amazon_programs = fields.Char(
        readonly=True, copy=False, help="Amazon's programs of the order."
    )
    amazon_invoiced_by_amazon = fields.Boolean(
        string="Invoice Issued by Amazon",
        readonly=True,
        copy=False,
        help="Amazon issues the buyer's invoice (program INVOICE_BY_AMAZON).",
    )
    amazon_business_order = fields.Boolean(
        string="Amazon Business", readonly=True, copy=False
    )
    amazon_tax_collected_by_amazon = fields.Boolean(
        string="VAT Collected by Amazon",
        readonly=True,
        copy=False,
        help="Amazon collects and remits the VAT of the items (marketplace "
        "facilitator): the seller's invoice carries none.",
    )
    amazon_invoice_number = fields.Char(
        copy=False,
        help="The number of the invoice Amazon issued to the buyer, the reference "
        "of the sale recorded in Odoo.",
    )
    amazon_tax_amount = fields.Monetary(
        string="Amazon's Tax",
        readonly=True,
        copy=False,
        help="The taxes Amazon reported for the items, shipping and gift wrap.",
    )
    amazon_tax_note = fields.Text(
        string="Tax Difference with Amazon", readonly=True, copy=False
    )
    amazon_invoice_error = fields.Text(
        string="Invoicing Error", readonly=True, copy=False
    )
    amazon_refund_ids = fields.One2many(
        "amazon.finance.transaction",
        "sale_order_id",
        string="Amazon Refunds",
        domain=[("transaction_type", "=", "Refund")],
    )
    amazon_refund_waiting = fields.Boolean(
        compute="_compute_amazon_refund_waiting",
        search="_search_amazon_refund_waiting",
        string="Refund Waiting for Invoice",
    )

    @api.depends("amazon_refund_ids.refund_state")
    def _compute_amazon_refund_waiting(self):
        for order in self:
            order.amazon_refund_waiting = any(
                refund.refund_state == "waiting" for refund in order.amazon_refund_ids
            )

    def _search_amazon_refund_waiting(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return [("id", "=", 0)]
        domain = [("amazon_refund_ids", "any", [("refund_state", "=", "waiting")])]
        return domain if (operator == "=") == value else ["!", *domain]

    # --- "Invoice paid" notes of a settlement ---------------------------------------
    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        """Within a settlement booking (context ``amazon_paid_notes``, a list), the
        "Invoice ... paid" note that sale posts on each order (a body and nothing
        else) is collected, then logged in one batch by ``_amazon_log_paid_notes``."""
        notes = self.env.context.get("amazon_paid_notes")
        if (
            notes is not None
            and len(self) == 1
            and set(kwargs) == {"body"}
            and self.amazon_account_id
        ):
            notes.append((self.id, kwargs["body"]))
            return self.env["mail.message"]
        return super().message_post(**kwargs)

    @api.model
    def _amazon_log_paid_notes(self, notes):
        """Log the collected notes: one ``mail.message`` create for all the orders
        (Odoo's ``_message_log_batch``) instead of one ``message_post`` each.

        A note notifies only the followers subscribed to notes: the orders that
        have such a follower get theirs through ``message_post``, as sale posts it.

        :param list notes: [(sale order id, body)]
        """
        if not notes:
            return
        orders = self.browse({order_id for order_id, _body in notes})
        subtype = self.env.ref("mail.mt_note")
        followed = set(
            self.env["mail.followers"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", orders.ids),
                    ("subtype_ids", "in", subtype.ids),
                ]
            )
            .mapped("res_id")
        )
        batches = []  # each batch at most one note an order (an order may have two)
        for order_id, body in notes:
            if order_id in followed:
                self.browse(order_id).with_context(amazon_paid_notes=None).message_post(
                    body=body
                )
                continue
            for batch in batches:
                if order_id not in batch:
                    batch[order_id] = body
                    break
            else:
                batches.append({order_id: body})
        for batch in batches:
            self.browse(batch)._message_log_batch(batch)

    # --- invoices ---------------------------------------------------------------
    def _prepare_invoice(self):
        """Amazon orders: the Amazon-issued journal when Amazon invoices the buyer,
        the Amazon order id (or Amazon's invoice number) as reference, the
        invoice date from the shipment or the purchase, the tax note carried."""
        vals = super()._prepare_invoice()
        if not self.amazon_account_id or self.amazon_order_kind != "seller":
            return vals
        account = self.amazon_account_id
        if self.amazon_invoiced_by_amazon and account.amazon_invoice_journal_id:
            vals["journal_id"] = account.amazon_invoice_journal_id.id
        vals["ref"] = self.amazon_invoice_number or self.amazon_order_id
        vals["invoice_date"] = self._amazon_invoice_date()
        vals["amazon_tax_note"] = self.amazon_tax_note or False
        vals["amazon_invoiced_by_amazon"] = self.amazon_invoiced_by_amazon
        return vals

    def _get_invoiceable_lines(self, final=False):
        """Notes of Amazon orders (the order's reference, gift messages, buyer
        notes) stay on the order: an invoice is a tax document, and retention
        must keep a posted invoice as issued, with no personal message in it."""
        lines = super()._get_invoiceable_lines(final=final)
        if self.amazon_account_id and self.amazon_order_kind == "seller":
            lines = lines.filtered(lambda line: line.display_type != "line_note")
        return lines

    def _amazon_invoice_date(self):
        """The invoice date the account wants, as a date of the marketplace."""
        self.ensure_one()
        moment = None
        if self.amazon_account_id.invoice_date_source == "shipment":
            moment = self._amazon_shipment_date()
        return self._amazon_local_date(
            moment or self.amazon_purchase_date or self.date_order
        )

    def _amazon_local_date(self, moment):
        """A UTC datetime as a date of the order's marketplace."""
        self.ensure_one()
        tz_name = self.amazon_marketplace_id.tz or "UTC"
        try:
            tz = pytz.timezone(tz_name)
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        return pytz.utc.localize(moment).astimezone(tz).date()

    def _amazon_shipment_date(self):
        """When the goods left: Amazon's closing time for FBA, the validated
        deliveries for FBM; None when nothing shipped yet."""
        self.ensure_one()
        if self.amazon_fulfillment_channel == "fba" and self.amazon_closed_date:
            return self.amazon_closed_date
        done = self.picking_ids.filtered(
            lambda p: p.state == "done" and p.picking_type_code == "outgoing"
        )
        dates = [d for d in done.mapped("date_done") if d]
        return min(dates) if dates else None

    def action_amazon_create_invoices(self):
        """Invoice the selected Amazon orders now, with the account's rules.

        :raise AccessError: the user may not invoice (invoicing runs as the system)
        """
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only invoicing users may invoice orders."))
        orders = self.filtered(
            lambda o: o.amazon_account_id and o.amazon_order_kind == "seller"
        )
        self.env["amazon.invoicer"]._invoice_orders(orders, raise_errors=True)
        return True
