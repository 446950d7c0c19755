# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Read Amazon's transactions by posting window (Finances API 2024-06-19
``listTransactions``, 0.5 requests/s): one call per page of the window, never one
per order. Each transaction is stored once (by Amazon's transaction id); refunds
then become credit notes (``amazon.refund.booker``)."""

import logging
from datetime import timedelta, timezone
from decimal import Decimal, InvalidOperation

from odoo import api, fields, models

from odoo.addons.amazon_connector.exceptions import (
    AmazonError,
    AmazonInvalidRequest,
)
from odoo.addons.amazon_connector.utils import parse_datetime

from ..const import (
    CONTEXT_PRODUCT,
    FINANCES_END_MARGIN_MINUTES,
    FINANCES_MAX_WINDOW_DAYS,
    OP_LIST_TRANSACTIONS,
    RELATED_GROUP_ID,
    RELATED_ORDER_ID,
    RELATED_REFUND_ID,
    SYNC_KIND_REFUNDS,
    TRANSACTION_STATUSES,
    TRANSACTION_TYPE_REFUND,
)

_logger = logging.getLogger(__name__)

KNOWN_STATUSES = {key for key, _label in TRANSACTION_STATUSES}
# Transactions may be posted with a short delay: each run reads again the last
# minutes of the previous window (the transaction id keeps them unique).
OVERLAP = timedelta(minutes=10)
DEFAULT_HISTORY = timedelta(days=30)


class AmazonFinanceDataError(ValueError):
    """A transaction Amazon sent that cannot be read."""


class AmazonFinanceImporter(models.AbstractModel):
    _name = "amazon.finance.importer"
    _description = "Amazon Financial Transactions Import"

    @api.model
    def _now(self):
        return fields.Datetime.now()

    @api.model
    def _run(self, account, trigger="manual"):
        """Read the transactions posted since the last run, then book the refunds.

        The posting window being read and the token of its next page are kept on
        the account's schedule of the refunds, written with each page: a run
        stopped by a throttle, a crash or a kill goes on at the next page of that
        window (no page read twice); a token Amazon no longer accepts restarts
        the window from its start (transactions are stored once by their id).

        :return: amazon.sync.log of the run
        """
        account.ensure_one()
        start = self._get_window_start(account)
        with account._sync_run(
            SYNC_KIND_REFUNDS, trigger=trigger, cursor_before=start
        ) as run:
            stats = run.stats
            try:
                self._read_windows(run, account, start)
            except AmazonError as exc:
                run.stop(exc)
            booked = self.env["amazon.refund.booker"]._book_pending(account, run.log)
            stats["credit_notes"] = len(booked)
            run.finish(cursor_after=account.refund_import_from)
        return run.log

    @api.model
    def _read_windows(self, run, account, start):
        """Finish the open window (if a run stopped in it), then the next ones."""
        schedule = run.schedule
        end = self._now() - timedelta(minutes=FINANCES_END_MARGIN_MINUTES)
        while True:
            if schedule.window_end:
                window_start, window_end = schedule.window_start, schedule.window_end
            elif start < end:
                window_start = start
                window_end = min(start + timedelta(days=FINANCES_MAX_WINDOW_DAYS), end)
                schedule._open_window(window_start, window_end)
            else:
                return
            self._read_window(run, account, window_start, window_end)
            account.sudo().refund_import_from = window_end
            schedule._close_window()
            run.commit()
            start = window_end

    @api.model
    def _read_window(self, run, account, start, end):
        """Import the pages of one posting window from the schedule's token on."""
        schedule = run.schedule
        token = schedule.page_token or None
        restarted = False
        while True:
            try:
                transactions, token = self._fetch_page(run, account, start, end, token)
            except AmazonInvalidRequest:
                if not token or restarted:
                    raise
                # Amazon refused the token (expired): the window again.
                _logger.info("listTransactions refused its token: restarting")
                restarted = True
                token = None
                schedule._restart_window()
                continue
            run.stats["fetched"] += len(transactions)
            self._store_transactions(account, transactions, run.log, run.stats)
            schedule._page_done(token, run.stats)
            if not token:
                return
            run.commit()

    @api.model
    def _get_window_start(self, account):
        if account.refund_import_from:
            return account.refund_import_from - OVERLAP
        start = getattr(account, "order_import_from_date", False)
        return start or self._now() - DEFAULT_HISTORY

    @api.model
    def _iso(self, moment):
        return moment.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")

    @api.model
    def _fetch_page(self, run, account, start, end, token=None):
        """One page of a posting window (an empty page with a ``nextToken``
        happens, the model says so: the token is followed).

        :return: (transactions, token of the next page or None)
        """
        params = {"postedAfter": self._iso(start), "postedBefore": self._iso(end)}
        if token:
            params["nextToken"] = token
        data = run.call(account._spapi_call, OP_LIST_TRANSACTIONS, **params)
        payload = data.get("payload", data) if isinstance(data, dict) else {}
        transactions = payload.get("transactions") if payload else None
        token = payload.get("nextToken") if payload else None
        return [t for t in transactions or [] if isinstance(t, dict)], token or None

    # --- reading a transaction -----------------------------------------------------
    @api.model
    def _money(self, value, what):
        """A ``Currency`` object as (Decimal amount, currency code)."""
        if not isinstance(value, dict):
            raise AmazonFinanceDataError(self.env._("%s is missing.", what))
        raw = value.get("currencyAmount")
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise AmazonFinanceDataError(self.env._("%s is not a number.", what))
        try:
            amount = Decimal(str(raw))
        except InvalidOperation:
            raise AmazonFinanceDataError(
                self.env._("%s is not a number.", what)
            ) from None
        if not amount.is_finite() or abs(amount) >= 10**9:
            raise AmazonFinanceDataError(self.env._("%s is out of range.", what))
        code = value.get("currencyCode")
        if not isinstance(code, str) or len(code.strip()) != 3:
            raise AmazonFinanceDataError(self.env._("%s has no currency.", what))
        return amount, code.strip().upper()

    @api.model
    def _related(self, transaction):
        related = {}
        for ident in transaction.get("relatedIdentifiers") or []:
            if isinstance(ident, dict):
                name = ident.get("relatedIdentifierName")
                value = ident.get("relatedIdentifierValue")
                if isinstance(name, str) and isinstance(value, str):
                    related.setdefault(name, value.strip()[:64])
        return related

    @api.model
    def _flatten(self, breakdowns, currency_code, path=(), what="breakdown"):
        """Every breakdown with its path, leaves marked (nested breakdowns)."""
        rows = []
        for breakdown in breakdowns or []:
            if not isinstance(breakdown, dict):
                raise AmazonFinanceDataError(
                    self.env._("A breakdown is not an object.")
                )
            kind = breakdown.get("breakdownType")
            kind = kind.strip()[:64] if isinstance(kind, str) else ""
            amount, code = self._money(breakdown.get("breakdownAmount"), what)
            if code != currency_code:
                raise AmazonFinanceDataError(
                    self.env._(
                        "A breakdown is in %(code)s, the transaction in %(currency)s.",
                        code=code,
                        currency=currency_code,
                    )
                )
            children = breakdown.get("breakdowns") or []
            rows.append(
                {
                    "breakdown_type": kind,
                    "path": " / ".join(path),
                    "is_leaf": not children,
                    "amount": float(amount),
                }
            )
            if children:
                rows += self._flatten(children, currency_code, (*path, kind), what)
        return rows

    @api.model
    def _prepare_transaction(self, account, transaction):
        """Values of an ``amazon.finance.transaction`` (with its breakdown lines).

        :raise AmazonFinanceDataError: the transaction cannot be read
        """
        amount, code = self._money(
            transaction.get("totalAmount"), self.env._("The total amount")
        )
        currency = account._order_currency(code)
        related = self._related(transaction)
        status = transaction.get("transactionStatus")
        kind = transaction.get("transactionType")
        marketplace_code = (transaction.get("sellingPartnerMetadata") or {}).get(
            "marketplaceId"
        )
        lines = []
        for row in self._flatten(transaction.get("breakdowns"), code):
            lines.append({**row, "currency_id": currency.id})
        for index, item in enumerate(transaction.get("items") or []):
            if not isinstance(item, dict):
                raise AmazonFinanceDataError(self.env._("An item is not an object."))
            sku, quantity = False, 0.0
            for context in item.get("contexts") or []:
                if isinstance(context, dict) and (
                    context.get("contextType") == CONTEXT_PRODUCT or "sku" in context
                ):
                    sku = (
                        context.get("sku")
                        if isinstance(context.get("sku"), str)
                        else sku
                    )
                    qty = context.get("quantityShipped")
                    if isinstance(qty, int) and not isinstance(qty, bool):
                        quantity = float(qty)
            item_ref = False
            for ident in item.get("relatedIdentifiers") or []:
                if isinstance(ident, dict) and ident.get("itemRelatedIdentifierValue"):
                    item_ref = str(ident["itemRelatedIdentifierValue"])[:64]
                    break
            for row in self._flatten(item.get("breakdowns"), code):
                lines.append(
                    {
                        **row,
                        "from_item": True,
                        "sequence": index + 1,
                        "sku": (sku or "")[:128] or False,
                        "quantity": quantity,
                        "item_reference": item_ref,
                        "currency_id": currency.id,
                    }
                )
        marketplace = self.env["amazon.marketplace"]
        if isinstance(marketplace_code, str) and marketplace_code:
            marketplace = marketplace.search(
                [("marketplace_id", "=", marketplace_code)], limit=1
            )
        return {
            "account_id": account.id,
            "transaction_id": str(transaction["transactionId"]).strip()[:128],
            "transaction_type": kind[:64] if isinstance(kind, str) else False,
            "transaction_status": status if status in KNOWN_STATUSES else False,
            "description": str(transaction.get("description") or "")[:256] or False,
            "posted_date": parse_datetime(transaction.get("postedDate")),
            "marketplace_id": marketplace.id,
            "amazon_order_id": related.get(RELATED_ORDER_ID, False),
            "refund_reference": related.get(RELATED_REFUND_ID, False),
            "group_reference": related.get(RELATED_GROUP_ID, False),
            "total_amount": float(amount),
            "currency_id": currency.id,
            "refund_state": "waiting" if kind == TRANSACTION_TYPE_REFUND else "none",
            "line_ids": [fields.Command.create(vals) for vals in lines],
        }

    @api.model
    def _store_transactions(self, account, transactions, log, stats):
        """Create the new transactions, follow the status of known ones (a deferred
        transaction is released later); a bad one is a line in the log."""
        Transaction = self.env["amazon.finance.transaction"].sudo()
        ids = [
            str(t.get("transactionId")).strip()[:128]
            for t in transactions
            if t.get("transactionId")
        ]
        existing = {
            rec.transaction_id: rec
            for rec in Transaction.search(
                [("account_id", "=", account.id), ("transaction_id", "in", ids)]
            )
        }
        to_create = []
        seen = set()
        for transaction in transactions:
            ref = transaction.get("transactionId")
            if not isinstance(ref, str) or not ref.strip():
                stats["failed"] += 1
                log._add_line("?", self.env._("A transaction has no transaction id."))
                continue
            ref = ref.strip()[:128]
            if ref in seen:
                stats["skipped"] += 1
                continue
            seen.add(ref)
            record = existing.get(ref)
            if record:
                status = transaction.get("transactionStatus")
                if status in KNOWN_STATUSES and status != record.transaction_status:
                    record.transaction_status = status
                    stats["updated"] += 1
                else:
                    stats["skipped"] += 1
                continue
            try:
                to_create.append(self._prepare_transaction(account, transaction))
            except AmazonFinanceDataError as exc:
                stats["failed"] += 1
                log._add_line(ref, str(exc))
        if to_create:
            created = Transaction.create(to_create)
            self._link_orders(account, created)
            stats["created"] += len(created)

    @api.model
    def _link_orders(self, account, transactions):
        order_ids = [t.amazon_order_id for t in transactions if t.amazon_order_id]
        if not order_ids:
            return
        orders = self.env["sale.order"].search(
            [
                ("amazon_account_id", "=", account.id),
                ("amazon_order_kind", "=", "seller"),
                ("amazon_order_id", "in", order_ids),
            ]
        )
        by_id = {order.amazon_order_id: order for order in orders}
        for transaction in transactions:
            order = by_id.get(transaction.amazon_order_id)
            if order:
                transaction.sale_order_id = order
