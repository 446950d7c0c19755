# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

SHIPMENT_STATES = [
    ("not_needed", "Not needed"),
    ("waiting", "Waiting for tracking"),
    ("to_send", "To send"),
    ("sent", "Sent"),
    ("failed", "Failed"),
]


class StockPicking(models.Model):
    _inherit = "stock.picking"

    amazon_account_id = fields.Many2one(
        related="sale_id.amazon_account_id", string="Amazon Account"
    )
    amazon_shipment_state = fields.Selection(
        SHIPMENT_STATES,
        string="Amazon Confirmation",
        default="not_needed",
        required=True,
        copy=False,
        index=True,
        tracking=True,
        help="Whether this delivery still has to be confirmed to Amazon. Validation "
        "never waits for Amazon: the confirmation is sent by a background job right "
        "after the validation is committed, and retried when it fails.",
    )
    amazon_shipment_error = fields.Text(
        string="Amazon Confirmation Error", copy=False, readonly=True
    )
    amazon_shipment_date = fields.Datetime(
        string="Confirmed to Amazon on", copy=False, readonly=True
    )
    amazon_shipment_attempts = fields.Integer(copy=False, readonly=True)
    amazon_shipment_no_tracking = fields.Boolean(
        string="Confirmed without Tracking",
        copy=False,
        readonly=True,
        help="The shipment was confirmed to Amazon without a tracking number: the "
        "buyer cannot follow it and Amazon may count it against the valid "
        "tracking rate.",
    )

    # ------------------------------------------------------------------ hooks
    def _action_done(self):
        res = super()._action_done()
        self._amazon_after_done()
        return res

    def write(self, vals):
        corrected = {}
        if "carrier_tracking_ref" in vals:
            corrected = {
                picking.id: picking.carrier_tracking_ref
                for picking in self
                if picking.amazon_shipment_state == "sent"
                and (picking.carrier_tracking_ref or False)
                != (vals["carrier_tracking_ref"] or False)
            }
        res = super().write(vals)
        if corrected:
            self.browse(list(corrected))._amazon_tracking_corrected(corrected)
        if vals.get("carrier_tracking_ref"):
            waiting = self.filtered(lambda p: p.amazon_shipment_state == "waiting")
            if waiting:
                waiting.sudo().amazon_shipment_state = "to_send"
                self.env["amazon.shipment.confirmer"]._schedule_sending()
        return res

    @api.model
    def get_empty_list_help(self, help_message):
        """Stock replaces every empty picking list's help with "No transfer found.
        Let's create one!": the Amazon confirmations list keeps its own words."""
        if self.env.context.get("amazon_shipment_confirmations"):
            return help_message
        return super().get_empty_list_help(help_message)

    def _amazon_tracking_corrected(self, old_refs):
        """A tracking number changed after Amazon was told the shipment.

        confirmShipment refuses an order Amazon already marks shipped, and no
        SP-API operation edits a confirmed package: the seller corrects it in
        Seller Central. Tell the responsible person so, on the delivery.

        :param dict old_refs: {picking id: tracking number Amazon has}
        """
        for picking in self:
            note = self.env._(
                "The tracking number changed from %(old)s to %(new)s after the "
                "shipment was confirmed to Amazon. Amazon does not accept a second "
                "confirmation and its API cannot edit a confirmed package: correct "
                "it in Seller Central (Orders > Manage Orders > order %(order)s > "
                "Edit shipment) so that the buyer can track the parcel.",
                old=old_refs.get(picking.id) or "-",
                new=picking.carrier_tracking_ref or "-",
                order=picking.sale_id.amazon_order_id or picking.origin or "",
            )
            picking.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Correct the tracking number on Amazon"),
                note=note,
                user_id=(
                    picking.sale_id.user_id
                    or picking.sale_id.amazon_account_id.user_id
                    or self.env.user
                ).id,
            )

    def _amazon_after_done(self):
        """Flag Amazon FBM deliveries for confirmation and ask for a stock push.

        Nothing here talks to Amazon: validation must never fail or wait because
        Amazon is slow or down. The confirmation job is triggered and runs after
        this transaction commits, in its own transaction.
        """
        # Warehouse users validate without Amazon rights: read Amazon data as
        # superuser, write only Amazon fields of the pickings being validated.
        to_confirm = self.sudo().filtered(
            lambda p: p._amazon_needs_shipment_confirmation()
        )
        for picking in to_confirm:
            trigger = picking.amazon_account_id.shipment_confirm_trigger
            if trigger == "tracking" and not picking.carrier_tracking_ref:
                picking.amazon_shipment_state = "waiting"
            else:
                picking.amazon_shipment_state = "to_send"
        if any(p.amazon_shipment_state == "to_send" for p in to_confirm):
            self.env["amazon.shipment.confirmer"]._schedule_sending()
        self.env["amazon.stock.pusher"].sudo()._request_push_for_moves(self.move_ids)

    def _amazon_needs_shipment_confirmation(self):
        """Whether this done picking is the customer-bound step of an Amazon FBM order.

        Internal steps of a multi-step delivery, returns, FBA orders (Amazon
        ships them) and vendor orders (other APIs) are not confirmed here.
        """
        self.ensure_one()
        order = self.sale_id
        return bool(
            self.state == "done"
            and order.amazon_account_id
            and order.amazon_account_id.account_type == "seller"
            and order.amazon_order_id
            and order.amazon_fulfillment_channel == "fbm"
            and (order.amazon_order_kind or "seller") == "seller"
            and self.picking_type_code == "outgoing"
            and self.location_dest_id.usage == "customer"
            and self.amazon_shipment_state in ("not_needed", "waiting")
        )

    # ---------------------------------------------------------------- actions
    def action_amazon_retry_shipment(self):
        """Send the confirmation of these deliveries now (the "Retry" button).

        For those who may ship: inventory users, or Amazon managers, with write
        access to the deliveries (their company included), checked before the
        confirmation (sent as superuser, who reads the credentials) is tried.

        :return: True
        :raise AccessError: the user may not confirm these shipments
        """
        user = self.env.user
        if not self.env.su and not (
            user.has_group("stock.group_stock_user")
            or user.has_group("amazon_connector.amazon_connector_group_manager")
        ):
            raise AccessError(
                self.env._("Only inventory users can confirm shipments to Amazon.")
            )
        self.check_access("write")
        pickings = self.filtered(
            lambda p: p.amazon_shipment_state in ("to_send", "failed", "waiting")
        )
        # The seam reads the account's credentials, which only admins may read.
        self.env["amazon.shipment.confirmer"].sudo()._send(
            pickings.sudo(), trigger="manual"
        )
        return True
