# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models
from odoo.sql_db import Cursor

from ..const import SPAPI_BUDGET_MARGIN, SPAPI_MAX_WAIT
from ..exceptions import AmazonThrottled

_logger = logging.getLogger(__name__)

# Elapsed time since the last refill, measured by the database clock: every Odoo
# worker (and every machine) shares the same clock through it.
_NOW_UTC = "(clock_timestamp() AT TIME ZONE 'UTC')"


class AmazonRateBucket(models.Model):
    """Client-side token bucket per account and SP-API operation.

    Amazon enforces a usage plan (rate and burst) per selling partner, application
    and operation; exceeding it costs a 429 and, repeated, a longer throttle. The
    budget is kept in the database so that every Odoo worker and cron thread draws
    from the same bucket. Each update runs in its own short transaction (a dedicated
    cursor, READ COMMITTED, one row lock held for a few statements), never in the
    caller's transaction, and the caller only ever waits after that transaction is
    committed, for at most ``SPAPI_MAX_WAIT`` seconds.

    ``account_id`` is a plain integer on purpose: the bucket transaction must not
    depend on the caller's transaction (a foreign key would wait for, or fail on,
    an account the caller created and did not commit yet).
    """

    _name = "amazon.rate.bucket"
    _description = "Amazon SP-API Rate Budget"
    _log_access = False

    account_id = fields.Integer(required=True, index=True)
    operation = fields.Char(required=True)
    rate = fields.Float(required=True, help="Requests per second restored.")
    burst = fields.Float(required=True, help="Largest number of requests saved up.")
    tokens = fields.Float(
        required=True, help="Requests available now (may be negative)."
    )
    refilled_at = fields.Datetime(required=True)
    # For the multi-company rule: computed, since account_id is no foreign key.
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", search="_search_company_id"
    )

    _sql_constraints = (
        (
            "account_operation_uniq",
            "unique(account_id, operation)",
            "One rate budget per account and operation.",
        ),
    )

    def _compute_company_id(self):
        accounts = (
            self.env["amazon.account"]
            .sudo()
            .with_context(active_test=False)
            .browse(self.mapped("account_id"))
            .exists()
        )
        companies = {account.id: account.company_id for account in accounts}
        for bucket in self:
            bucket.company_id = companies.get(
                bucket.account_id, self.env["res.company"]
            )

    def _search_company_id(self, operator, value):
        accounts = (
            self.env["amazon.account"]
            .sudo()
            .with_context(active_test=False)
            ._search([("company_id", operator, value)])
        )
        return [("account_id", "in", accounts)]

    def _budget_cursor(self):
        """A new cursor on its own transaction, in READ COMMITTED.

        Odoo cursors are REPEATABLE READ, where locking a row that another worker
        updated since the snapshot fails with a serialization error; in READ
        COMMITTED, ``SELECT ... FOR UPDATE`` simply waits for the other short
        transaction and reads its result. (The next Odoo cursor that gets this
        pooled connection sets REPEATABLE READ again.)
        """
        cr = self.env.registry.cursor()
        if isinstance(cr, Cursor):
            cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
        return cr

    @api.model
    def _acquire(self, account_id, operation, rate, burst, max_wait=SPAPI_MAX_WAIT):
        """Take one request from the budget, waiting a little if needed.

        :param int account_id: the account
        :param str operation: the operation key (``orders.searchOrders``)
        :param float rate: default rate when the bucket does not exist yet
        :param float burst: default burst when the bucket does not exist yet
        :param float max_wait: longest acceptable wait, in seconds
        :return: the seconds waited
        :raise AmazonThrottled: when the next request is more than ``max_wait`` away
        """
        with self._budget_cursor() as cr:
            cr.execute(
                f"""
                INSERT INTO amazon_rate_bucket
                    (account_id, operation, rate, burst, tokens, refilled_at)
                VALUES (%s, %s, %s, %s, %s, {_NOW_UTC})
                ON CONFLICT (account_id, operation) DO NOTHING
                """,
                (account_id, operation, rate, burst, burst),
            )
            cr.execute(
                f"""
                SELECT id, rate, burst, tokens,
                       EXTRACT(EPOCH FROM ({_NOW_UTC} - refilled_at))
                  FROM amazon_rate_bucket
                 WHERE account_id = %s AND operation = %s
                   FOR UPDATE
                """,
                (account_id, operation),
            )
            bucket_id, rate, burst, tokens, elapsed = cr.fetchone()
            # what the bucket would hold without its cap: how long ago the
            # next token came back, even when the bucket is full
            refilled = tokens + max(elapsed, 0.0) * rate
            tokens = min(burst, refilled)
            # A token is taken SPAPI_BUDGET_MARGIN after it is back (no wait
            # while the bucket holds more than that), at most half the time a
            # token takes to come back: at a rate of thousands a second (a
            # sandbox with its limits off) every request would wait the margin.
            # A full bucket of burst 1 has had its token back for longer: it
            # is not waited for (the wait would be lost refill on both sides).
            margin = min(SPAPI_BUDGET_MARGIN, 0.5 / rate)
            wait = max(0.0, (1.0 - refilled) / rate + margin)
            throttled = wait > max_wait
            if not throttled:
                # Taken now even when it has to be waited for: the debt makes the
                # next caller (any worker) wait behind this one.
                tokens -= 1.0
            cr.execute(
                f"UPDATE amazon_rate_bucket SET tokens = %s, refilled_at = {_NOW_UTC} "
                "WHERE id = %s",
                (tokens, bucket_id),
            )
        if throttled:
            seconds = round(wait)
            raise AmazonThrottled(
                self.env._(
                    "The request budget of %(operation)s is spent; "
                    "retry in %(seconds)s seconds.",
                    operation=operation,
                    seconds=seconds,
                ),
                code="ClientSideBudget",
                status=None,
                retry_after=wait,
            )
        if wait:
            _logger.debug("Waiting %.2f s for the %s budget", wait, operation)
            time.sleep(wait)
        return wait

    @api.model
    def _drain(self, account_id, operation):
        """Empty a bucket after Amazon throttled us: our estimate was too generous."""
        with self._budget_cursor() as cr:
            cr.execute(
                f"UPDATE amazon_rate_bucket SET tokens = LEAST(tokens, 0), "
                f"refilled_at = {_NOW_UTC} WHERE account_id = %s AND operation = %s",
                (account_id, operation),
            )

    @api.model
    def _set_rate(self, account_id, operation, rate):
        """Follow the rate Amazon announces in ``x-amzn-RateLimit-Limit``.

        Amazon may grant a selling partner a usage plan other than the documented
        default; the header of each response carries the one in force.
        """
        if not rate or rate <= 0:
            return
        with self._budget_cursor() as cr:
            cr.execute(
                "UPDATE amazon_rate_bucket SET rate = %s "
                "WHERE account_id = %s AND operation = %s AND rate <> %s",
                (rate, account_id, operation, rate),
            )
