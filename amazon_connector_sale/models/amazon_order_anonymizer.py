# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's Data Protection Policy: buyer data may be kept only as long as needed
to fulfil the order, at most 30 days after shipment, except what tax law requires
(and that kept copy archived, not in everyday use).

Past the account's retention, for the orders closed (shipped or cancelled) longer
ago, every copy of the buyer's data is erased:
- the contacts created from Amazon (seller buyers, Direct Fulfillment end
  customers): name, street, phone, e-mail, notes; kept: country, zip, city and
  VAT number (tax). Written without tracking, and the chatter of those contacts
  (old values included) is deleted;
- the tracking values of the orders, deliveries and invoices that named them;
- the order's import notes and gift messages;
- the import report e-mails, the failed-order payloads and the sync log lines;
- the files the connector stored with personal data (``ir.attachment`` marked
  ``amazon_personal_data``: labels, packing slips).

The legally kept copy: a contact named by a posted customer invoice or credit
note (its customer, commercial partner or delivery address) is not rewritten, so
that the invoice stays exactly as issued and a credit note can still be issued
against it. It keeps the invoice's data only (name, address, VAT number), loses
phone, e-mail and notes, is archived (out of every search, list and selection)
and marked ``amazon_invoice_copy``. Everything else that pointed to it (sale
orders, deliveries, other contacts) is moved to an anonymous twin.

