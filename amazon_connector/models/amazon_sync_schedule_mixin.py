# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import threading
from contextlib import contextmanager

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..const import SYNC_INTERVAL_TYPES
from ..exceptions import AmazonAuthError, AmazonSyncRunning
from .sync_run import run_context

_logger = logging.getLogger(__name__)

# Scheduled actions of earlier versions, one per kind walking every account; each
# account and kind now has its own (amazon.sync.schedule).
LEGACY_CRONS = (
    "amazon_connector.ir_cron_amazon_sync_marketplaces",
    "amazon_connector.ir_cron_amazon_sync_listings",
    "amazon_connector_sale.ir_cron_amazon_orders",
    "amazon_connector_sale.ir_cron_amazon_vendor_orders",
    "amazon_connector_stock.ir_cron_amazon_stock_push",
    "amazon_connector_stock.ir_cron_amazon_fba_inventory",
)


def schedule_fields(
    kind, label, interval_number=1, interval_type="hours", active=False
):
    """The four scheduling fields of one kind of sync, to unpack in a model body.

    Each addon that owns a kind of sync declares its fields on ``amazon.account``
    with explicit names, so that they can be found with grep::

        class AmazonAccount(models.Model):
            _inherit = "amazon.account"

            (
                orders_sync_active,
                orders_interval_number,
                orders_interval_type,
                orders_next_run,
            ) = schedule_fields("orders", "Orders", 1, "hours")

    and implements ``_run_scheduled_<kind>()``; its cron calls
    ``model._cron_run_due("<kind>")``.

    :param str kind: the kind of sync (``orders``, ``stock``...)
    :param str label: its name in the user interface
    :param int interval_number: default interval
    :param str interval_type: default unit (hours, days, weeks, months)
    :param bool active: whether a new account runs it by itself (it runs only
        once the account is connected)
    :return: (``<kind>_sync_active``, ``<kind>_interval_number``,
        ``<kind>_interval_type``, ``<kind>_next_run``) fields
    """
    return (
        fields.Boolean(
            string=f"Scheduled {label} Sync",
            default=active,
            help=f"Run the {label.lower()} synchronization automatically.",
        ),
        fields.Integer(
            string=f"{label} Interval",
            default=interval_number,
            help=f"Run the {label.lower()} synchronization every this many units.",
        ),
        fields.Selection(
            SYNC_INTERVAL_TYPES,
            string=f"{label} Interval Unit",
            default=interval_type,
        ),
        fields.Datetime(
            string=f"Next {label} Sync",
            copy=False,
            help=f"When the {label.lower()} synchronization runs next (empty: at the "
            "next pass of its scheduled action).",
        ),
    )


