# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError

_logger = logging.getLogger(__name__)

INVOICING_ERRORS = (UserError, ValidationError, AccessError)


class AmazonInvoicer(models.AbstractModel):
    """Invoices of Amazon orders, created and posted the way Odoo does it.

    Odoo's own ``_create_invoices`` and ``action_post`` run on the whole batch (one
    invoice per order); the order's values come from ``sale.order._prepare_invoice``.
    An order that cannot be invoiced keeps its error and the rest is invoiced.
    """

    _name = "amazon.invoicer"
    _description = "Amazon Order Invoicing"

    @api.model
    def _invoice_orders(self, orders, raise_errors=False):
        """Create and post the invoices of what the orders have to invoice.

        :param orders: sale.order of Amazon seller accounts
        :param raise_errors: raise the error of a single order (a user's button)
        :return: account.move created
        """
        orders = orders.filtered(
            lambda o: o.state == "sale" and o.invoice_status == "to invoice"
        )
        Move = self.env["account.move"]
        if not orders:
            return Move
        try:
            with self.env.cr.savepoint():
                moves = self._create_and_post(orders)
            self._book_waiting_refunds(orders)
            return moves
        except INVOICING_ERRORS as error:
            if raise_errors and len(orders) == 1:
                raise
            _logger.info("Amazon invoicing batch failed, order by order: %s", error)
        moves = Move
        for order in orders:
            try:
                with self.env.cr.savepoint():
                    moves |= self._create_and_post(order)
            except INVOICING_ERRORS as error:
                order.sudo().amazon_invoice_error = str(error)
                order.message_post(
                    body=self.env._("The invoice could not be created: %s", error)
                )
        self._book_waiting_refunds(moves.invoice_line_ids.sale_line_ids.order_id)
        return moves

    @api.model
    def _book_waiting_refunds(self, orders):
        """Refunds that waited for these orders' invoices get their credit notes."""
        waiting = (
            self.env["amazon.finance.transaction"]
            .sudo()
            .search(
                [("sale_order_id", "in", orders.ids), ("refund_state", "=", "waiting")]
            )
        )
        if waiting:
            self.env["amazon.refund.booker"]._book_refunds(waiting)

    @api.model
    def _create_and_post(self, orders):
        """Invoicing follows the account's policy, not the rights of the user whose
        action triggered it (a warehouse user validating a delivery): it runs as
        the system, in the order's company."""
        # Odoo refuses to post in an inactive currency; the order import activates
        # Amazon's currencies, but a rolled-back batch can take that back.
        inactive = orders.currency_id.filtered(lambda c: not c.active)
        if inactive:
            inactive.sudo().active = True
        moves = (
            orders.sudo()
            .with_context(tracking_disable=True)
            ._create_invoices(grouped=True, final=True)
        )
        moves.action_post()
        with_error = orders.filtered("amazon_invoice_error")
        if with_error:
            with_error.sudo().amazon_invoice_error = False
        return moves.sudo(False)

    @api.model
    def _invoice_on(self, orders, event):
        """Invoice the Amazon orders whose account invoices on ``event``.

        :param event: "import" or "ship"
        """
        due = orders.sudo().filtered(
            lambda o: (
                o.amazon_account_id
                and o.amazon_order_kind == "seller"
                and o.amazon_account_id._get_invoice_policy(
                    o.amazon_fulfillment_channel
                )
                == event
            )
        )
        return self._invoice_orders(due)