Never touched: contacts matched by e-mail (not ours) and contacts used by
documents outside Amazon orders.
"""

from datetime import timedelta

from odoo import api, fields, models

from ..const import CLOSED_STATUSES

ANONYMOUS = "Anonymized Amazon buyer"
# Context of every write of the job: no tracking value, no chatter message (they
# would copy the old values the job erases), archived records included.
QUIET = {
    "tracking_disable": True,
    "mail_notrack": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "active_test": False,
}
# Columns that point an Amazon order's documents to its contacts (not the
# invoices: those keep their contacts as issued). (table, column, model)
ORDER_PARTNER_COLUMNS = (
    ("sale_order", "partner_id", "sale.order"),
    ("sale_order", "partner_invoice_id", "sale.order"),
    ("sale_order", "partner_shipping_id", "sale.order"),
    ("stock_picking", "partner_id", "stock.picking"),
    ("stock_move", "partner_id", "stock.move"),
    ("procurement_group", "partner_id", "procurement.group"),
)
INVOICE_TYPES = ("out_invoice", "out_refund")


class AmazonOrderAnonymizer(models.AbstractModel):
    _name = "amazon.order.anonymizer"
    _description = "Amazon Buyer Data Retention"

    @api.model
    def _run_all(self):
        """Every account: seller buyers and Direct Fulfillment end customers
        (vendor accounts) alike, archived accounts included."""
        accounts = self.env["amazon.account"].with_context(active_test=False).search([])
        for account in accounts:
            self._run(account)

    @api.model
    def _limit(self, account):
        return fields.Datetime.now() - timedelta(
            days=max(account.pii_retention_days, 0)
        )

    @api.model
    def _find_orders(self, account, limit):
        """Orders of the account closed before ``limit`` and not yet anonymized.

        Seller orders close with Amazon's status; Direct Fulfillment orders when
        their shipment is confirmed or they are cancelled (``amazon_closed_date``).
        """
        return (
            self.env["sale.order"]
            .with_context(**QUIET)
            .search(
                [
                    ("amazon_account_id", "=", account.id),
                    ("amazon_pii_anonymized", "=", False),
                    ("amazon_closed_date", "!=", False),
                    ("amazon_closed_date", "<", limit),
                    "|",
                    ("amazon_order_kind", "!=", "seller"),
                    ("amazon_status", "in", list(CLOSED_STATUSES)),
                ]
            )
        )

    @api.model
    def _run(self, account):
        """:return: dict of counts (contacts, kept for invoices, orders, failures,
        log lines, e-mails, files)"""
        self = self.with_context(**QUIET)
        limit = self._limit(account)
        orders = self._find_orders(account, limit)
        partners = (
            orders.partner_id | orders.partner_invoice_id | orders.partner_shipping_id
        ).filtered(lambda p: p.amazon_created and not p.amazon_anonymized)
        contacts = self.env["res.partner"]
        for partner in partners:
            if self._may_anonymize(partner, limit):
                contacts |= partner
        kept = self._invoice_contacts(contacts)
        self._purge_chatter(contacts, orders)
        self._keep_for_invoices(kept)
        (contacts - kept).write(self._prepare_anonymous_values())
        files = self._purge_orders(orders)
        failures = self._purge_failures(account, limit, orders)
        mails = self._purge_report_mails(account, limit, orders)
        lines = self._purge_log_lines(account, limit, orders)
        counts = {
            "contacts": len(contacts),
            "kept": len(kept),
            "orders": len(orders),
            "failures": failures,
            "log_lines": lines,
            "mails": mails,
            "files": files,
        }
        if any(counts.values()):
            log = self.env["amazon.sync.log"]._start(
                account, "pii_retention", trigger="scheduled"
            )
            log._finish(
                state="done",
                updated=len(contacts),
                message=self.env._(
                    "Anonymized %(contacts)s contacts (%(kept)s kept archived as "
                    "issued on invoices) of %(orders)s orders, %(failures)s "
                    "failed-order payloads, %(log_lines)s log lines, %(mails)s "
                    "report e-mails and %(files)s files.",
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
            "|",
            ("partner_id", "=", partner.id),
            ("partner_invoice_id", "=", partner.id),
            ("partner_shipping_id", "=", partner.id),
        ]
        for order in SaleOrder.search(domain):
            if (
                not order.amazon_order_id
                or not order.amazon_closed_date
                or order.amazon_closed_date >= limit
                or (
                    order.amazon_order_kind == "seller"
                    and order.amazon_status not in CLOSED_STATUSES
                )
            ):
                return False
        if "account.move" in self.env:
            moves = self.env["account.move"].search(
                [
                    "|",
                    ("partner_id", "=", partner.id),
                    ("partner_shipping_id", "=", partner.id),
                ]
            )
            if moves.filtered(
                lambda m: (
                    not (
                        m.invoice_line_ids.sale_line_ids.order_id
                        | m.reversed_entry_id.invoice_line_ids.sale_line_ids.order_id
                    ).filtered("amazon_order_id")
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

    # --- the kept copy of issued invoices -------------------------------------
    @api.model
    def _invoice_contacts(self, contacts):
        """The contacts a posted customer invoice or credit note names."""
        if not contacts or "account.move" not in self.env:
            return contacts.browse()
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("move_type", "in", INVOICE_TYPES),
                    ("state", "=", "posted"),
                    "|",
                    "|",
                    ("partner_id", "in", contacts.ids),
                    ("commercial_partner_id", "in", contacts.ids),
                    ("partner_shipping_id", "in", contacts.ids),
                ]
            )
        )
        named = moves.partner_id | moves.commercial_partner_id
        named |= moves.partner_shipping_id
        return contacts & named

    @api.model
    def _keep_for_invoices(self, kept):
        """Archive each kept contact as the invoices' copy; give everything else
        that pointed to it an anonymous twin.

        The twin is repointed in SQL, as Odoo's own partner merge does: writing a
        confirmed, locked order's contact through the ORM is refused, and would
        recompute its fiscal position, pricelist and addresses.
        """
        twins = {}
        # Parents first: a twin's parent is the parent's twin.
        for contact in kept.sorted(lambda p: (bool(p.parent_id), p.id)):
            parent = contact.parent_id
            twins[contact] = self.env["res.partner"].create(
                {
                    "name": ANONYMOUS,
                    "type": contact.type,
                    "is_company": contact.is_company,
                    "parent_id": (twins.get(parent) or parent).id or False,
                    "country_id": contact.country_id.id or False,
                    "state_id": contact.state_id.id or False,
                    "zip": contact.zip or False,
                    "city": contact.city or False,
                    "vat": False if parent else (contact.vat or False),
                    "lang": contact.lang or False,
                    "company_id": contact.company_id.id or False,
                    "customer_rank": contact.customer_rank,
                    "amazon_created": True,
                    "amazon_account_id": contact.amazon_account_id.id or False,
                    "amazon_anonymized": True,
                }
            )
        cr = self.env.cr
        for contact, twin in twins.items():
            for table, column, model in ORDER_PARTNER_COLUMNS:
                if model in self.env:
                    cr.execute(
                        f'UPDATE "{table}" SET "{column}" = %s WHERE "{column}" = %s',
                        [twin.id, contact.id],
                    )
        self.env.invalidate_all()
        for contact, twin in twins.items():
            # Its other contacts (delivery addresses of orders never invoiced)
            # follow the twin; they are anonymized with the others.
            (contact.child_ids - kept).write({"parent_id": twin.id})
        kept.write(
            {
                "phone": False,
                "mobile": False,
                "email": False,
                "comment": False,
                "amazon_match_key": False,
                "amazon_anonymized": True,
                "amazon_invoice_copy": True,
                "active": False,
            }
        )
        return twins

    # --- copies ---------------------------------------------------------------
    @api.model
    def _purge_chatter(self, contacts, orders):
        """The contacts' chatter (old names, phones, e-mails in tracking values
        and notes), and the tracking values of contact fields of the orders, their
        deliveries and invoices (they hold the contact's name)."""
        Message = self.env["mail.message"].sudo()
        if contacts:
            Message.search(
                [("model", "=", "res.partner"), ("res_id", "in", contacts.ids)]
            ).unlink()
        documents = [("sale.order", orders.ids)]
        if "stock.picking" in self.env:
            documents.append(("stock.picking", orders.picking_ids.ids))
        documents.append(("account.move", orders.invoice_ids.ids))
        Tracking = self.env["mail.tracking.value"].sudo()
        for model, ids in documents:
            if not ids:
                continue
            Tracking.search(
                [
                    ("mail_message_id.model", "=", model),
                    ("mail_message_id.res_id", "in", ids),
                    ("field_id.relation", "=", "res.partner"),
                ]
            ).unlink()

    @api.model
    def _purge_orders(self, orders):
        """Import notes (buyer names in VAT errors, phones, the DF message to the
        customer), gift messages and stored files of the orders.

        :return: the number of files deleted
        """
        if not orders:
            return 0
        orders.order_line.filtered("amazon_gift_message").unlink()
        orders.write({"amazon_import_notes": False, "amazon_pii_anonymized": True})
        return self._purge_files(orders)

    @api.model
    def _purge_files(self, orders):
        """Files the connector stored with personal data (labels, packing slips),
        attached to the orders, their deliveries or their purchase orders."""
        Attachment = self.env["ir.attachment"].sudo()
        documents = [("sale.order", orders.ids)]
        if "stock.picking" in self.env:
            documents.append(("stock.picking", orders.picking_ids.ids))
        documents.append(("amazon.vendor.order", orders.amazon_vendor_order_ids.ids))
        files = Attachment.browse()
        for model, ids in documents:
            if ids:
                files |= Attachment.search(
                    [
                        ("amazon_personal_data", "=", True),
                        ("res_model", "=", model),
                        ("res_id", "in", ids),
                    ]
                )
        count = len(files)
        files.unlink()
        return count

    @api.model
    def _purge_failures(self, account, limit, orders=None):
        """Failed-order payloads hold buyer data: strip it once past the
        retention, or when the order they became is anonymized."""
        domain = [
            ("account_id", "=", account.id),
            ("payload_anonymized", "=", False),
        ]
        if orders:
            domain += [
                "|",
                ("create_date", "<", limit),
                ("sale_order_id", "in", orders.ids),
            ]
        else:
            domain.append(("create_date", "<", limit))
        failures = self.env["amazon.order.failure"].sudo().search(domain)
        for failure in failures:
            payload = failure._get_payload()
            vals = failure._prepare_anonymized_vals(payload, failure.error)
            failure.write(dict(vals, payload_anonymized=True))
        return len(failures)

    @api.model
    def _purge_report_mails(self, account, limit, orders):
        """Import report e-mails (``mail.mail`` and its ``mail.message``) list
        the new orders' customers: deleted with the orders' data, or past the
        retention. Sent ones are already deleted (``auto_delete``)."""
        logs = (
            self.env["amazon.sync.log"]
            .sudo()
            .search([("account_id", "=", account.id), ("create_date", "<", limit)])
            | orders.sudo().amazon_sync_log_id
        )
        if not logs:
            return 0
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "amazon.sync.log"), ("res_id", "in", logs.ids)])
        )
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids)])
        )
        count = len(mails) or len(messages)
        mails.unlink()
        messages.exists().unlink()
        return count

    @api.model
    def _purge_log_lines(self, account, limit, orders=None):
        """Lines past the retention, and those of the anonymized orders (a reason
        may quote the buyer, e.g. a refused VAT number)."""
        Line = self.env["amazon.sync.log.line"].sudo()
        if "log_id" not in Line._fields:
            return 0
        domain = [("log_id.account_id", "=", account.id)]
        refs = (
            [ref for ref in orders.mapped("amazon_order_id") if ref] if orders else []
        )
        if refs:
            domain += ["|", ("create_date", "<", limit), ("amazon_ref", "in", refs)]
        else:
            domain.append(("create_date", "<", limit))
        lines = Line.search(domain)
        count = len(lines)
        lines.unlink()
        return count