class AmazonSyncScheduleMixin(models.AbstractModel):
    """Walks the accounts whose sync of a kind is due; see :func:`schedule_fields`."""

    _name = "amazon.sync.schedule.mixin"
    _description = "Amazon Sync Scheduling"

    sync_schedule_ids = fields.One2many(
        "amazon.sync.schedule",
        "account_id",
        string="Schedules",
        help="Every synchronization of the account: whether it runs by itself, "
        "when, and where its last run stopped.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self._ensure_sync_schedules(records)
        return records

    def write(self, vals):
        res = super().write(vals)
        if self.env.context.get("amazon_schedule_internal"):
            return res
        if self._schedule_fields_of(vals):
            self._ensure_sync_schedules(self)
        for kind in self._sync_kinds():
            if vals.get(f"{kind}_next_run"):
                self._bring_forward(
                    kind, fields.Datetime.to_datetime(vals[f"{kind}_next_run"])
                )
        return res

    def unlink(self):
        self.env["amazon.sync.schedule"].sudo().search(
            [("account_id", "in", self.ids)]
        ).unlink()
        return super().unlink()

    def _schedule_interval(self, kind):
        self.ensure_one()
        number = max(self[f"{kind}_interval_number"] or 1, 1)
        unit = self[f"{kind}_interval_type"] or "hours"
        return relativedelta(**{unit: number})

    def _schedule_next_run(self, kind, now=None):
        """Move ``<kind>_next_run`` past ``now`` (missed runs are not made up)."""
        now = now or fields.Datetime.now()
        for record in self:
            interval = record._schedule_interval(kind)
            next_run = record[f"{kind}_next_run"] or now
            while next_run <= now:
                next_run += interval
            record[f"{kind}_next_run"] = next_run

    def _due_domain(self, kind, now):
        return [
            (f"{kind}_sync_active", "=", True),
            ("state", "=", "connected"),
            "|",
            (f"{kind}_next_run", "=", False),
            (f"{kind}_next_run", "<=", now),
        ]

    @api.model
    def _amazon_auto_commit(self):
        """Whether flows may commit their progress (never inside Odoo's tests).

        Long syncs commit page by page so that a crash or a kill loses at most one
        page; a test runs in one transaction that must not be committed.
        """
        return not getattr(threading.current_thread(), "testing", False)

    @api.model
    def _amazon_commit(self):
        """The one commit seam of the suite: commit, unless running a test.

        :return: whether it committed
        """
        if not self._amazon_auto_commit():
            return False
        self.env.cr.commit()  # pylint: disable=invalid-commit
        return True

    @contextmanager
    def _sync_run(self, kind, trigger="manual", cursor_before=None, lock=True):
        """The skeleton of every sync run of this account (see ``sync_run.py``)::

            with account._sync_run("stock", trigger) as run:
                run.stats["fetched"] += ...
            return run.log

        Holds the account's lock of ``kind``, opens and closes the sync log with
        the run's counters, stops on Amazon's errors by the one question (retry
        later, or a person must act).

        :param bool lock: False for a run that may go beside a running sync of
            the same kind (the recovery of one order)
        :raise AmazonSyncRunning: the same sync runs already (retry later, quietly)
        :raise AmazonAuthorizationExpired: the authorization expired (a person
            must renew it; see :meth:`_sync_refused`)
        """
        self.ensure_one()
        yield from run_context(self, kind, trigger, cursor_before, lock=lock)

    def _sync_refused(self, error, kind):
        """A run that could not start or was refused: retry later, or tell a person.

        The one question every caller of a flow asks: ``AmazonSyncRunning`` is
        retryable and quiet (the running one does the work); an authorization
        Amazon refused or that expired is not, and reaches the account's
        responsible user as an activity.

        :return: whether the run may simply be retried later
        """
        self.ensure_one()
        if isinstance(error, AmazonSyncRunning):
            _logger.info("%s sync of account %s skipped: %s", kind, self.id, error)
            return True
        if isinstance(error, AmazonAuthError):
            _logger.warning("%s sync of account %s refused: %s", kind, self.id, error)
            self._report_auth_failure(error)
            return False
        _logger.info("%s sync of account %s failed: %s", kind, self.id, error)
        return bool(getattr(error, "retryable", False))

    @api.model
    def _cron_run_due(self, kind):
        """Run ``_run_scheduled_<kind>()`` now on every connected account that is due.

        Scheduled syncs normally run on each account's own scheduled action (see
        ``amazon.sync.schedule``); this runs the due ones one after another in this
        process, through the same runner (used by tests and from ``odoo shell``).

        :param str kind: the kind of sync
        :return: the accounts that were due
        """
        now = fields.Datetime.now()
        accounts = self.search(self._due_domain(kind, now))
        for account in accounts:
            account._sync_schedule(kind)._run_schedule(force_trigger="scheduled")
        return accounts

    # ------------------------------------------------------------------
    # One scheduled action per account and kind
    # ------------------------------------------------------------------
    @api.model
    def _sync_kinds(self):
        """Every kind of sync the installed addons schedule (see schedule_fields)."""
        suffix = "_sync_active"
        return [name[: -len(suffix)] for name in self._fields if name.endswith(suffix)]

    @api.model
    def _sync_kind_label(self, kind):
        field = self._fields.get(f"{kind}_next_run")
        if not field:
            return kind
        label = field._description_string(self.env)
        # "Next Orders Sync" -> "Orders Sync"
        return label.split(" ", 1)[1] if " " in label else label

    def _sync_schedule(self, kind):
        """The schedule record (scheduled action and resume state) of one kind."""
        self.ensure_one()
        schedule = (
            self.env["amazon.sync.schedule"]
            .sudo()
            .search([("account_id", "=", self.id), ("kind", "=", kind)], limit=1)
        )
        if not schedule:
            self._ensure_sync_schedules()
            schedule = (
                self.env["amazon.sync.schedule"]
                .sudo()
                .search([("account_id", "=", self.id), ("kind", "=", kind)], limit=1)
            )
        return schedule.with_env(self.env)

    @api.model
    def _ensure_sync_schedules(self, accounts=None):
        """Give every account one schedule (and scheduled action) per kind.

        Called when an account is created or its schedule edited, and when the
        addons are installed or updated (``data/ir_cron_data.xml``); also drops
        the scheduled actions of earlier versions that walked all accounts.
        """
        if accounts is None:
            accounts = self.with_context(active_test=False).search([])
            for xmlid in LEGACY_CRONS:
                cron = self.env.ref(xmlid, raise_if_not_found=False)
                if cron:
                    cron.sudo().unlink()
        Schedule = self.env["amazon.sync.schedule"].sudo()
        kinds = self._sync_kinds()
        existing = {
            (s.account_id.id, s.kind): s
            for s in Schedule.search([("account_id", "in", accounts.ids)])
        }
        todo = Schedule
        for account in accounts:
            for kind in kinds:
                schedule = existing.get((account.id, kind))
                if not schedule:
                    schedule = Schedule.create({"account_id": account.id, "kind": kind})
                todo |= schedule
        todo._sync_cron()
        return todo

    def _schedule_fields_of(self, vals):
        names = {"active", "name"}
        for kind in self._sync_kinds():
            names.update(
                {
                    f"{kind}_sync_active",
                    f"{kind}_interval_number",
                    f"{kind}_interval_type",
                }
            )
        return names & set(vals)

    def _bring_forward(self, kind, at):
        """A ``<kind>_next_run`` set by hand or by a flow: trigger the action then.

        A trigger, not a write of the action's next call: a running action's row
        is locked, and a warehouse validation must never wait for a long sync.
        """
        for account in self:
            schedule = account._sync_schedule(kind)
            if at and schedule.cron_id:
                schedule.cron_id.sudo()._trigger(at=at)

    def action_sync_in_background(self):
        """A sync button: the account's scheduled action runs it now, in background.

        The kind comes from the button's context (``amazon_sync_kind``), and
        what the run does, when its kind does more than one thing, from
        ``amazon_sync_job`` (e.g. ``import`` for the listings). Returns at
        once; the account form shows the run's progress (Odoo's bus) and the
        sync log its result.

        :return: a notification saying the sync started
        """
        self.ensure_one()
        self.env["amazon.account"]._check_amazon_manager(self)
        kind = self.env.context.get("amazon_sync_kind")
        if kind not in self._sync_kinds():
            raise UserError(self.env._("Unknown kind of synchronization: %s", kind))
        account = self._as_sync_runner()
        account._check_authorization_valid()
        schedule = account._sync_schedule(kind)
        schedule._request_run(
            user=self.env.user, job=self.env.context.get("amazon_sync_job")
        )
        schedule.progress = self.env._("Waiting for a free worker...")
        return self._notify(
            self.env._("%s started", self._sync_kind_label(kind)),
            self.env._(
                "The synchronization runs in the background: keep working, this "
                "account shows its progress and the sync log its result."
            ),
            "info",
            reload=True,
        )

    def _report_auth_failure(self, error):
        """Amazon (or the expiry date) refused the account: tell a person.

        The account shows the error, and its responsible user gets an activity
        (once: an open one is not repeated).
        """
        for account in self:
            account._set_connection_error(error)
            activities = account._renewal_activities()
            if activities:
                continue
            account.activity_schedule(
                "amazon_connector.mail_activity_type_amazon_renewal",
                date_deadline=fields.Date.context_today(account),
                summary=self.env._("Amazon refused the authorization of this account"),
                note=account._redact(str(error)),
                user_id=(account.user_id or account.create_uid or self.env.user).id,
            )
