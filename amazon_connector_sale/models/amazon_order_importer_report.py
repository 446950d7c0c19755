# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The e-mail sent after an import that created or failed orders."""

from odoo import api, models


class AmazonOrderImporterReport(models.AbstractModel):
    _name = "amazon.order.importer.report"
    _description = "Amazon Order Importer: Report"

    # --- e-mail ---------------------------------------------------------------
    @api.model
    def _notify(self, account, log, stats, report):
        """E-mail the configured recipients when orders were created or failed."""
        recipients = account.order_notify_partner_ids
        if not recipients or not (stats["created"] or stats["failed"]):
            return
        template = self.env.ref(
            "amazon_connector_sale.mail_template_amazon_order_import",
            raise_if_not_found=False,
        )
        if not template:
            return
        orders = [
            {
                "amazon": so.amazon_order_id,
                "odoo": so.name,
                "customer": so.partner_id.display_name,
                "total": so.currency_id.format(so.amount_total),
            }
            for so in report["orders"]
        ]
        failures = [
            {"amazon": ref, "reason": reason} for ref, reason in report["failures"]
        ]
        template.with_context(
            amazon_account_name=account.name,
            amazon_stats=dict(stats),
            amazon_orders=orders,
            amazon_failures=failures,
        ).sudo().send_mail(
            log.id,
            email_values={"recipient_ids": [(6, 0, recipients.ids)]},
        )
