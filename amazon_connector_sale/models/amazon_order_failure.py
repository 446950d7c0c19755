# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import fields, models


class AmazonOrderFailure(models.Model):
    """An Amazon order that could not be imported.

    It keeps the order's payload so that nothing is lost: every run retries the
    open failures until they import or a manager dismisses them.
    """

    _name = "amazon.order.failure"
    _description = "Amazon Order Import Failure"
    _order = "id desc"
    _rec_name = "amazon_order_id"

    account_id = fields.Many2one(
        "amazon.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    amazon_order_id = fields.Char(required=True, index=True)
    amazon_last_update = fields.Datetime()
    # Buyer name, e-mail and address: managers only, also through search_read.
    payload = fields.Text(
        help="The order as Amazon sent it (JSON).",
        groups="amazon_connector.amazon_connector_group_manager",
    )
    error = fields.Text(required=True)
    retry_count = fields.Integer(default=0)
    last_try = fields.Datetime(default=fields.Datetime.now)
    state = fields.Selection(
        [("open", "To retry"), ("done", "Imported"), ("dismissed", "Dismissed")],
        default="open",
        required=True,
        index=True,
    )
    sale_order_id = fields.Many2one("sale.order", readonly=True)
    payload_anonymized = fields.Boolean(readonly=True)

    _sql_constraints = (
        (
            "amazon_order_failure_uniq",
            "unique(account_id, amazon_order_id)",
            "One failure record per Amazon order.",
        ),
    )

    def _get_payload(self):
        self.ensure_one()
        try:
            payload = json.loads(self.payload or "null")
        except ValueError:
            return None
        return payload if isinstance(payload, dict) else None

    def action_retry(self):
        """Import the stored payloads again (the button).

        :raise AccessError: the user is not an Amazon manager of the failures
        """
        self.env["amazon.account"]._check_amazon_manager(self)
        importer = self.env["amazon.order.importer"].sudo()
        for failure in self.sudo().filtered(lambda f: f.state == "open"):
            importer._retry_failure(failure)
        return True

    def action_dismiss(self):
        self.write({"state": "dismissed"})
        return True

    def action_reopen(self):
        self.filtered(lambda f: f.state == "dismissed").write({"state": "open"})
        return True
