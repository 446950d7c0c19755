# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The run skeleton every flow uses: one run of one kind of sync of one account.

``with account._sync_run(kind, trigger) as run:`` holds the account's lock of
that kind, opens the sync log, gives the flow its counters (``run.stats``) and
closes the log with them when the block ends. The flow asks Amazon's errors one
question (:meth:`SyncRun.stop`): may it be tried again later (throttled, Amazon
down: the run stops, keeps what it did, and a throttled run says in the log when
it resumes), or must a person act (an authorization refused: the account's
responsible gets an activity)? An error the flow does not catch is stopped the
same way when it leaves the block. A short throttle is waited out in the
scheduled action's worker (:meth:`SyncRun.call`), after committing. Progress is
made durable with
``run.commit()``, the one "commit unless testing" seam of the suite
(:meth:`amazon.sync.schedule.mixin._amazon_commit`).
"""

import logging
from collections import Counter
from contextlib import nullcontext

from odoo import fields

from ..exceptions import AmazonAuthError, AmazonError, AmazonThrottled

_logger = logging.getLogger(__name__)


class SyncRun:
    """What one run did so far; see :meth:`amazon.account._sync_run`.

    :ivar log: the run's ``amazon.sync.log``
    :ivar stats: counters (``fetched``, ``created``, ``updated``, ``skipped``,
        ``failed`` and any the flow adds)
    :ivar schedule: the ``amazon.sync.schedule`` of the account and kind, where
        the resume state is kept
    """

    def __init__(self, account, kind, log):
        self.account = account
        self.env = account.env
        self.kind = kind
        self.log = log
        self.stats = Counter()
        self.state = "done"
        self.messages = []
        self.error = None
        self.finished = False
        self._schedule = None

    @property
    def schedule(self):
        if self._schedule is None:
            self._schedule = self.account._sync_schedule(self.kind)
        return self._schedule

    @property
    def in_worker(self):
        """Whether the run is the scheduled action of this account and kind."""
        return self.env.context.get(
            "amazon_sync_schedule_id"
        ) == self.schedule.id and bool(self.schedule)

    def commit(self):
        """Make what the run did so far durable (never inside a test)."""
        self.env["amazon.account"]._amazon_commit()

    def call(self, function, *args, **kwargs):
        """Ask Amazon for the next page through ``function``, riding out a short
        throttle: in the scheduled action's worker, when Amazon's budget returns
        within the configured bound, the run commits what it did, waits, and asks
        for the same page again; otherwise the throttle is raised (the run stops
        and is triggered again at Amazon's retry time, see :meth:`stop`).

        Call it only between pages, where what the run did so far (and its
        position) may be committed.

        :return: what ``function`` returns
        :raise AmazonThrottled: a throttle too long to wait for here
        """
        while True:
            try:
                return function(*args, **kwargs)
            except AmazonThrottled as error:
                if not self.wait(error.retry_after):
                    raise

    def wait(self, seconds):
        """Wait ``seconds`` for Amazon's budget in the worker, if short enough.

        :return: whether it waited (the caller asks for the same page again)
        """
        if not self.in_worker:
            return False
        if not self.schedule._wait_in_worker(seconds):
            return False
        self.stats["throttle_waits"] += 1
        return True

    def note(self, message):
        """Add a sentence to the log's message."""
        if message:
            self.messages.append(message)

    def stop(self, error):
        """Amazon stopped the run with ``error``: the one question, retry or not.

        Retryable (throttled, Amazon failing): the run is ``throttled`` or
        ``failed`` and the next run continues; throttled in the scheduled action,
        the action is triggered again at Amazon's retry time and the log says
        when. Not retryable because the authorization was refused: the account's
        responsible user is told (an activity). Anything else fails the run.

        :param AmazonError error: what Amazon (or the seam) raised
        """
        self.error = error
        message = self.account._redact(str(error))
        if isinstance(error, AmazonThrottled):
            self.state = "throttled" if self.state == "done" else self.state
            if self.in_worker:
                at = self.schedule._resume_later(error.retry_after)
                message = self.env._(
                    "Amazon throttled the run; it resumes at %(time)s (%(error)s).",
                    time=fields.Datetime.to_string(at),
                    error=message,
                )
        else:
            self.state = "failed"
            # A button run in the user's request shows the failure to that
            # user; any other run tells the account's responsible.
            watched = self.log.trigger == "manual" and not self.in_worker
            if isinstance(error, AmazonAuthError) and not watched:
                self.account._report_auth_failure(error)
        self.messages.append(message)

    def finish(self, state=None, message=None, cursor_after=None):
        """Close the log with the run's counters (once).

        :param state: the flow's own verdict; by default ``done`` (``partial``
            when items failed) unless :meth:`stop` decided otherwise
        :param message: the summary; by default the sentences noted so far
        """
        if self.finished:
            return self.log
        self.finished = True
        if message is None:
            message = "\n".join(m for m in self.messages if m) or False
        self.log._finish_counts(
            self.stats,
            state=state or self.state,
            message=message,
            cursor_after=cursor_after,
        )
        return self.log

    def close(self, error=None):
        """End of the ``with`` block: stop on an Amazon error, then finish."""
        if error is not None:
            self.stop(error)
        self.finish()


def run_context(account, kind, trigger, cursor_before, lock=True):
    """The generator behind :meth:`amazon.account._sync_run`."""
    if not lock:
        account._check_authorization_valid()
    with account._sync_lock(kind) if lock else nullcontext():
        log = account.env["amazon.sync.log"]._start(
            account, kind, trigger=trigger, cursor_before=cursor_before
        )
        run = SyncRun(account, kind, log)
        try:
            yield run
        except AmazonError as error:
            _logger.info("%s sync of account %s stopped: %s", kind, account.id, error)
            run.close(error)
            return
        run.close()
