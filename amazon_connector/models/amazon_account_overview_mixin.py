# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The account card of the Amazon overview: last and next sync of each kind.

Community has no dashboard view type: the overview is the account kanban (the
landing page of the Amazon app). Each addon adds its own counts to the card
(orders to ship, failed orders, failed confirmations) with links.
"""

from odoo import api, fields, models
from odoo.tools import format_datetime

from .amazon_sync_log import SYNC_KINDS


class AmazonAccountOverviewMixin(models.AbstractModel):
    """The overview part of ``amazon.account`` (which inherits this mixin)."""

    _name = "amazon.account.overview.mixin"
    _description = "Amazon Account Overview"

    overview_syncs = fields.Text(
        string="Syncs",
        compute="_compute_overview_syncs",
        help="Last run and next scheduled run of each kind of sync.",
    )
    overview_failed_syncs = fields.Integer(
        string="Failed Syncs",
        compute="_compute_overview_syncs",
        help="Kinds of sync whose last run failed or stopped early.",
    )

    def _overview_kinds(self):
        """The kinds of sync the account has a schedule for, in SYNC_KINDS order."""
        self.ensure_one()
        order = [kind for kind, _label in SYNC_KINDS]
        kinds = [
            kind
            for kind in order
            if f"{kind}_next_run" in self._fields and self._overview_kind_applies(kind)
        ]
        return kinds

    def _overview_kind_applies(self, kind):
        """Vendor accounts have no seller orders, stock push or FBA, and back."""
        self.ensure_one()
        seller_only = {"orders", "stock", "fba_inventory", "listings"}
        if self.account_type == "vendor":
            return kind not in seller_only
        return kind != "vendor_orders"

    @api.depends_context("tz", "lang")
    def _compute_overview_syncs(self):
        Log = self.env["amazon.sync.log"].sudo()
        labels = dict(
            self.env["amazon.sync.log"]
            ._fields["kind_name"]
            ._description_selection(self.env)
        )
        states = dict(
            self.env["amazon.sync.log"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        for account in self:
            lines, failed = [], 0
            if not account.id:
                account.overview_syncs = False
                account.overview_failed_syncs = 0
                continue
            for kind in account._overview_kinds():
                last = Log.search(
                    [("account_id", "=", account.id), ("kind", "=", kind)],
                    order="date_start desc, id desc",
                    limit=1,
                )
                if last.state in ("failed", "throttled", "partial"):
                    failed += 1
                last_text = (
                    self.env._(
                        "last %(date)s (%(state)s)",
                        date=format_datetime(
                            self.env, last.date_start, dt_format="short"
                        ),
                        state=states.get(last.state, last.state),
                    )
                    if last
                    else self.env._("never run")
                )
                next_run = account[f"{kind}_next_run"]
                active = account[f"{kind}_sync_active"]
                if not active:
                    next_text = self.env._("not scheduled")
                elif account.state != "connected":
                    next_text = self.env._("waits for a working connection")
                else:
                    next_text = self.env._(
                        "next %s",
                        format_datetime(self.env, next_run, dt_format="short")
                        if next_run
                        else self.env._("at the next pass"),
                    )
                lines.append(f"{labels.get(kind, kind)}: {last_text} · {next_text}")
            account.overview_syncs = "\n".join(lines) or False
            account.overview_failed_syncs = failed

    def action_view_failed_syncs(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector.amazon_sync_log_action"
        )
        action["domain"] = [
            ("account_id", "=", self.id),
            ("state", "in", ("failed", "throttled", "partial")),
        ]
        return action
