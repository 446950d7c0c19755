# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import threading
from contextlib import nullcontext

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..const import SYNC_INTERVAL_TYPES
from ..exceptions import AmazonAuthError, AmazonError

_logger = logging.getLogger(__name__)


def schedule_fields(kind, label, interval_number=1, interval_type="hours"):
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
    :return: (``<kind>_sync_active``, ``<kind>_interval_number``,
        ``<kind>_interval_type``, ``<kind>_next_run``) fields
    """
    return (
        fields.Boolean(
            string=f"Scheduled {label} Sync",
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
    def _cron_run_due(self, kind):
        """Run ``_run_scheduled_<kind>()`` on every connected account that is due.

        The next run is moved and committed *before* the sync runs, so that a sync
        that crashes is not retried in a tight loop. The sync itself runs outside
        any savepoint because flows commit their progress page by page (a savepoint
        cannot outlive a commit); a failing account is rolled back to its last
        commit and never stops the others. Under tests, where nothing commits, a
        savepoint isolates each account instead.

        :param str kind: the kind of sync
        :return: the accounts that were due
        """
        now = fields.Datetime.now()
        auto_commit = self._amazon_auto_commit()
        accounts = self.search(self._due_domain(kind, now))
        for account in accounts:
            account._schedule_next_run(kind, now)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            account = account.with_company(account.company_id)
            try:
                with nullcontext() if auto_commit else self.env.cr.savepoint():
                    getattr(account, f"_run_scheduled_{kind}")()
                if auto_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
            except AmazonAuthError as err:
                if auto_commit:
                    self.env.cr.rollback()
                account._set_connection_error(err)
                _logger.info(
                    "Scheduled %s sync of account %s refused: %s", kind, account.id, err
                )
            except (AmazonError, UserError) as err:
                if auto_commit:
                    self.env.cr.rollback()
                _logger.info(
                    "Scheduled %s sync of account %s failed: %s", kind, account.id, err
                )
            except Exception:
                if auto_commit:
                    self.env.cr.rollback()
                # One broken account must not stop the others; the sync log of the
                # failed run says what happened.
                _logger.exception(
                    "Scheduled %s sync of account %s crashed", kind, account.id
                )
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return accounts
