# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One kind of sync of one account: its scheduled action and where it stopped.

Why one ``ir.cron`` per account and kind, not one per kind walking all accounts:
Odoo's cron workers claim one scheduled action at a time (``FOR NO KEY UPDATE
SKIP LOCKED``), so one action per account and kind lets every cron thread of every
Odoo server on the database work on a different account at the same time, and
never on the same account and kind twice; Odoo itself runs the queue, its
triggers (``_trigger(at=...)``) bring a run forward (a manual sync, a throttled
run resuming at Amazon's retry time), and there is no queue of our own.

Where a run stopped (the window of Amazon's data being read, the pagination
token of its next page, how many pages are done) is kept here, committed with the
page it follows, so that the next run — after a throttle, a crash or a kill —
finishes that window before opening a new one and reads no page twice.
"""

import logging
import time
from contextlib import nullcontext
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from ..exceptions import AmazonError
from .amazon_sync_log import SYNC_LOG_STATES

_logger = logging.getLogger(__name__)

# A throttled run waits in the worker (after committing) when Amazon's budget
# returns within this many seconds, and is re-triggered for later otherwise
# (ir.config_parameter amazon_connector.throttle_wait_max_seconds).
DEFAULT_THROTTLE_WAIT_MAX_SECONDS = 180
# Bus notification type of a run's progress (see static/src/sync_progress.js).
PROGRESS_BUS_TYPE = "amazon_sync_progress"


class AmazonSyncSchedule(models.Model):
    _name = "amazon.sync.schedule"
    _description = "Amazon Scheduled Sync"
    _order = "account_id, kind"
    _rec_name = "kind"

    account_id = fields.Many2one(
        "amazon.account", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True
    )
    kind = fields.Char(required=True, readonly=True)
    kind_label = fields.Char(string="Synchronization", compute="_compute_kind_label")
    cron_id = fields.Many2one(
        "ir.cron",
        string="Scheduled Action",
        readonly=True,
        ondelete="set null",
        help="Runs this sync of this account; Odoo's cron workers run the actions "
        "of different accounts at the same time.",
    )
    sync_active = fields.Boolean(
        string="Scheduled", compute="_compute_schedule", help="Runs automatically."
    )
    interval = fields.Char(string="Every", compute="_compute_schedule")
    next_run = fields.Datetime(related="cron_id.nextcall", string="Next Run")
    # --- where the run stopped --------------------------------------------------
    window_start = fields.Datetime(
        readonly=True, help="Start of the window of Amazon's data being read."
    )
    window_end = fields.Datetime(
        readonly=True,
        help="End of the window being read; empty when no window is open.",
    )
    page_token = fields.Char(
        readonly=True, help="Amazon's pagination token of the next page to read."
    )
    pages_done = fields.Integer(
        readonly=True, help="Pages of the open window fully imported."
    )
    resume_data = fields.Json(
        readonly=True,
        help="Where a run reading several lists stopped (e.g. the vendor imports: "
        "per kind, the window, the list and the token of its next page).",
    )
    retry_at = fields.Datetime(
        string="Resumes At",
        readonly=True,
        help="Amazon throttled the last run: it resumes at this time.",
    )
    manual_user_id = fields.Many2one(
        "res.users",
        readonly=True,
        help="Asked for a manual run that has not started yet.",
    )
    job = fields.Char(
        readonly=True,
        help="What a manual run asked for, when the kind has more than one "
        "(e.g. importing the listings rather than publishing the sales lists).",
    )
    running = fields.Boolean(readonly=True)
    progress = fields.Char(readonly=True, help="What the running sync did so far.")
    last_log_id = fields.Many2one(
        "amazon.sync.log", string="Last Run", compute="_compute_last_log"
    )
    last_state = fields.Selection(
        SYNC_LOG_STATES, string="Last Result", compute="_compute_last_log"
    )

    _sql_constraints = (
        (
            "account_kind_uniq",
            "unique(account_id, kind)",
            "One schedule per account and kind of sync.",
        ),
    )

    def _compute_kind_label(self):
        for schedule in self:
            schedule.kind_label = schedule.account_id._sync_kind_label(schedule.kind)

    def _compute_schedule(self):
        units = dict(
            self.env["amazon.account"]
            ._fields["marketplaces_interval_type"]
            ._description_selection(self.env)
        )
        for schedule in self:
            account, kind = schedule.account_id, schedule.kind
            schedule.sync_active = bool(account[f"{kind}_sync_active"])
            schedule.interval = "%s %s" % (
                account[f"{kind}_interval_number"],
                units.get(account[f"{kind}_interval_type"], ""),
            )

    def _compute_last_log(self):
        for schedule in self:
            schedule.last_log_id = self.env["amazon.sync.log"].search(
                [
                    ("account_id", "=", schedule.account_id.id),
                    ("kind", "=", schedule.kind),
                ],
                limit=1,
            )
            schedule.last_state = schedule.last_log_id.state

    # ------------------------------------------------------------------
    # The scheduled action of each account and kind
    # ------------------------------------------------------------------
    def _cron_values(self):
        self.ensure_one()
        account, kind = self.account_id, self.kind
        return {
            "name": self.env._(
                "Amazon: %(kind)s of %(account)s",
                kind=self.kind_label,
                account=account.name,
            ),
            "interval_number": max(account[f"{kind}_interval_number"] or 1, 1),
            "interval_type": account[f"{kind}_interval_type"] or "hours",
            # Also active while the scheduled sync is off: manual runs and resumed
            # throttled runs are triggers of this action (Odoo ignores triggers of
            # inactive actions); the run does nothing when it has nothing to do.
            "active": account.active,
        }

    def _sync_cron(self):
        """Create the scheduled action, or bring it in line with the account.

        A scheduled action that is running cannot be written (Odoo locks its row):
        it is then left as it is and brought in line by the next call (any
        edit of the account, or the daily authorization check).
        """
        model_id = self.env["ir.model"]._get_id(self._name)
        # A neutralized copy keeps its scheduled actions off (as Odoo's toggle).
        neutralized = (
            self.env["ir.config_parameter"].sudo().get_param("database.is_neutralized")
        )
        for schedule in self.sudo():
            vals = schedule._cron_values()
            if neutralized:
                vals["active"] = False
            cron = schedule.cron_id
            if not cron:
                schedule.cron_id = (
                    self.env["ir.cron"]
                    .sudo()
                    .create(
                        dict(
                            vals,
                            model_id=model_id,
                            state="code",
                            code=f"model._cron_run_schedule({schedule.id})",
                            user_id=self.env.ref("base.user_root").id,
                            nextcall=schedule.account_id[f"{schedule.kind}_next_run"]
                            or fields.Datetime.now(),
                        )
                    )
                )
                continue
            changed = {key: value for key, value in vals.items() if cron[key] != value}
            if changed and not cron.try_write(changed):
                _logger.info("Scheduled action %s is running: updated later", cron.id)

    def unlink(self):
        crons = self.sudo().cron_id
        res = super().unlink()
        crons.unlink()
        return res

    # ------------------------------------------------------------------
    # Asking for a run
    # ------------------------------------------------------------------
    def _request_run(self, at=None, user=None, job=None):
        """Have the account's scheduled action run this sync soon (or ``at``).

        :param user: the user who asked for a manual run (the run is then
            ``manual``, and that user sees its progress)
        :param str job: what the run does, when its kind does more than one
            thing (the run reads it from the context key ``amazon_sync_job``)
        """
        for schedule in self.sudo():
            if user:
                schedule.manual_user_id = user
            if job:
                schedule.job = job
            if schedule.cron_id:
                schedule.cron_id._trigger(at=at)
        return True

    # ------------------------------------------------------------------
    # Resume state, used by the flows
    # ------------------------------------------------------------------
    def _open_window(self, start, end):
        """Remember the window a run starts reading (its first page next)."""
        self.ensure_one()
        self.sudo().write(
            {
                "window_start": start,
                "window_end": end,
                "page_token": False,
                "pages_done": 0,
            }
        )

    def _page_done(self, next_token, stats=None):
        """One page imported: its successor is where the next run starts.

        Written in the page's own transaction, so that the position and the
        imported records are committed (or lost, on a kill) together.
        """
        self.ensure_one()
        pages = self.pages_done + 1
        self.sudo().write({"page_token": next_token or False, "pages_done": pages})
        self._notify_progress(stats)

    def _restart_window(self):
        """Amazon refused an expired token: read the window again from its start."""
        self.ensure_one()
        self.sudo().write({"page_token": False, "pages_done": 0})

    def _close_window(self):
        self.ensure_one()
        self.sudo().write(
            {
                "window_start": False,
                "window_end": False,
                "page_token": False,
                "pages_done": 0,
            }
        )

    def _resume_position(self, key):
        """The position stored under ``key`` (see :meth:`_keep_position`)."""
        self.ensure_one()
        return (self.resume_data or {}).get(key)

    def _keep_position(self, key, position, stats=None):
        """Remember where the part ``key`` of a run stands (None: it is done).

        Written in the page's transaction, as :meth:`_page_done`.
        """
        self.ensure_one()
        data = dict(self.resume_data or {})
        if position is None:
            data.pop(key, None)
        else:
            data[key] = position
        self.sudo().resume_data = data or False
        if position is not None:
            self._notify_progress(stats)

    def _throttle_wait_max(self):
        return float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(
                "amazon_connector.throttle_wait_max_seconds",
                DEFAULT_THROTTLE_WAIT_MAX_SECONDS,
            )
        )

    def _wait_in_worker(self, seconds, sleep=None, commit=None):
        """Wait for Amazon's budget in this scheduled action's worker, when short.

        Only the worker of this account and kind waits (a run started from a
        button or a script never holds its caller), and only up to
        ``amazon_connector.throttle_wait_max_seconds``; it commits first, so
        that no transaction stays open while it waits. A longer wait is a
        trigger instead (:meth:`_resume_later`).

        :param sleep: how to wait (default :meth:`_wait`)
        :param commit: how to commit (default the suite's commit seam)
        :return: whether it waited
        """
        self.ensure_one()
        if self.env.context.get("amazon_sync_schedule_id") != self.id:
            return False
        if seconds > self._throttle_wait_max():
            return False
        (commit or self.env["amazon.account"]._amazon_commit)()
        (sleep or self._wait)(max(seconds, 0.0))
        return True

    def _resume_later(self, retry_after):
        """A throttled run: when it resumes (a trigger of the scheduled action).

        :return: the time it resumes
        """
        self.ensure_one()
        at = fields.Datetime.now() + timedelta(seconds=max(retry_after, 0.0) + 1)
        # The resumed run does what this one did (a manual listings import...).
        self.sudo().write(
            {"retry_at": at, "job": self.env.context.get("amazon_sync_job") or False}
        )
        if self.cron_id:
            self.sudo().cron_id._trigger(at=at)
        return at

    # ------------------------------------------------------------------
    # Progress on the bus
    # ------------------------------------------------------------------
    def _notify_progress(self, stats=None, done=False):
        """Tell the account form what the run did so far (Odoo's bus).

        Sent to the user who asked for the run, or else to the account's
        responsible; the form reloads itself when it shows this account.
        """
        self.ensure_one()
        text = ""
        if stats:
            text = self.env._(
                "%(fetched)s read, %(created)s created, %(updated)s updated, "
                "%(failed)s failed",
                fetched=stats["fetched"] or 0,
                created=stats["created"] or 0,
                updated=stats["updated"] or 0,
                failed=stats["failed"] or 0,
            )
        if not done:
            self.sudo().progress = text
        user = self.manual_user_id or (
            self.env.user if self.env.uid != SUPERUSER_ID else self.account_id.user_id
        )
        if not user:
            return
        self.env["bus.bus"]._sendone(
            user.partner_id,
            PROGRESS_BUS_TYPE,
            {
                "account_id": self.account_id.id,
                "kind": self.kind,
                "done": done,
                "progress": text,
            },
        )

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_schedule(self, schedule_id):
        """Entry point of the scheduled action of one account and kind."""
        schedule = self.browse(schedule_id).exists()
        if schedule:
            schedule._run_schedule()

    def _has_work(self):
        """Whether this run has something to do, and its trigger.

        :return: ``manual``, ``scheduled`` or False
        """
        self.ensure_one()
        account = self.account_id
        if not account.active:
            return False
        if self.manual_user_id:
            return "manual"
        if account.state not in ("connected", "draft"):
            return False
        if self.window_end or self.resume_data or self.retry_at:
            return "scheduled"
        if account[f"{self.kind}_sync_active"] and account.state == "connected":
            return "scheduled"
        return False

    def _run_schedule(self, force_trigger=None):
        """Run this sync of this account once, as its scheduled action does.

        Commits what it did; an account that fails is rolled back to its last
        commit and told apart by the question every flow asks
        (``amazon.account._sync_refused``): try again later (quiet), or a person
        must act (an expired authorization reaches the account's responsible as
        an activity).
        """
        self.ensure_one()
        trigger = force_trigger or self._has_work()
        if not trigger:
            return False
        Account = self.env["amazon.account"]
        account = self.account_id
        user = self.manual_user_id or self.env.user
        job = self.job or False
        self.sudo().write(
            {"manual_user_id": False, "retry_at": False, "running": True, "job": False}
        )
        account.with_context(amazon_schedule_internal=True)._schedule_next_run(
            self.kind
        )
        Account._amazon_commit()
        runner = (
            account.with_user(user)
            .sudo()
            .with_company(account.company_id)
            .with_context(
                amazon_sync_trigger=trigger,
                amazon_sync_schedule_id=self.id,
                amazon_sync_job=job,
            )
        )
        kind = self.kind
        auto_commit = Account._amazon_auto_commit()
        try:
            with nullcontext() if auto_commit else self.env.cr.savepoint():
                getattr(runner, f"_run_scheduled_{kind}")()
            Account._amazon_commit()
        except (AmazonError, UserError) as err:
            if auto_commit:
                self.env.cr.rollback()
            account._sync_refused(err, kind)
        except Exception:
            if auto_commit:
                self.env.cr.rollback()
            # One broken account must not stop the others; the sync log of the
            # failed run says what happened.
            _logger.exception("%s sync of account %s crashed", kind, account.id)
        self.sudo().write({"running": False, "progress": False})
        log = self.env["amazon.sync.log"].search(
            [("account_id", "=", account.id), ("kind", "=", kind)], limit=1
        )
        self.with_user(user)._notify_progress(stats=log or None, done=True)
        Account._amazon_commit()
        return True

    def _wait(self, seconds):
        """Wait for Amazon's budget in the worker, outside any transaction."""
        time.sleep(seconds)
