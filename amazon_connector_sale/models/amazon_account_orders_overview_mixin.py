# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The orders part of the account card in the Amazon overview."""

from odoo import fields, models

from ..const import STATUS_PARTIALLY_SHIPPED, STATUS_UNSHIPPED

TO_SHIP = (STATUS_UNSHIPPED, STATUS_PARTIALLY_SHIPPED)


class AmazonAccountOrdersOverviewMixin(models.AbstractModel):
    """The orders part of the overview of ``amazon.account`` (which inherits
    this mixin)."""

    _name = "amazon.account.orders.overview.mixin"
    _description = "Amazon Account Orders Overview"

    overview_orders_to_ship = fields.Integer(
        string="Orders to Ship",
        compute="_compute_overview_orders",
        help="Orders you ship yourself (FBM) that Amazon still lists as unshipped.",
    )
    overview_orders_late = fields.Integer(
        string="Late Orders",
        compute="_compute_overview_orders",
        help="Orders to ship whose ship-by date has passed.",
    )
    overview_failed_orders = fields.Integer(
        string="Failed Orders",
        compute="_compute_overview_orders",
        help="Amazon orders that could not become sale orders yet.",
    )

    def _to_ship_domain(self):
        return [
            ("amazon_account_id", "=", self.id),
            ("amazon_order_kind", "=", "seller"),
            ("amazon_fulfillment_channel", "=", "fbm"),
            ("amazon_status", "in", TO_SHIP),
            ("state", "!=", "cancel"),
        ]

    def _late_domain(self):
        return self._to_ship_domain() + [("amazon_ship_by", "<", fields.Datetime.now())]

    def _compute_overview_orders(self):
        SaleOrder = self.env["sale.order"].sudo()
        Failure = self.env["amazon.order.failure"].sudo()
        for account in self:
            if not account.id:
                account.overview_orders_to_ship = 0
                account.overview_orders_late = 0
                account.overview_failed_orders = 0
                continue
            account.overview_orders_to_ship = SaleOrder.search_count(
                account._to_ship_domain()
            )
            account.overview_orders_late = SaleOrder.search_count(
                account._late_domain()
            )
            account.overview_failed_orders = Failure.search_count(
                [("account_id", "=", account.id), ("state", "=", "open")]
            )

    def _overview_orders_action(self, domain, name):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_sale.sale_order_amazon_action"
        )
        action.update(name=name, domain=domain)
        return action

    def action_view_orders_to_ship(self):
        self.ensure_one()
        self.check_access("read")
        return self._overview_orders_action(
            self._to_ship_domain(), self.env._("Orders to ship: %s", self.name)
        )

    def action_view_late_orders(self):
        self.ensure_one()
        self.check_access("read")
        return self._overview_orders_action(
            self._late_domain(), self.env._("Late orders: %s", self.name)
        )
