# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's Data Protection Policy: buyer data may be kept only as long as needed
to fulfil the order, at most 30 days after shipment, except what tax law requires.

Anonymized: name, street, phone, e-mail of contacts created from Amazon whose
orders are all closed for longer than the account's retention. Kept: country, zip,
city and VAT (tax). Never touched: contacts matched by e-mail (not ours) and
contacts used by documents outside Amazon orders.
"""

import json
from datetime import timedelta

from odoo import api, fields, models

from ..const import CLOSED_STATUSES

ANONYMOUS = "Anonymized Amazon buyer"


class AmazonOrderAnonymizer(models.AbstractModel):
    _name = "amazon.order.anonymizer"
    _description = "Amazon Buyer Data Retention"

    @api.model
    def _run_all(self):
        accounts = self.env["amazon.account"].search([("account_type", "!=", "vendor")])
        for account in accounts:
            self._run(account)

    @api.model
    def _run(self, account):
        """:return: dict of counts (contacts, orders, failures, log lines)"""
        limit = fields.Datetime.now() - timedelta(
            days=max(account.pii_retention_days, 0)
        )
        SaleOrder = self.env["sale.order"].with_context(active_test=False)
        orders = SaleOrder.search(
            [
                ("amazon_account_id", "=", account.id),
                ("amazon_pii_anonymized", "=", False),
                ("amazon_status", "in", list(CLOSED_STATUSES)),
                ("amazon_closed_date", "<", limit),
            ]
        )
        partners = (orders.partner_id | orders.partner_shipping_id).filtered(
            lambda p: p.amazon_created and not p.amazon_anonymized
        )
        contacts = self.env["res.partner"]
        for partner in partners:
            if self._may_anonymize(partner, limit):
                contacts |= partner
        contacts.write(self._prepare_anonymous_values())
        orders.write({"amazon_pii_anonymized": True})
        failures = self._purge_failures(account, limit)
        lines = self._purge_log_lines(account, limit)
        counts = {
            "contacts": len(contacts),
            "orders": len(orders),
            "failures": failures,
            "log_lines": lines,
        }
        if any(counts.values()):
            log = self.env["amazon.sync.log"]._start(
                account, "pii_retention", trigger="scheduled"
            )
            log._finish(
                state="done",
                updated=len(contacts),
                message=self.env._(
                    "Anonymized %(contacts)s contacts of %(orders)s orders, "
                    "%(failures)s failed-order payloads and %(log_lines)s log lines.",
                    **counts,
                ),
            )
        return counts

    @api.model
    def _may_anonymize(self, partner, limit):
        """Only if every order of the contact is an Amazon order closed long enough
        and no other document (invoice, delivery...) outside them uses it."""
        SaleOrder = self.env["sale.order"].with_context(active_test=False)
        domain = [
            "|",
            ("partner_id", "=", partner.id),
            ("partner_shipping_id", "=", partner.id),
        ]
        for order in SaleOrder.search(domain):
            if (
                not order.amazon_order_id
                or order.amazon_status not in CLOSED_STATUSES
                or not order.amazon_closed_date
                or order.amazon_closed_date >= limit
            ):
                return False
        if "account.move" in self.env:
            moves = self.env["account.move"].search([("partner_id", "=", partner.id)])
            if moves.filtered(
                lambda m: (
                    not m.invoice_line_ids.sale_line_ids.order_id.filtered(
                        "amazon_order_id"
                    )
                )
            ):
                return False
        return True

    @api.model
    def _prepare_anonymous_values(self):
        return {
            "name": ANONYMOUS,
            "street": False,
            "street2": False,
            "phone": False,
            "mobile": False,
            "email": False,
            "comment": False,
            "amazon_match_key": False,
            "amazon_anonymized": True,
        }

    @api.model
    def _purge_failures(self, account, limit):
        """Failed-order payloads hold buyer data: strip it once past the retention."""
        failures = self.env["amazon.order.failure"].search(
            [
                ("account_id", "=", account.id),
                ("payload_anonymized", "=", False),
                ("create_date", "<", limit),
            ]
        )
        for failure in failures:
            payload = failure._get_payload() or {}
            payload.pop("buyer", None)
            payload.pop("recipient", None)
            if isinstance(payload.get("tax"), dict):
                payload["tax"].pop("taxRegistrations", None)
            failure.write({"payload": json.dumps(payload), "payload_anonymized": True})
        return len(failures)

    @api.model
    def _purge_log_lines(self, account, limit):
        Line = self.env["amazon.sync.log.line"].sudo()
        if "log_id" not in Line._fields:
            return 0
        lines = Line.search(
            [("log_id.account_id", "=", account.id), ("create_date", "<", limit)]
        )
        count = len(lines)
        lines.unlink()
        return count
