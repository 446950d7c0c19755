# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..exceptions import AmazonThrottled
from ..utils import parse_datetime

SYNC_LOG_STATES = [
    ("running", "Running"),
    ("done", "Done"),
    ("partial", "Partially Done"),
    ("failed", "Failed"),
    ("throttled", "Throttled"),
]

# Logs older than this many days are removed by the autovacuum
# (ir.config_parameter amazon_connector.sync_log_retention_days, 0 keeps them).
DEFAULT_RETENTION_DAYS = 90

# The kinds of sync, in words. A sibling addon's new kind shows as its own text
# until it is added here.
SYNC_KINDS = [
    ("marketplaces", "Marketplaces"),
    ("listings", "Listings"),
    ("orders", "Orders"),
    ("vendor_orders", "Vendor orders"),
    ("stock", "Stock push"),
    ("shipments", "Shipment confirmations"),
    ("fba_inventory", "FBA inventory"),
    ("pii_retention", "Personal data retention"),
    ("refunds", "Refunds"),
    ("returns", "Returns"),
]

# The counters every run reports (see _finish).
COUNTERS = ("fetched", "created", "updated", "skipped", "failed")


class AmazonSyncLog(models.Model):
    """One run of one kind of sync, with a line per item that failed."""

    _name = "amazon.sync.log"
    _description = "Amazon Sync Log"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    account_id = fields.Many2one(
        "amazon.account", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, readonly=True
    )
    kind = fields.Char(
        required=True,
        index=True,
        readonly=True,
        help="What was synchronized: orders, vendor_orders, stock, shipments, "
        "listings, marketplaces, fba_inventory...",
    )
    kind_name = fields.Selection(
        SYNC_KINDS,
        string="Sync",
        compute="_compute_kind_name",
        store=True,
        help="What was synchronized, in words.",
    )
    trigger = fields.Selection(
        [("manual", "Manual"), ("scheduled", "Scheduled")],
        required=True,
        default="manual",
        readonly=True,
    )
    date_start = fields.Datetime(
        string="Start", required=True, default=fields.Datetime.now, readonly=True
    )
    date_end = fields.Datetime(string="End", readonly=True)
    duration = fields.Float(compute="_compute_duration", help="Seconds.")
    state = fields.Selection(
        SYNC_LOG_STATES, required=True, default="running", index=True, readonly=True
    )
    fetched = fields.Integer(readonly=True)
    created = fields.Integer(readonly=True)
    updated = fields.Integer(readonly=True)
    skipped = fields.Integer(readonly=True)
    failed = fields.Integer(readonly=True)
    cursor_before = fields.Char(
        readonly=True, help="Watermark the run started from (e.g. a date)."
    )
    cursor_after = fields.Char(
        readonly=True, help="Watermark the next run starts from."
    )
    cursor_before_date = fields.Datetime(
        string="From",
        compute="_compute_cursor_dates",
        help="The date the run started reading Amazon's changes from.",
    )
    cursor_after_date = fields.Datetime(
        string="Next run from",
        compute="_compute_cursor_dates",
        help="The date the next run reads Amazon's changes from.",
    )
    message = fields.Text(readonly=True)
    outcome = fields.Char(
        compute="_compute_outcome",
        help="Whether the run succeeded, failed or stopped early, and why, in words.",
    )
    line_ids = fields.One2many("amazon.sync.log.line", "log_id", readonly=True)
    line_count = fields.Integer(compute="_compute_line_count")

    @api.depends("date_start", "date_end")
    def _compute_duration(self):
        for log in self:
            log.duration = (
                (log.date_end - log.date_start).total_seconds()
                if log.date_start and log.date_end
                else 0.0
            )

    @api.depends("kind")
    def _compute_kind_name(self):
        known = dict(SYNC_KINDS)
        for log in self:
            log.kind_name = log.kind if log.kind in known else False

    @api.depends("cursor_before", "cursor_after")
    def _compute_cursor_dates(self):
        for log in self:
            log.cursor_before_date = self._cursor_date(log.cursor_before)
            log.cursor_after_date = self._cursor_date(log.cursor_after)

    @api.model
    def _cursor_date(self, text):
        """The date of an ISO watermark (``2026-03-01T10:00:00Z``), else False."""
        moment = parse_datetime(text)
        return moment.replace(microsecond=0) if moment else False

    def _kind_words(self):
        self.ensure_one()
        if self.kind_name:
            return dict(self._fields["kind_name"]._description_selection(self.env))[
                self.kind_name
            ]
        return (self.kind or "").replace("_", " ").capitalize()

    @api.depends("state", "message", "created", "updated", "skipped", "failed")
    def _compute_outcome(self):
        for log in self:
            log.outcome = log._outcome_text()

    def _outcome_text(self):
        """One plain sentence: succeeded, finished with failures, stopped early or
        failed, with the counts and Amazon's reason."""
        self.ensure_one()
        counts = self.env._(
            "%(created)s created, %(updated)s updated, %(skipped)s skipped, "
            "%(failed)s failed",
            created=self.created,
            updated=self.updated,
            skipped=self.skipped,
            failed=self.failed,
        )
        reason = (self.message or "").strip()
        if self.state == "done":
            text = self.env._("Succeeded: %(counts)s.", counts=counts)
        elif self.state == "partial":
            text = self.env._(
                "Finished, but %(failed)s item(s) failed (see the lines of the log): "
                "%(counts)s.",
                failed=self.failed,
                counts=counts,
            )
        elif self.state == "throttled":
            text = self.env._(
                "Stopped early: Amazon asked to slow down; the next run continues "
                "where this one stopped. So far: %(counts)s.",
                counts=counts,
            )
        elif self.state == "failed":
            text = self.env._("Failed: %(counts)s.", counts=counts)
        else:
            text = self.env._("Running: %(counts)s so far.", counts=counts)
        if reason and self.state != "done":
            text += " " + self.env._("Reason: %s", reason)
        elif reason:
            text += " " + reason
        return text

    def _notification_kind(self):
        """``success``, ``warning`` or ``danger`` for the worst of these logs."""
        states = set(self.mapped("state"))
        if "failed" in states:
            return "danger"
        if states & {"partial", "throttled", "running"}:
            return "warning"
        return "success"

    @api.depends("line_ids")
    def _compute_line_count(self):
        for log in self:
            log.line_count = len(log.line_ids)

    @api.depends("account_id", "kind", "date_start")
    def _compute_display_name(self):
        for log in self:
            log.display_name = (
                f"{log.account_id.name or ''} / {log._kind_words()} / "
                + (fields.Datetime.to_string(log.date_start) if log.date_start else "")
            )

    @api.model
    def _start(self, account, kind, trigger="manual", cursor_before=None):
        """Open the log of a sync run.

        :param account: the ``amazon.account`` being synchronized
        :param str kind: the kind of sync (free text, e.g. ``orders``)
        :param str trigger: ``manual`` or ``scheduled``
        :param cursor_before: watermark the run starts from (str or datetime)
        :return: the new log, in state ``running``
        """
        # A run the scheduled action started for a button says so (see
        # amazon.sync.schedule._run_schedule).
        trigger = self.env.context.get("amazon_sync_trigger") or trigger
        return self.sudo().create(
            {
                "account_id": account.id,
                "kind": kind,
                "trigger": trigger,
                "cursor_before": self._cursor_text(cursor_before),
            }
        )

    def _add_line(self, amazon_ref, reason, payload_ref=None):
        """Record one item that could not be synchronized.

        :param str amazon_ref: Amazon's id of the item (order id, SKU...)
        :param str reason: why, in words
        :param str payload_ref: where the payload can be found (e.g. a failure record)
        :return: the new line
        """
        self.ensure_one()
        return (
            self.env["amazon.sync.log.line"]
            .sudo()
            .create(
                {
                    "log_id": self.id,
                    "amazon_ref": amazon_ref and str(amazon_ref),
                    "reason": reason and str(reason),
                    "payload_ref": payload_ref,
                }
            )
        )

    def _finish(
        self,
        state="done",
        fetched=0,
        created=0,
        updated=0,
        skipped=0,
        failed=0,
        cursor_after=None,
        message=None,
    ):
        """Close the log of a sync run.

        :param str state: ``done``, ``partial``, ``failed`` or ``throttled``
        :param int fetched: items read from Amazon
        :param int created: records created in Odoo
        :param int updated: records updated in Odoo
        :param int skipped: items deliberately left alone
        :param int failed: items that failed (each with a line)
        :param cursor_after: watermark the next run starts from
        :param str message: a summary in words (errors included)
        :return: True
        """
        self.sudo().write(
            {
                "state": state,
                "date_end": fields.Datetime.now(),
                "fetched": fetched,
                "created": created,
                "updated": updated,
                "skipped": skipped,
                "failed": failed,
                "cursor_after": self._cursor_text(cursor_after),
                "message": message,
            }
        )
        return True

    def _finish_counts(self, counts, state="done", **kwargs):
        """Close the log with the counters of a run (``fetched`` ... ``failed``).

        A run that went through but failed some items is ``partial``.

        :param counts: mapping (Counter, dict) of the run's counters; absent ones
            count 0
        :param kwargs: more :meth:`_finish` arguments (message, cursor_after)
        """
        if state == "done" and counts.get("failed"):
            state = "partial"
        return self._finish(
            state=state, **{key: counts.get(key, 0) for key in COUNTERS}, **kwargs
        )

    @api.model
    def _error_state(self, error):
        """The state of a run Amazon stopped with ``error``: throttled or failed."""
        return "throttled" if isinstance(error, AmazonThrottled) else "failed"

    @api.model
    def _cursor_text(self, cursor):
        if not cursor:
            return False
        if isinstance(cursor, str):
            return cursor
        if hasattr(cursor, "isoformat"):
            return cursor.isoformat()
        return str(cursor)

    @api.autovacuum
    def _gc_old_logs(self):
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(
                "amazon_connector.sync_log_retention_days", DEFAULT_RETENTION_DAYS
            )
        )
        if days > 0:
            limit = fields.Datetime.now() - relativedelta(days=days)
            self.sudo().search([("date_start", "<", limit)]).unlink()


class AmazonSyncLogLine(models.Model):
    """An item a sync run could not process, and why."""

    _name = "amazon.sync.log.line"
    _description = "Amazon Sync Log Line"
    _order = "id"
    _rec_name = "amazon_ref"

    log_id = fields.Many2one(
        "amazon.sync.log", required=True, index=True, ondelete="cascade", readonly=True
    )
    account_id = fields.Many2one(related="log_id.account_id", store=True)
    company_id = fields.Many2one(related="log_id.company_id", store=True)
    amazon_ref = fields.Char(string="Amazon Reference", readonly=True, index=True)
    reason = fields.Text(readonly=True)
    payload_ref = fields.Char(string="Payload Reference", readonly=True)
