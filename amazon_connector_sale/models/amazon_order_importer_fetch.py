# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The run: fetch pages of ``searchOrders``, import each order, move the cursor.

Exactly once: an order is looked up by (account, Amazon id) before it is created,
and the unique constraint on sale.order is the backstop. Nothing is lost: an
order that fails is stored with its payload and retried on every run, and the
cursor never moves past it. Pages are committed one by one (``_commit``), so a
killed run keeps what it finished and the next run re-reads the rest.
"""

import json
import logging
import time
from collections import Counter
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.amazon_connector.exceptions import (
    AmazonAuthError,
    AmazonError,
    AmazonInvalidRequest,
    AmazonNotFound,
    AmazonThrottled,
)

from ..const import (
    CURSOR_OVERLAP_MINUTES,
    FULFILLED_BY_AMAZON,
    FULFILLED_BY_MERCHANT,
    GET_ORDER,
    INCLUDED_DATA,
    MAX_RESULTS_PER_PAGE,
    MIN_BEFORE_DELAY_MINUTES,
    PAGE_MAX_ATTEMPTS,
    SEARCH_ORDERS,
)
from .amazon_order_importer_error import AmazonOrderDataError
from .amazon_order_importer_page import FBA_SHORT_KEY
from .amazon_payload import clean_payload, clean_text, failure_reference

_logger = logging.getLogger(__name__)

KIND = "orders"
# stats key of the orders skipped for one reason: (SKIP_KEY, reason)
SKIP_KEY = "skipped_because"
MAX_REASON = 500


class AmazonOrderImporterFetch(models.AbstractModel):
    _name = "amazon.order.importer.fetch"
    _description = "Amazon Order Importer: Fetch Loop"

    # --- seams the tests control ----------------------------------------------
    @api.model
    def _commit(self):
        """Make a finished page durable (tests replace this with a no-op)."""
        self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _sleep(self, seconds):
        """Back off before retrying a page; called only right after a commit."""
        time.sleep(seconds)

    @api.model
    def _now(self):
        return fields.Datetime.now()

    # --- the run --------------------------------------------------------------
    @api.model
    def _run(self, account, trigger="manual"):
        """Import what changed on Amazon since the account's cursor.

        Like Odoo's own bulk import, without chatter tracking: no "created" or
        field-tracking message for each of thousands of orders a day (the sync
        log and the order's Amazon note say where an order came from), and no
        creator subscribed as follower of every order.

        :param account: amazon.account
        :param trigger: "manual" or "scheduled"
        :return: the amazon.sync.log of the run
        :raise AmazonSyncRunning: a sync of this account is already running
        :raise AmazonAuthError: Amazon refused the authorization, or it expired
        """
        account.ensure_one()
        if not self.env.context.get("tracking_disable"):
            return self.with_context(tracking_disable=True)._run(
                account.with_context(tracking_disable=True), trigger=trigger
            )
        with account._sync_lock(KIND):
            log = self.env["amazon.sync.log"]._start(
                account, KIND, trigger=trigger, cursor_before=account.order_cursor
            )
            stats = Counter()
            report = {"orders": [], "failures": []}
            self._activate_currencies(account)
            self._retry_open_failures(account, log, stats, report)
            try:
                state, message, cursor = self._fetch_and_import(
                    account, log, stats, report
                )
            except AmazonAuthError as error:
                # Not retryable: the log says so, and the caller (the scheduled
                # action's runner) tells the account's responsible; a manual
                # run shows the log it carries (see action_sync_orders).
                log._finish_counts(stats, state="failed", message=str(error))
                self._commit()
                error.sync_log = log
                raise
            summaries = [self._skip_summary(stats), self._fba_summary(stats)]
            message = "\n".join(filter(None, [message, *summaries])) or False
            if cursor:
                account.sudo().order_cursor = cursor
            log._finish_counts(
                stats, state=state, cursor_after=account.order_cursor, message=message
            )
            self._commit()
            self._notify(account, log, stats, report)
        return log

    @api.model
    def _activate_currencies(self, account):
        """Activate the currencies of the account's marketplaces before any page.

        In a transaction of their own, in READ COMMITTED: runs of two accounts
        importing their first orders in the same currency at the same time (two
        cron workers) would otherwise both update that currency's row, and the
        second one's page would fail on a serialization error.
        """
        currencies = account.active_marketplace_ids.currency_id.filtered(
            lambda c: not c.active
        )
        if not currencies:
            return
        if not self.env["amazon.account"]._amazon_auto_commit():
            currencies.sudo().active = True
            return
        with self.env["amazon.rate.bucket"]._budget_cursor() as cr:
            cr.execute(
                "UPDATE res_currency SET active = true WHERE id IN %s AND NOT active",
                [tuple(currencies.ids)],
            )
        self._commit()  # a new snapshot, which sees them active
        currencies.invalidate_recordset(["active"])

    @api.model
    def _window(self, account):
        """(lastUpdatedAfter, lastUpdatedBefore) of this run.

        The start re-reads CURSOR_OVERLAP_MINUTES of the last window: Amazon may
        index an update after its lastUpdatedTime, and the import is idempotent.
        The end is fixed (Amazon wants it 2 minutes in the past) so that the
        cursor can move exactly to it.
        """
        now = self._now()
        end = now - timedelta(minutes=MIN_BEFORE_DELAY_MINUTES)
        start = (
            account.order_cursor
            or account.order_import_from_date
            or (now - timedelta(days=1))
        )
        start = min(start - timedelta(minutes=CURSOR_OVERLAP_MINUTES), end)
        return start, end

    @api.model
    def _prepare_search_params(self, account, start, end):
        params = {
            "lastUpdatedAfter": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lastUpdatedBefore": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "includedData": list(INCLUDED_DATA),
            "maxResultsPerPage": MAX_RESULTS_PER_PAGE,
        }
        marketplaces = account.active_marketplace_ids.mapped("marketplace_id")
        if marketplaces:
            params["marketplaceIds"] = marketplaces
        if account.order_import_fbm != account.order_import_fba:
            params["fulfilledBy"] = [
                FULFILLED_BY_MERCHANT
                if account.order_import_fbm
                else FULFILLED_BY_AMAZON
            ]
        return params

    @api.model
    def _fetch_and_import(self, account, log, stats, report):
        """Read the open window to its end, or open the next one.

        Where the run stands (window, token of the next page, pages done) is
        written on the account's schedule in each page's transaction: a run
        stopped by a throttle, a crash or a kill resumes at the first page it did
        not finish, and no page is read twice, except after Amazon refuses an
        expired token: the window then restarts from its start (the import is
        idempotent). Throttled, the run waits in the worker when Amazon's budget
        returns soon (after committing), and is otherwise triggered again at
        Amazon's retry time.

        :return: (log state, message, new cursor or None)
        """
        schedule = account._sync_schedule(KIND)
        if schedule.window_end:
            start, end = schedule.window_start, schedule.window_end
            token = schedule.page_token or None
        else:
            start, end = self._window(account)
            schedule._open_window(start, end)
            token = None
        params = self._prepare_search_params(account, start, end)
        restarted = False
        while True:
            page_params = dict(params, paginationToken=token) if token else params
            try:
                page = self._fetch_page(account, page_params)
            except AmazonThrottled as error:
                if self._wait_in_worker(schedule, error.retry_after):
                    continue
                at = schedule._resume_later(error.retry_after)
                return (
                    "throttled",
                    self.env._(
                        "Amazon throttled the import; it resumes at %(time)s "
                        "(%(error)s).",
                        time=fields.Datetime.to_string(at),
                        error=error,
                    ),
                    None,
                )
            except AmazonAuthError:
                raise
            except AmazonInvalidRequest as error:
                if token and not restarted:
                    # Amazon refused the token (expired): the window again.
                    _logger.info(
                        "searchOrders refused its token, restarting: %s", error
                    )
                    restarted = True
                    token = None
                    schedule._restart_window()
                    continue
                return (
                    "failed",
                    self.env._("Amazon refused the request: %s", error),
                    None,
                )
            except AmazonError as error:
                return (
                    "failed",
                    self.env._("Amazon refused the request: %s", error),
                    None,
                )
            stats["fetched"] += len(page["orders"])
            self._import_page(account, page["orders"], log, stats, report)
            token = page["next_token"]
            schedule._page_done(token, stats)
            if not token:
                break
            self._commit()
        schedule._close_window()
        return "done", "", self._cursor_after(account, end)

    @api.model
    def _wait_in_worker(self, schedule, seconds):
        """Wait for Amazon's budget here, after committing, when it is short.

        Only a scheduled action's worker waits (a run started from a button or a
        script never holds its caller); a longer wait is a trigger instead.

        :return: whether it waited (the caller tries the same page again)
        """
        if not self.env.context.get("amazon_sync_schedule_id"):
            return False
        if seconds > schedule._throttle_wait_max():
            return False
        self._commit()
        self._sleep(seconds)
        return True

    @api.model
    def _fetch_page(self, account, params):
        """One searchOrders page, with server errors retried a bounded number of times.

        :return: {"orders": [...], "next_token": str or None}
        :raise AmazonError: throttling, or an error that retrying did not cure
        """
        attempt = 0
        while True:
            attempt += 1
            try:
                data = account._spapi_call(SEARCH_ORDERS, **params)
                return self._read_page(data)
            except AmazonThrottled:
                raise
            except AmazonError as error:
                if not error.retryable or attempt >= PAGE_MAX_ATTEMPTS:
                    raise
                _logger.info("searchOrders attempt %s failed: %s", attempt, error)
                self._sleep(2**attempt)

    @api.model
    def _read_page(self, data):
        from odoo.addons.amazon_connector.exceptions import AmazonServerError

        orders = data.get("orders") if isinstance(data, dict) else None
        if not isinstance(orders, list):
            raise AmazonServerError(
                self.env._("Amazon sent a malformed page of orders.")
            )
        pagination = data.get("pagination")
        token = pagination.get("nextToken") if isinstance(pagination, dict) else None
        return {
            "orders": orders,
            "next_token": token if isinstance(token, str) else None,
        }

    @api.model
    def _cursor_after(self, account, end):
        """The window's end, or earlier: never past an order that still fails."""
        failures = self.env["amazon.order.failure"].search(
            [
                ("account_id", "=", account.id),
                ("state", "=", "open"),
                ("amazon_last_update", "!=", False),
            ],
            order="amazon_last_update",
            limit=1,
        )
        if failures and failures.amazon_last_update < end:
            return max(
                failures.amazon_last_update,
                account.order_cursor or failures.amazon_last_update,
            )
        return end

    @api.model
    def _skip_summary(self, stats):
        """``Skipped: 40 (the account does not import orders fulfilled by
        Amazon (FBA)); 6 (...)`` from the run's counters, or False."""
        reasons = [
            (count, key[1])
            for key, count in stats.items()
            if isinstance(key, tuple) and key[0] == SKIP_KEY
        ]
        if not reasons:
            return False
        reasons.sort(key=lambda item: (-item[0], item[1]))
        return self.env._(
            "Skipped: %s",
            "; ".join(f"{count} ({reason})" for count, reason in reasons),
        )

    @api.model
    def _fba_summary(self, stats):
        """The products whose FBA stock in Odoo went negative during the run."""
        short = sorted(
            (key[1], qty)
            for key, qty in stats.items()
            if isinstance(key, tuple) and key[0] == FBA_SHORT_KEY
        )
        if not short:
            return False
        return self.env._(
            "Amazon shipped more FBA units than Odoo's FBA location held: "
            "%(products)s. Import the FBA inventory (Amazon > Accounts > Import FBA "
            "inventory) to bring Odoo's count in line with Amazon's.",
            products=", ".join(f"{name} ({qty:g})" for name, qty in short),
        )

    # --- one order ------------------------------------------------------------
    @api.model
    def _clean_order(self, order):
        """The order with its texts made storable (its id left as sent)."""
        return clean_payload(order, keep=("orderId",))

    @api.model
    def _import_one(self, account, order, log, stats, report, force=False):
        """Import one order in its own savepoint; a failure becomes a record.

        :return: the sale order (empty when skipped or failed)
        """
        order = self._clean_order(order)
        try:
            with self.env.cr.savepoint():
                result, sale_order = self._import_order(
                    account, order, log=log, force=force
                )
        except Exception as error:
            return self._book_result(
                account, order, log, stats, report, "failed", None, error
            )
        return self._book_result(
            account, order, log, stats, report, result, sale_order, None
        )

    @api.model
    def _book_result(
        self, account, order, log, stats, report, result, sale_order, error
    ):
        """Count one order's outcome; a failure becomes (or updates) its record.

        :return: the sale order (empty when skipped or failed)
        """
        if error is not None:
            reason = self._error_reason(error)
            self._record_failure_safely(account, order, reason, log)
            stats["failed"] += 1
            report["failures"].append((self._safe_ref(order), reason))
            return self.env["sale.order"]
        stats[result] += 1
        if result == "skipped":
            stats[(SKIP_KEY, self._skip_note(account, order, sale_order))] += 1
        if result == "created":
            report["orders"].append(sale_order)
        self._close_failure(account, order, sale_order)
        return sale_order

    @api.model
    def _error_reason(self, error):
        if isinstance(error, AmazonOrderDataError | UserError | AmazonError):
            text = str(error.args[0] if error.args else error)
        else:
            _logger.error("Unexpected error importing an Amazon order", exc_info=error)
            text = self.env._(
                "Unexpected error (%(type)s): %(error)s",
                type=type(error).__name__,
                error=error,
            )
        return clean_text(text[:MAX_REASON])

    @api.model
    def _safe_ref(self, order):
        """The reference of the order's failure record: its id, or a digest.

        No usable id (missing, not text, too long to be Amazon's, holding
        control characters): cutting or cleaning it could give two orders one
        failure record, and one payload would be lost.
        """
        order_id = order.get("orderId") if isinstance(order, dict) else None
        return failure_reference(order_id, order)

    @api.model
    def _record_failure_safely(self, account, order, reason, log):
        """Record the failure; the run goes on even if the record cannot be written.

        The failure's own write runs outside the order's savepoint: when it
        fails too (data no check foresaw), the order is recorded with its digest
        and a generic reason, so that it is retried and never lost, and the
        other orders of the run are imported.
        """
        try:
            with self.env.cr.savepoint():
                return self._record_failure(account, order, reason, log)
        except Exception as error:
            _logger.exception("Recording the failure of an Amazon order failed")
            reason = self.env._(
                "The order's data could not be stored (%(type)s); it is kept as "
                "Amazon sent it and retried on every run.",
                type=type(error).__name__,
            )
            with self.env.cr.savepoint():
                return self._record_failure(
                    account,
                    {"unreadable": json.dumps(order, default=repr)},
                    reason,
                    log,
                )

    @api.model
    def _record_failure(self, account, order, reason, log):
        ref = self._safe_ref(order)
        Failure = self.env["amazon.order.failure"].sudo()
        failure = Failure.search(
            [("account_id", "=", account.id), ("amazon_order_id", "=", ref)], limit=1
        )
        last_update = (
            self._parse_datetime(order.get("lastUpdatedTime"))
            if isinstance(order, dict)
            else None
        ) or self._now()
        vals = {
            "error": reason,
            "payload": json.dumps(order, default=str),
            "last_try": self._now(),
            "amazon_last_update": last_update,
        }
        if failure:
            if failure.payload_anonymized:
                # Past retention: Amazon's new copy of the order is not kept.
                vals.update(failure._prepare_anonymized_vals(order, reason))
            vals["retry_count"] = failure.retry_count + 1
            if failure.state == "done":
                vals["state"] = "open"
            if failure.state != "dismissed":
                failure.write(vals)
        else:
            failure = Failure.create(
                dict(vals, account_id=account.id, amazon_order_id=ref)
            )
        if log:
            log._add_line(ref, reason, payload_ref=f"amazon.order.failure,{failure.id}")
        return failure

    @api.model
    def _close_failure(self, account, order, sale_order):
        ref = self._safe_ref(order)
        failure = (
            self.env["amazon.order.failure"]
            .sudo()
            .search(
                [
                    ("account_id", "=", account.id),
                    ("amazon_order_id", "=", ref),
                    ("state", "=", "open"),
                ],
                limit=1,
            )
        )
        if failure:
            failure.write({"state": "done", "sale_order_id": sale_order.id or False})

    @api.model
    def _retry_open_failures(self, account, log, stats, report):
        """Retry stored payloads first; a newer copy fetched later wins anyway."""
        failures = self.env["amazon.order.failure"].search(
            [("account_id", "=", account.id), ("state", "=", "open")]
        )
        for failure in failures:
            payload = failure._get_payload()
            if payload is None:
                continue
            self._import_one(account, payload, log, stats, report)
        if failures:
            self._commit()

    @api.model
    def _retry_failure(self, failure):
        """The "Retry" button on a failure record."""
        payload = failure._get_payload()
        if payload is None:
            raise UserError(self.env._("This failure has no order data to retry."))
        report = {"orders": [], "failures": []}
        return self._import_one(failure.account_id, payload, None, Counter(), report)

    @api.model
    def _recover_order(self, account, amazon_order_id):
        """Import one order by its Amazon id (getOrder), whatever the filters say.

        :return: the sale order
        :raise UserError: when Amazon does not return it or it cannot be imported
        """
        log = self.env["amazon.sync.log"]._start(account, KIND, trigger="manual")
        stats, report = Counter(), {"orders": [], "failures": []}
        try:
            data = account._spapi_call(
                GET_ORDER, orderId=amazon_order_id, includedData=list(INCLUDED_DATA)
            )
        except AmazonNotFound as error:
            message = self.env._(
                "Amazon has no order %(order)s for the seller account %(account)s. "
                "Check the id in Seller Central > Orders, and that the order was "
                "placed on a marketplace of this account.",
                order=amazon_order_id,
                account=account.name,
            )
            log._finish(state="failed", message=message)
            raise UserError(message) from error
        except AmazonError as error:
            log._finish(state="failed", message=str(error))
            raise UserError(
                self.env._(
                    "Amazon did not return order %(order)s: %(error)s",
                    order=amazon_order_id,
                    error=error,
                )
            ) from error
        order = data.get("order") if isinstance(data, dict) else None
        sale_order = self._import_one(
            account, order or {}, log, stats, report, force=True
        )
        log._finish_counts(
            dict(stats, fetched=1), state="failed" if stats["failed"] else "done"
        )
        self._notify(account, log, stats, report)
        if stats["failed"]:
            raise UserError(report["failures"][0][1])
        return sale_order
