# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The import e-mail's subject kept dropping zero counts ("  imported"): its
template is noupdate, so the corrected subject is written here."""

SUBJECT = (
    "Amazon orders {{ ctx.get('amazon_account_name') or '' }}: "
    "{{ str((ctx.get('amazon_stats') or {}).get('created', 0)) }} imported, "
    "{{ str((ctx.get('amazon_stats') or {}).get('failed', 0)) }} failed"
)


def migrate(cr, version):
    from odoo import SUPERUSER_ID, api

    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(
        "amazon_connector_sale.mail_template_amazon_order_import",
        raise_if_not_found=False,
    )
    if template and "get('created', 0) }}" in (template.subject or ""):
        template.subject = SUBJECT
