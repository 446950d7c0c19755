# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The seller order import: Amazon orders (Orders API 2026-01-01) become sale orders.

One model, in the order a run goes:

- the run: fetch pages of ``searchOrders``, import each page, move the cursor.
  Exactly once: an order is looked up by (account, Amazon id) before it is
  created, and the unique constraint on sale.order is the backstop. Nothing is
  lost: an order that fails is stored with its payload and retried on every
  run, and the cursor never moves past it. Pages are committed one by one
  (``_commit``), so a killed run keeps what it finished and the next run
  re-reads the rest;
- a page: its new customers, delivery contacts, sale orders and rounding lines
  are each created in one ``create``, its new orders confirmed in one
  ``action_confirm`` and their FBA deliveries validated together (creating,
  confirming and delivering order by order is most of an import's time). The
  look-ups the orders of a page share (marketplaces, SKUs, buyer e-mails) are
  prefetched in a few queries;
- once per run: a run meets the same order more than once (the retry of its
  open failure, then the new window, which re-reads the last minutes of the
  previous one; or twice in the pages of one window). Each order of a run is
  booked once, under its reference (``_safe_ref``): a later copy that is not
  newer than the one handled is left out; a newer copy is Amazon's latest
  word, so it is imported and the earlier outcome of the run is taken back
  (its count, its log line, its place in the report);
- a batch of orders (one order is a batch of one) becomes sale orders: the
  customers come from the customer matcher (``amazon.order.customer.matcher``),
  the lines and the totals rule from the line builder
  (``amazon.order.line.builder``);
- the e-mail after a run lists the new orders and the failures that are news:
  a failure seen for the first time, imported before and failing again, or
  failing for another reason. An order that keeps failing for the same reason
  is reported once, not on every run.
"""

import json
import logging
import time
from collections import Counter, defaultdict
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
from odoo.addons.amazon_connector.utils import as_dict, as_list, parse_datetime

from ..buyer_text import text_to_html
from ..const import (
    CLOSED_STATUSES,
    CURSOR_OVERLAP_MINUTES,
    FBA_SHORT_KEY,
    FULFILLED_BY_AMAZON,
    FULFILLED_BY_MERCHANT,
    GET_ORDER,
    INCLUDED_DATA,
    MAX_RESULTS_PER_PAGE,
    MIN_BEFORE_DELAY_MINUTES,
    ORDERS_KIND,
    PAGE_CACHE_KEY,
    PAGE_MAX_ATTEMPTS,
    SEARCH_ORDERS,
    SERVICE_LEVELS,
    SKIP_KEY,
    STATUS_CANCELLED,
    STATUS_PENDING,
    STATUS_PENDING_AVAILABILITY,
    STATUS_SELECTION,
)
from ..exceptions import AmazonOrderDataError
from ..utils import (
    clean_payload,
    failure_reason,
    failure_reference,
    page_cache,
    page_memo,
    usable_reference,
)

_logger = logging.getLogger(__name__)

KNOWN_STATUSES = {status for status, _label in STATUS_SELECTION}


class AmazonOrderImporter(models.AbstractModel):
    _name = "amazon.order.importer"
    _description = "Amazon Order Importer"

    # --- seams the tests control ----------------------------------------------
    @api.model
    def _commit(self):
        """Make a finished page durable: the suite's one commit seam (tests
        also replace this to count the commits)."""
        self.env["amazon.account"]._amazon_commit()

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
        :raise AmazonAuthorizationExpired: the authorization expired (a refusal
            by Amazon ends the run: see sync_run.py)
        """
        account.ensure_one()
        if not self.env.context.get("tracking_disable"):
            return self.with_context(tracking_disable=True)._run(
                account.with_context(tracking_disable=True), trigger=trigger
            )
        with account._sync_run(
            ORDERS_KIND, trigger=trigger, cursor_before=account.order_cursor
        ) as run:
            log, stats = run.log, run.stats
            report = {"orders": [], "failures": []}
            self._activate_currencies(account)
            self._retry_open_failures(account, log, stats, report)
            # An authorization Amazon refuses ends the run in the skeleton: the
            # log says so, and the account's responsible is told.
            state, message, cursor = self._fetch_and_import(account, log, stats, report)
            summaries = [self._skip_summary(stats), self._fba_summary(stats)]
            message = "\n".join(filter(None, [message, *summaries])) or False
            if cursor:
                account.sudo().order_cursor = cursor
            run.finish(state=state, cursor_after=account.order_cursor, message=message)
            self._commit()
            self._notify(account, log, stats, report)
        return run.log

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
        schedule = account._sync_schedule(ORDERS_KIND)
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
        """Wait for Amazon's budget in the worker, as every flow does
        (``amazon.sync.schedule._wait_in_worker``: after committing, only in the
        scheduled action, up to the configured bound).

        :return: whether it waited (the caller tries the same page again)
        """
        if not self.env.context.get("amazon_sync_schedule_id"):
            return False
        return schedule.with_context(
            amazon_sync_schedule_id=schedule.id
        )._wait_in_worker(seconds, sleep=self._sleep, commit=self._commit)

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

        An order the run already handled is left out (see :meth:`_to_import`).

        :return: the sale order (empty when skipped or failed)
        """
        if not self._to_import([order], log, stats, report):
            handled = self._handled(report)[self._safe_ref(order)]
            return handled["sale_order"] or self.env["sale.order"]
        order = self._clean_order(order)
        try:
            with self.env.cr.savepoint():
                result, sale_order = self._import_orders(
                    account, [order], log=log, force=force
                )[0]
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

        The report lists a failure only when it is news (see
        :meth:`_failure_is_news`); the run remembers the outcome under the
        order's reference.

        :return: the sale order (empty when skipped or failed)
        """
        ref = self._safe_ref(order)
        before = self._failure_of(account, ref)
        before = before and (before.state, before.error)
        if error is not None:
            reason = self._error_reason(error)
            self._record_failure_safely(account, order, reason, log)
            stats["failed"] += 1
            if self._failure_is_news(account, ref, before):
                report["failures"].append((ref, reason))
            sale_order = self.env["sale.order"]
        else:
            stats[result] += 1
            if result == "skipped":
                stats[(SKIP_KEY, self._skip_note(account, order, sale_order))] += 1
            if result == "created":
                report["orders"].append(sale_order)
            self._close_failure(account, order, sale_order)
        self._handled(report)[ref] = {
            "stamp": self._order_stamp(order),
            "result": "failed" if error is not None else result,
            "sale_order": sale_order,
        }
        return sale_order

    @api.model
    def _error_reason(self, error):
        """The failure's reason in words, storable whatever the payload held."""
        return failure_reason(self.env, error)

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
        page = page_cache(self.env)
        if page is not None and page.get("failures") is not None:
            # Written in a savepoint that may be taken back: looked up again.
            page["failures"].pop(ref, None)
        Failure = self.env["amazon.order.failure"].sudo()
        failure = Failure.search(
            [("account_id", "=", account.id), ("amazon_order_id", "=", ref)], limit=1
        )
        last_update = (
            parse_datetime(order.get("lastUpdatedTime"))
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
        # One failure record per (account, reference): see amazon.order.failure.
        failure = self._failure_of(account, self._safe_ref(order))
        if failure.state == "open":
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
        """The "Retry" button on a failure record; a vendor failure is retried
        by the vendor import it came from."""
        if failure.amazon_vendor_kind:
            importer = self.env[
                "amazon.vendor.df.order.importer"
                if failure.amazon_vendor_kind == "df"
                else "amazon.vendor.order.importer"
            ]
            payload = failure._get_payload()
            if payload is None:
                failure.write(
                    {"error": self.env._("The stored payload is unreadable.")}
                )
                return "failed"
            return importer._import_safely(failure.account_id, payload)
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
        # Beside a running sync (no lock): the order's unique key keeps it once.
        with account._sync_run(ORDERS_KIND, trigger="manual", lock=False) as run:
            log, stats = run.log, run.stats
            report = {"orders": [], "failures": []}
            try:
                data = account._spapi_call(
                    GET_ORDER,
                    orderId=amazon_order_id,
                    includedData=list(INCLUDED_DATA),
                )
            except AmazonNotFound as error:
                message = self.env._(
                    "Amazon has no order %(order)s for the seller account "
                    "%(account)s. Check the id in Seller Central > Orders, and that "
                    "the order was placed on a marketplace of this account.",
                    order=amazon_order_id,
                    account=account.name,
                )
                run.finish(state="failed", message=message)
                raise UserError(message) from error
            except AmazonError as error:
                run.finish(state="failed", message=str(error))
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
            stats["fetched"] = 1
            run.finish(state="failed" if stats["failed"] else "done", message=False)
            self._notify(account, log, stats, report)
        if stats["failed"]:
            raise UserError(report["failures"][0][1])
        return sale_order

    @api.model
    def _import_page(self, account, orders, log, stats, report):
        """Import a page of orders: created together, confirmed together.

        The page is first imported in one savepoint, its records created in
        batches; when any of its orders fails, it is rolled back and imported
        again with a savepoint per order, so that a bad order becomes its own
        failure record. Either way the new
        orders are then confirmed (and the FBA ones delivered) in one go. When
        that batch fails, the page is rolled back and imported again order by
        order, so that only the order that cannot be confirmed fails.

        The orders the run already handled are left out (see :meth:`_to_import`).
        """
        orders = [
            self._clean_order(order)
            for order in self._to_import(orders, log, stats, report)
        ]
        if not orders:
            return
        self.env.cr.cache[PAGE_CACHE_KEY] = self._prefetch_page_safely(account, orders)
        try:
            # Optimistic first: no savepoint per order (each one flushes, which
            # makes Odoo compute every order's fields one order at a time).
            outcomes = self._import_page_batched(account, orders, log, isolate=False)
            if outcomes is None:
                outcomes = self._import_page_batched(account, orders, log)
            if outcomes is None:
                page_cache(self.env)["deferred"] = None
                for order in orders:
                    self._import_one(account, order, log, stats, report)
                return
            for order, result, sale_order, error in outcomes:
                self._book_result(
                    account, order, log, stats, report, result, sale_order, error
                )
        finally:
            page = self.env.cr.cache.pop(PAGE_CACHE_KEY, None) or {}
            for name, qty in (page.get("fba_short") or {}).items():
                stats[(FBA_SHORT_KEY, name)] = qty

    @api.model
    def _import_page_batched(self, account, orders, log, isolate=True):
        """Import the orders of a page, then confirm the new ones together.

        :param isolate: a savepoint per order, whose failure is returned as its
            outcome; without, the page's orders are imported together
            (:meth:`_import_orders`: one ``create`` per kind of record) and the
            first failure rolls the page back (None)
        :return: [(order, result, sale order, error)], or None when the page
            was rolled back
        """
        page = page_cache(self.env)
        try:
            with self.env.cr.savepoint():
                page["deferred"] = []
                if isolate:
                    outcomes = [
                        self._import_isolated(account, order, log) for order in orders
                    ]
                else:
                    outcomes = [
                        (order, result, sale_order, None)
                        for order, (result, sale_order) in zip(
                            orders,
                            self._import_orders(account, orders, log=log),
                            strict=True,
                        )
                    ]
                deferred, page["deferred"] = page["deferred"], None
                if deferred:
                    self._after_create_page(account, deferred)
        except Exception as error:
            page["deferred"] = None
            _logger.info(
                "Importing a page of %s orders together failed (%s): importing "
                "it again %s",
                len(orders),
                error,
                "order by order" if isolate else "with a savepoint per order",
            )
            return None
        return outcomes

    @api.model
    def _import_isolated(self, account, order, log):
        """One order of a page in its own savepoint.

        :return: (order, result, sale order, error); a failure is returned, not
            raised, and only this order's writes are taken back
        """
        page = page_cache(self.env)
        deferred = list(page["deferred"])
        try:
            with self.env.cr.savepoint():
                result, sale_order = self._import_orders(account, [order], log=log)[0]
        except Exception as error:
            page["deferred"] = deferred
            return (order, "failed", None, error)
        return (order, result, sale_order, None)

    @api.model
    def _after_create_page(self, account, created):
        """Confirm the new orders of a page together, then deliver the FBA ones.

        One ``action_confirm`` and one picking validation for the whole page:
        Odoo's stock rules and moves run in batches, which is most of the import
        time when done order by order.

        :param account: amazon.account
        :param created: list of (sale.order, Amazon order dict) just created
        """
        to_confirm = fba = self.env["sale.order"]
        for sale_order, order in created:
            status = self._get_status(order)
            if status in (STATUS_PENDING, STATUS_PENDING_AVAILABILITY):
                continue
            if sale_order.amazon_fulfillment_channel == "fba":
                to_confirm |= sale_order
                fba |= sale_order
            elif account.order_auto_confirm:
                to_confirm |= sale_order
        if to_confirm:
            to_confirm.action_confirm()
        if fba:
            self._deliver_from_fba(fba, account)

    @api.model
    def _deliver_from_fba(self, sale_order, account):
        """Amazon ships from its own warehouse: the stock leaves the FBA location.

        :param sale_order: sale.order, one or several (of the same account)
        """
        location = account.fba_location_id
        pickings = sale_order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        if not pickings:
            return
        if location:
            pickings.location_id = location
            pickings.move_ids.location_id = location
        # Each account's own buyers location: the stock figures of the
        # destination are not shared with other accounts delivering at the same
        # time (a shared one is a serialization failure of one of them).
        pickings.location_dest_id = account._get_fba_customer_location()
        # What setting move.quantity does, with the move lines of all the moves
        # created at once (moves already holding lines take the usual way).
        new_lines = []
        for move in pickings.move_ids:
            if move.move_line_ids:
                move.quantity = move.product_uom_qty
                continue
            new_lines += [
                command[2]
                for command in move._set_quantity_done_prepare_vals(
                    move.product_uom_qty
                )
                if command[0] == 0
            ]
        if new_lines:
            self.env["stock.move.line"].create(new_lines)._apply_putaway_strategy()
        pickings.move_ids.picked = True
        self._date_fba_moves(pickings)
        # Amazon delivered and told the buyer: Odoo must not text (stock_sms,
        # a paid IAP call to Odoo's servers) or e-mail the buyer about it.
        pickings.with_context(skip_sms=True)._action_done()
        if location:
            self.env["amazon.fba.ledger"]._absorb_counted(account, pickings.move_ids)
            self._note_fba_shortfall(pickings, location)

    @api.model
    def _date_fba_moves(self, pickings):
        """Date the FBA delivery moves when Amazon took the units from its
        fulfillable stock: the purchase date (see amazon.fba.ledger)."""
        by_date = defaultdict(lambda: self.env["stock.move"])
        for picking in pickings:
            order = picking.sale_id
            date = order.amazon_purchase_date or order.date_order
            by_date[date] |= picking.move_ids
        for date, moves in by_date.items():
            moves.amazon_fba_date = date

    @api.model
    def _note_fba_shortfall(self, pickings, location):
        """Amazon shipped more than Odoo's FBA location held: the stock there is
        negative now. Say so on the orders, with the way to correct it, instead of
        leaving a negative count nobody notices."""
        products = pickings.move_ids.product_id.filtered("is_storable")
        if not products:
            return
        groups = self.env["stock.quant"]._read_group(
            [
                ("location_id", "child_of", location.id),
                ("product_id", "in", products.ids),
            ],
            ["product_id"],
            ["quantity:sum"],
        )
        negative = {product: qty for product, qty in groups if qty < 0}
        if not negative:
            return
        page = page_cache(self.env)
        if page is not None:
            # During a sync: one notice in the log for the run, not a note on
            # every FBA order (an account that never imported its FBA inventory
            # would get one on each).
            page.setdefault("fba_short", {}).update(
                {product.display_name: qty for product, qty in negative.items()}
            )
            return
        for picking in pickings:
            short = [
                (product, qty)
                for product, qty in negative.items()
                if product in picking.move_ids.product_id
            ]
            order = picking.sale_id
            if not short or not order:
                continue
            note = self.env._(
                "Odoo's FBA location %(location)s held fewer units than Amazon "
                "shipped: %(products)s. Import the FBA inventory (Amazon > Accounts > "
                "Import FBA inventory) to bring Odoo's count in line with Amazon's.",
                location=location.display_name,
                products=", ".join(
                    self.env._(
                        "%(product)s is at %(qty)s",
                        product=product.display_name,
                        qty=f"{qty:g}",
                    )
                    for product, qty in short
                ),
            )
            order.amazon_import_notes = "\n".join(
                filter(None, [order.amazon_import_notes, note])
            )

    @api.model
    def _prefetch_page_safely(self, account, orders):
        """The page's look-ups; none when a payload defeats them (each order then
        looks its data up alone, and fails alone)."""
        try:
            with self.env.cr.savepoint():
                return self._prefetch_page(account, orders)
        except Exception:
            _logger.exception("Prefetching a page of Amazon orders failed")
            return {"deferred": None, "products": {}, "marketplaces": {}, "emails": {}}

    @api.model
    def _prefetch_page(self, account, orders):
        """Resolve the page's marketplaces, SKUs, buyer e-mails and failure records
        in a few queries.

        :return: dict read by the look-up hooks through :meth:`_page_cache`
        """
        matcher = self.env["amazon.order.customer.matcher"]
        skus, emails = defaultdict(set), set()
        for order in orders:
            if not isinstance(order, dict):
                continue
            code = as_dict(order.get("salesChannel")).get("marketplaceId")
            for item in as_list(order.get("orderItems")):
                sku = as_dict(item.get("product")).get("sellerSku")
                if isinstance(sku, str) and sku.strip() and isinstance(code, str):
                    skus[code].add(sku.strip()[:128])
            email = matcher._buyer_email(order)
            if email:
                emails.add(email)
        cache = {"deferred": None, "products": {}, "marketplaces": {}}
        marketplaces = self.env["amazon.marketplace"].search(
            [("marketplace_id", "in", list(skus))]
        )
        for marketplace in marketplaces:
            cache["marketplaces"].setdefault(marketplace.marketplace_id, marketplace)
        for code, codes in skus.items():
            marketplace = cache["marketplaces"].get(code)
            if not marketplace:
                continue
            found = account._find_products_by_skus(
                sorted(codes), marketplace=marketplace
            )
            for sku, product in found.items():
                if product:
                    cache["products"][(marketplace.id, sku)] = product
        cache["emails"] = matcher._find_customers_by_emails(account, emails)
        cache["failures"] = self._find_failures(account, orders)
        return cache

    @api.model
    def _find_failures(self, account, orders):
        """{reference: amazon.order.failure (empty when none)} of the orders, in
        one query: booking an order reads its failure record."""
        Failure = self.env["amazon.order.failure"].sudo()
        refs = {self._safe_ref(order) for order in orders}
        found = {
            failure.amazon_order_id: failure
            for failure in Failure.search_fetch(
                [
                    ("account_id", "=", account.id),
                    ("amazon_order_id", "in", list(refs)),
                ],
                ["amazon_order_id", "state", "error"],
            )
        }
        return {ref: found.get(ref, Failure) for ref in refs}

    # --- once per run ---------------------------------------------------------
    @api.model
    def _handled(self, report):
        """{reference: {"stamp", "result", "sale_order"}} of the orders of the run."""
        return report.setdefault("handled", {})

    @api.model
    def _order_stamp(self, order):
        if not isinstance(order, dict):
            return None
        return parse_datetime(order.get("lastUpdatedTime"))

    @api.model
    def _is_newer_copy(self, order, handled):
        """Whether ``order`` must be handled although its reference was.

        :param dict handled: what the run booked for the reference
        """
        stamp = self._order_stamp(order)
        return bool(stamp and handled["stamp"] and stamp > handled["stamp"])

    @api.model
    def _to_import(self, orders, log, stats, report):
        """The orders the run must import: one copy per reference, the newest,
        and none the run already handled unless it is a newer copy (whose
        earlier outcome is then taken back)."""
        newest = {}
        for order in orders:
            ref = self._safe_ref(order)
            kept = newest.get(ref)
            if (
                kept is None
                or self._order_stamp(order)
                and (
                    not self._order_stamp(kept)
                    or self._order_stamp(order) > self._order_stamp(kept)
                )
            ):
                newest[ref] = order
        todo = []
        for ref, order in newest.items():
            handled = self._handled(report).get(ref)
            if handled:
                if not self._is_newer_copy(order, handled):
                    continue
                self._take_back(ref, log, stats, report)
            todo.append(order)
        return todo

    @api.model
    def _take_back(self, ref, log, stats, report):
        """Forget what the run booked for ``ref``: a newer copy replaces it."""
        handled = self._handled(report).pop(ref)
        stats[handled["result"]] -= 1
        report["failures"] = [f for f in report["failures"] if f[0] != ref]
        report["orders"] = [
            so for so in report["orders"] if so != handled["sale_order"]
        ]
        if log:
            self.env["amazon.sync.log.line"].sudo().search(
                [("log_id", "=", log.id), ("amazon_ref", "=", ref)]
            ).unlink()

    @api.model
    def _failure_of(self, account, ref):
        """The failure record of ``ref`` (empty when none); the page's prefetch
        answers for the orders of the page."""
        page = page_cache(self.env)
        known = page.get("failures") if page is not None else None
        if known is not None and ref in known:
            return known[ref]
        return (
            self.env["amazon.order.failure"]
            .sudo()
            .search(
                [("account_id", "=", account.id), ("amazon_order_id", "=", ref)],
                limit=1,
            )
        )

    @api.model
    def _failure_is_news(self, account, ref, before):
        """Whether a failure just booked is worth an e-mail.

        :param before: (state, error) of its record before the booking, or None
        :return: True when it is new, failing again after an import, or failing
            for another reason; False when dismissed or unchanged
        """
        if not before:
            return True
        state, error = before
        if state != "open":
            return state == "done"
        return self._failure_of(account, ref).error != error

    # --- a batch of orders ----------------------------------------------------
    @api.model
    def _import_orders(self, account, orders, log=None, force=False):
        """Create or update the sale orders of several Amazon orders, together.

        The same rules as one order at a time, with the writes batched: the new
        customers, the new delivery contacts, the sale orders with their lines and
        the rounding lines are each created in one ``create``, so that Odoo
        inserts and computes them per batch instead of per order. The existing
        orders are found in one query.

        Nothing is isolated: the first order that cannot be imported raises, and
        the caller's savepoint takes back the whole batch (a page then imports
        its orders again one by one, see ``_import_page``).

        :return: list of (result, sale.order), one per order, in the same order
        :raise AmazonOrderDataError: when the data of an order cannot make a
            correct sale order
        """
        order_ids = [self._get_order_id(order) for order in orders]
        existing = self._find_sale_orders(account, order_ids)
        results = [None] * len(orders)
        to_create, seen, again = [], set(), []
        for index, (order, order_id) in enumerate(zip(orders, order_ids, strict=True)):
            if order_id in seen:
                # The same order twice: the second one sees the first one's result.
                again.append(index)
                continue
            seen.add(order_id)
            if order_id in existing:
                results[index] = self._update_sale_order(existing[order_id], order)
            elif (not force and self._must_skip(account, order)) or self._get_status(
                order
            ) == STATUS_CANCELLED:
                results[index] = ("skipped", self.env["sale.order"])
            else:
                to_create.append(index)
        if to_create:
            created = self._create_sale_orders(
                account, [orders[index] for index in to_create], log
            )
            for index, sale_order in zip(to_create, created, strict=True):
                results[index] = ("created", sale_order)
        for index in again:
            results[index] = self._import_orders(
                account, [orders[index]], log=log, force=force
            )[0]
        return results

    @api.model
    def _create_sale_orders(self, account, orders, log=None):
        """Create the sale orders of new Amazon orders (see :meth:`_import_orders`).

        :return: sale.order, one record per order, in the same order
        """
        SaleOrder = self.env["sale.order"]
        builder = self.env["amazon.order.line.builder"]
        entries = []
        for order in orders:
            marketplace = self._find_marketplace(order)
            currency = self._find_currency(account, order, marketplace)
            entries.append((order, marketplace, currency, []))
        partners = self.env["amazon.order.customer.matcher"]._match(
            account, [(order, market, notes) for order, market, _c, notes in entries]
        )
        vals_list, totals_list = [], []
        for (order, marketplace, currency, notes), (customer, shipping) in zip(
            entries, partners, strict=True
        ):
            vals = self._prepare_sale_order(
                account, order, notes, marketplace, currency, customer, shipping
            )
            if log:
                vals["amazon_sync_log_id"] = log.id
            # One create with the lines: the line hooks read the order's company,
            # currency, fiscal position and marketplace from a new (unsaved) order.
            new_order = SaleOrder.new(vals)
            commands, totals = builder._prepare_order_lines(
                new_order, account, order, notes
            )
            vals["order_line"] = commands
            # The position the lines' taxes were mapped with, which Odoo computed
            # on the new order from the same partners and company: given, so that
            # the create does not compute it a second time.
            vals.setdefault("fiscal_position_id", new_order.fiscal_position_id.id)
            if notes:
                vals["amazon_import_notes"] = "\n".join(notes)
            vals_list.append(vals)
            totals_list.append(totals)
        sale_orders = SaleOrder.create(vals_list)
        notes_list = [notes for _order, _market, _currency, notes in entries]
        builder._balance_totals(sale_orders, account, orders, totals_list, notes_list)
        for sale_order, notes in zip(sale_orders, notes_list, strict=True):
            if notes and sale_order.amazon_import_notes != "\n".join(notes):
                sale_order.amazon_import_notes = "\n".join(notes)
        created = list(zip(sale_orders, orders, strict=True))
        page = page_cache(self.env)
        if page is not None and page.get("deferred") is not None:
            # A page import confirms its orders together (_after_create_page).
            page["deferred"] += created
        else:
            self._after_create_page(account, created)
        return sale_orders

    # --- reading the payload --------------------------------------------------
    @api.model
    def _get_order_id(self, order):
        order_id = isinstance(order, dict) and order.get("orderId")
        if not isinstance(order_id, str) or not order_id.strip():
            raise AmazonOrderDataError(self.env._("The order has no Amazon order id."))
        if len(order_id.strip()) > 64:
            raise AmazonOrderDataError(self.env._("The Amazon order id is too long."))
        usable = usable_reference(order_id)
        if not usable:
            raise AmazonOrderDataError(
                self.env._(
                    "The Amazon order id holds control or invisible characters: "
                    "it cannot name an order."
                )
            )
        return usable

    @api.model
    def _get_status(self, order):
        fulfillment = as_dict(order.get("fulfillment"))
        status = fulfillment.get("fulfillmentStatus")
        return status if isinstance(status, str) else ""

    @api.model
    def _get_channel(self, order):
        fulfillment = as_dict(order.get("fulfillment"))
        return "fba" if fulfillment.get("fulfilledBy") == FULFILLED_BY_AMAZON else "fbm"

    @api.model
    def _find_marketplace(self, order):
        channel = as_dict(order.get("salesChannel"))
        marketplace_id = channel.get("marketplaceId")
        marketplace = self.env["amazon.marketplace"]
        page = page_cache(self.env)
        if (
            page is not None
            and isinstance(marketplace_id, str)
            and marketplace_id in page["marketplaces"]
        ):
            return page["marketplaces"][marketplace_id]
        if isinstance(marketplace_id, str) and marketplace_id:
            marketplace = marketplace.search(
                [("marketplace_id", "=", marketplace_id)], limit=1
            )
        if not marketplace:
            raise AmazonOrderDataError(
                self.env._("Unknown Amazon marketplace %r.", marketplace_id)
            )
        return marketplace

    # --- hooks ----------------------------------------------------------------
    @api.model
    def _find_sale_orders(self, account, order_ids):
        """:return: {Amazon order id: sale.order} of those already imported"""
        found = (
            self.env["sale.order"]
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("amazon_account_id", "=", account.id),
                    ("amazon_order_kind", "=", "seller"),
                    ("amazon_order_id", "in", list(set(order_ids))),
                ],
                ["amazon_order_id"],
                order="id",
            )
        )
        existing = {}
        for sale_order in found:
            existing.setdefault(sale_order.amazon_order_id, sale_order)
        return existing

    @api.model
    def _must_skip(self, account, order):
        """Orders the account does not want (status, channel) or that are not sales.

        A skipped order leaves no trace but its reason in the sync log: when it
        changes later (a Pending order becoming Unshipped) it is fetched again and
        imported then, once.
        """
        return bool(self._skip_reason(account, order))

    @api.model
    def _skip_reason(self, account, order):
        """Why the account does not import ``order``, in words; False to import it.

        :raise AmazonOrderDataError: for a status this code does not know
        """
        if not account.order_import_active:
            return self.env._("the account's order import is switched off")
        channel = as_dict(order.get("salesChannel")).get("channelName")
        if channel and channel != "AMAZON":
            return self.env._("sold on another sales channel (%s)", str(channel)[:40])
        status = self._get_status(order)
        if status not in KNOWN_STATUSES:
            # Not an order the account does not want: data we cannot read. Skipping
            # it would lose it silently; a failure keeps it for a person to see.
            raw = as_dict(order.get("fulfillment")).get("fulfillmentStatus")
            raise AmazonOrderDataError(
                self.env._("Unknown Amazon order status %r.", str(raw)[:40])
            )
        if status == STATUS_PENDING_AVAILABILITY:
            status = STATUS_PENDING
        if status not in account._get_order_import_statuses():
            label = dict(
                self.env["sale.order"]
                ._fields["amazon_seller_status"]
                ._description_selection(self.env)
            ).get(status, status)
            return self.env._(
                "the account does not import %(status)s orders", status=label
            )
        channel = self._get_channel(order)
        wanted = {"fbm": account.order_import_fbm, "fba": account.order_import_fba}
        if not wanted[channel]:
            if channel == "fba":
                return self.env._(
                    "the account does not import orders fulfilled by Amazon (FBA)"
                )
            return self.env._(
                "the account does not import orders fulfilled by you (FBM)"
            )
        return False

    @api.model
    def _skip_note(self, account, order, sale_order):
        """The reason a skipped order gives in the sync log."""
        if sale_order:
            return self.env._("unchanged since the last import")
        if self._get_status(order) == STATUS_CANCELLED:
            return self.env._("cancelled on Amazon before it was imported")
        try:
            return self._skip_reason(account, order) or self.env._("not imported")
        except AmazonOrderDataError as error:
            return str(error)

    @api.model
    def _prepare_sale_order(
        self, account, order, notes, marketplace, currency, customer, shipping
    ):
        """Values of the sale order (without its lines) of a new Amazon order.

        :param marketplace: amazon.marketplace, from :meth:`_find_marketplace`
        :param currency: res.currency, from :meth:`_find_currency`
        :param customer: res.partner, the customer (found or created)
        :param shipping: res.partner, the delivery contact (found or created)
        """
        order_id = self._get_order_id(order)
        channel = self._get_channel(order)
        purchase_date = parse_datetime(order.get("createdTime"))
        if not purchase_date:
            raise AmazonOrderDataError(
                self.env._("The order has no valid createdTime.")
            )
        status = self._get_status(order)
        warehouse = (
            account.fba_warehouse_id if channel == "fba" else account.fbm_warehouse_id
        )
        vals = {
            **account._prepare_order_defaults(order_id, warehouse),
            "partner_id": customer.id,
            "partner_invoice_id": customer.id,
            "partner_shipping_id": shipping.id,
            "origin": self.env._("Amazon %s", marketplace.name),
            "date_order": purchase_date,
            "pricelist_id": self._find_pricelist(account, currency).id,
            "amazon_marketplace_id": marketplace.id,
            "amazon_fulfillment_channel": channel,
            "amazon_status": status,
            "amazon_purchase_date": purchase_date,
            "amazon_last_update": parse_datetime(order.get("lastUpdatedTime")),
            "amazon_order_kind": "seller",
        }
        if status in CLOSED_STATUSES:
            vals["amazon_closed_date"] = vals["amazon_last_update"] or purchase_date
        vals.update(self._prepare_promise(order))
        return vals

    @api.model
    def _prepare_promise(self, order):
        """What Amazon promised the buyer: ship by, deliver by, service level."""
        fulfillment = as_dict(order.get("fulfillment"))
        level = fulfillment.get("fulfillmentServiceLevel")
        return {
            "amazon_ship_by": parse_datetime(
                as_dict(fulfillment.get("shipByWindow")).get("latestDateTime")
            ),
            "amazon_deliver_by": parse_datetime(
                as_dict(fulfillment.get("deliverByWindow")).get("latestDateTime")
            ),
            "amazon_service_level": level if level in dict(SERVICE_LEVELS) else False,
        }

    @api.model
    def _find_currency(self, account, order, marketplace):
        grand_total = as_dict(as_dict(order.get("proceeds")).get("grandTotal"))
        code = grand_total.get("currencyCode")
        if not code:
            for item in as_list(order.get("orderItems")):
                price = as_dict(as_dict(item.get("product")).get("price"))
                code = as_dict(price.get("unitPrice")).get("currencyCode")
                if code:
                    break
        if not code:
            return marketplace.currency_id or account.company_id.currency_id
        return page_memo(
            self.env,
            "currency",
            str(code).upper()[:3],
            lambda: account._order_currency(code),
        )

    @api.model
    def _find_pricelist(self, account, currency):
        """The pricelist of the order's currency (created when there is none).

        Looked up once per page: a pricelist the page found is kept for its
        other orders; one the page created is not (a rollback of the page could
        take it back), it is searched again.
        """
        Pricelist = self.env["product.pricelist"]
        key = (currency.id, account.company_id.id)
        page = page_cache(self.env)
        memo = page.setdefault("pricelists", {}) if page is not None else {}
        if memo.get(key):
            return memo[key]
        domain = [
            ("currency_id", "=", currency.id),
            ("company_id", "in", [account.company_id.id, False]),
        ]
        pricelist = Pricelist.search(domain, limit=1)
        if pricelist:
            memo.setdefault(key, pricelist)
        else:
            memo[key] = False
            pricelist = Pricelist.sudo().create(
                {
                    "name": self.env._("Amazon %s", currency.name),
                    "currency_id": currency.id,
                    "company_id": account.company_id.id,
                }
            )
        return pricelist

    # --- changes after import -------------------------------------------------
    @api.model
    def _update_sale_order(self, sale_order, order):
        """Follow Amazon's status on an order already in Odoo."""
        last_update = parse_datetime(order.get("lastUpdatedTime"))
        status = self._get_status(order)
        if (
            sale_order.amazon_last_update
            and last_update
            and last_update <= sale_order.amazon_last_update
        ) or (not status or status == sale_order.amazon_status):
            if last_update and last_update != sale_order.amazon_last_update:
                sale_order.amazon_last_update = last_update
            return "skipped", sale_order
        vals = {"amazon_status": status, "amazon_last_update": last_update}
        if status in CLOSED_STATUSES and not sale_order.amazon_closed_date:
            vals["amazon_closed_date"] = last_update or sale_order.amazon_purchase_date
        sale_order.write(vals)
        if status == STATUS_CANCELLED and sale_order.state != "cancel":
            self._cancel_sale_order(sale_order, order)
        return "updated", sale_order

    @api.model
    def _cancel_sale_order(self, sale_order, order):
        delivered = any(line.qty_delivered for line in sale_order.order_line)
        invoiced = sale_order.invoice_ids.filtered(lambda m: m.state == "posted")
        if not delivered and not invoiced:
            sale_order._action_cancel()
            sale_order.message_post(body=self.env._("Cancelled on Amazon."))
            return
        message = self.env._(
            "Amazon cancelled order %s, but it is already delivered or invoiced in "
            "Odoo: check whether a return or a credit note is needed.",
            sale_order.amazon_order_id,
        )
        sale_order.message_post(body=message)
        sale_order.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Amazon cancelled this order"),
            # The order id is Amazon's text: escaped, never taken as markup.
            note=text_to_html(message),
            user_id=(sale_order.user_id or self.env.user).id,
        )

    # --- e-mail ---------------------------------------------------------------
    @api.model
    def _notify(self, account, log, stats, report):
        """E-mail the configured recipients when orders were created or failed
        for news (only old failures failing again send nothing)."""
        recipients = account.order_notify_partner_ids
        if not recipients or not (stats["created"] or report["failures"]):
            return
        template = self.env.ref(
            "amazon_connector_sale.mail_template_amazon_order_import",
            raise_if_not_found=False,
        )
        if not template:
            return
        orders = [
            {
                "amazon": so.amazon_order_id,
                "odoo": so.name,
                "customer": so.partner_id.display_name,
                "total": so.currency_id.format(so.amount_total),
            }
            for so in report["orders"]
        ]
        failures = [
            {"amazon": ref, "reason": reason} for ref, reason in report["failures"]
        ]
        template.with_context(
            amazon_account_name=account.name,
            amazon_stats=dict(stats),
            amazon_orders=orders,
            amazon_failures=failures,
        ).sudo().send_mail(
            log.id,
            email_values={"recipient_ids": [(6, 0, recipients.ids)]},
        )
