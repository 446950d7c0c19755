# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import fields, models

# Keys of Amazon's order documents that hold a buyer's data, at any depth:
# Orders 2026-01-01 (buyer, recipient, tax registrations, gift options) and
# Orders v0 (BuyerInfo, ShippingAddress), Direct Fulfillment 2021-12-28
# (shipToParty: the end customer, messageToCustomer, giftDetails).
PERSONAL_KEYS = frozenset(
    {
        "buyer",
        "recipient",
        "taxRegistrations",
        "deliveryAddress",
        "giftOption",
        "giftMessage",
        "BuyerInfo",
        "ShippingAddress",
        "DefaultShipFromLocationAddress",
        "shipToParty",
        "messageToCustomer",
        "giftDetails",
        "buyerInfo",
        "shippingAddress",
    }
)
ERASED = "[…]"


def _strings(node):
    """Every text (of 3 characters or more) inside ``node``."""
    if isinstance(node, str):
        return [node] if len(node.strip()) >= 3 else []
    if isinstance(node, dict):
        node = list(node.values())
    if isinstance(node, list):
        return [text for value in node for text in _strings(value)]
    return []


def strip_personal_data(payload):
    """Remove :data:`PERSONAL_KEYS` from ``payload`` (in place).

    :return: the texts removed (to erase their copies in error messages)
    """
    removed = []
    if isinstance(payload, dict):
        for key in list(payload):
            if key in PERSONAL_KEYS:
                removed += _strings(payload.pop(key))
            else:
                removed += strip_personal_data(payload[key])
    elif isinstance(payload, list):
        for value in payload:
            removed += strip_personal_data(value)
    return removed


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
    # Vendor purchase orders that failed share the seller orders' failure list.
    amazon_vendor_kind = fields.Selection(
        [("retail", "Vendor Retail"), ("df", "Vendor Direct Fulfillment")],
        string="Vendor Order",
        readonly=True,
        help="Empty for seller orders.",
    )

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

    def _prepare_anonymized_vals(self, document, error):
        """Payload and error of a failure without the buyer's data.

        Also used when Amazon sends again an order whose failure was already
        anonymized: the stored payload must not be filled again.

        :param document: the order as Amazon sent it (any JSON value, or None)
        :param error: the reason text, from which the removed texts are erased
        """
        if not isinstance(document, dict | list):
            return {"payload": False, "error": error or ""}
        document = json.loads(json.dumps(document, default=str))
        removed = strip_personal_data(document)
        error = error or ""
        for text in sorted(set(removed), key=len, reverse=True):
            error = error.replace(text, ERASED)
        return {"payload": json.dumps(document), "error": error}

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
