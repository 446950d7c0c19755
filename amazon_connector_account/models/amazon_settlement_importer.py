# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Read Amazon's settlements: the financial event groups (Finances v0
``listFinancialEventGroups``, 0.5/s burst 30, 100 a page), the transactions of
each open or newly closed group (Finances 2024-06-19 ``listTransactions`` by
``FINANCIAL_EVENT_GROUP_ID``, 0.5/s burst 10) and, in the EU, the payouts
(Transfers 2024-06-01 ``listPayouts``).

Idempotent by Amazon's ids: a group is one ``amazon.settlement`` per account, a
transaction one ``amazon.finance.transaction`` (the record the refund import of
the same transaction uses) and its leaf breakdowns the settlement's lines. An
open group is read again on every run until it closes. Within the reading of a
group, the token of its next transactions page is kept on the account's
schedule of the settlements with each page: a run stopped by a throttle, a crash
or a kill goes on with that group at that page (a token Amazon no longer
accepts reads the group again from its first page)."""

import logging
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models

from odoo.addons.amazon_connector.exceptions import (
    AmazonError,
    AmazonInvalidRequest,
)
from odoo.addons.amazon_connector.utils import parse_datetime
from odoo.addons.amazon_connector_sale.exceptions import AmazonOrderDataError

from ..const import (
    CONTEXT_PRODUCT,
    FINANCES_END_MARGIN_MINUTES,
    FINANCES_MAX_WINDOW_DAYS,
    GROUP_STATUS_CLOSED,
    GROUP_STATUS_OPEN,
    OP_LIST_GROUPS,
    OP_LIST_PAYOUTS,
    OP_LIST_TRANSACTIONS,
    RELATED_GROUP_ID,
    RELATED_ORDER_ID,
    RELATED_REFUND_ID,
    SYNC_KIND_SETTLEMENTS,
    TRANSACTION_TYPE_REFUND,
    TRANSACTION_TYPE_SHIPMENT,
)
from .amazon_finance_importer import AmazonFinanceDataError

_logger = logging.getLogger(__name__)

GROUPS_PAGE_SIZE = 100
DEFAULT_HISTORY = timedelta(days=30)
# A group holds about 14 days of transactions: the first run lists the groups
# started this long before the import start, whose money may be newer.
GROUP_SPAN = timedelta(days=15)
# Groups last about 14 days: each run lists again from a little before the
# oldest group still open (or the newest closed one).
OVERLAP = timedelta(days=1)
LINE_STATUSES = {
    "RELEASED": "released",
    "DEFERRED": "deferred",
    "DEFERRED_RELEASED": "deferred_released",
}
# Breakdowns that are Amazon's fees and charges (the rest of a shipment is the
# buyer's money, of a refund the money given back).
FEE_TRANSACTION_TYPES = {"ServiceFee", "Chargeback"}
FEE_PARENTS = {"AmazonFees", "Fees", "ServiceFees", "FBAFees"}
UNITEMIZED = "Unitemized"
# Key of the position of a group's transaction pages on the schedule.
GROUP_POSITION = "group"


def _call(run, function, *args, **kwargs):
    """``function`` through the run (a short throttle waited out in the worker)."""
    if run is None:
        return function(*args, **kwargs)
    return run.call(function, *args, **kwargs)


class AmazonSettlementImporter(models.AbstractModel):
    _name = "amazon.settlement.importer"
    _description = "Amazon Settlements Import"

    @api.model
    def _now(self):
        return fields.Datetime.now()

    # --- the run -------------------------------------------------------------------
    @api.model
    def _run(self, account, trigger="manual"):
        """List the groups started since the cursor, read the transactions of the
        open and newly closed ones, then the payouts.

        :return: amazon.sync.log of the run
        """
        account.ensure_one()
        start = self._get_window_start(account)
        with account._sync_run(
            SYNC_KIND_SETTLEMENTS, trigger=trigger, cursor_before=start
        ) as run:
            stats, log = run.stats, run.log
            end = self._now() - timedelta(minutes=FINANCES_END_MARGIN_MINUTES)
            settlements = self.env["amazon.settlement"]
            try:
                cursor = start
                while cursor < end:
                    window_end = min(
                        cursor + timedelta(days=FINANCES_MAX_WINDOW_DAYS - 1), end
                    )
                    for group in self._fetch_groups(
                        account, cursor, window_end, run=run
                    ):
                        settlements |= self._store_group(account, group, log, stats)
                    cursor = window_end
                # open settlements the listing did not show again (started before
                # the window): still read until Amazon closes them
                settlements |= self.env["amazon.settlement"].search(
                    [
                        ("account_id", "=", account.id),
                        ("processing_status", "=", "open"),
                        ("id", "not in", settlements.ids),
                    ]
                )
                for settlement in settlements:
                    if settlement._settlement_needs_reading():
                        self._import_transactions(settlement, log, stats, run=run)
                        run.commit()
                self._read_payouts(account, settlements, log, stats, run=run)
                self._advance_cursor(account)
            except AmazonError as exc:
                run.stop(exc)
            run.finish(cursor_after=account.settlement_import_from)
        return run.log

    @api.model
    def _run_groups(self, settlements):
        """Read these settlements' transactions again (a manager's button)."""
        for account in settlements.account_id:
            mine = settlements.filtered(lambda s, a=account: s.account_id == a)
            with account._sync_run(SYNC_KIND_SETTLEMENTS) as run:
                for settlement in mine:
                    self._import_transactions(settlement.sudo(), run.log, run.stats)

    @api.model
    def _get_window_start(self, account):
        if account.settlement_import_from:
            return account.settlement_import_from - OVERLAP
        start = getattr(account, "order_import_from_date", False)
        return (start or self._now() - DEFAULT_HISTORY) - GROUP_SPAN

    @api.model
    def _advance_cursor(self, account):
        """The cursor is the start of the oldest group still open (Amazon adds to
        it), else of the newest group: the next run lists from there."""
        Settlement = self.env["amazon.settlement"].sudo()
        domain = [("account_id", "=", account.id), ("start_date", "!=", False)]
        oldest_open = Settlement.search(
            [*domain, ("processing_status", "=", "open")], order="start_date", limit=1
        )
        newest = Settlement.search(domain, order="start_date desc", limit=1)
        cursor = (oldest_open or newest).start_date
        if cursor:
            account.sudo().settlement_import_from = cursor

    @api.model
    def _iso(self, moment):
        return self.env["amazon.finance.importer"]._iso(moment)

    # --- groups --------------------------------------------------------------------
    @api.model
    def _fetch_groups(self, account, start, end, run=None):
        """Yield every financial event group started in [start, end)."""
        token = None
        while True:
            # Amazon: the next page takes the same arguments and the token
            params = {
                "MaxResultsPerPage": GROUPS_PAGE_SIZE,
                "FinancialEventGroupStartedAfter": self._iso(start),
                "FinancialEventGroupStartedBefore": self._iso(end),
            }
            if token:
                params["NextToken"] = token
            data = _call(run, account._spapi_call, OP_LIST_GROUPS, **params)
            payload = data.get("payload", data) if isinstance(data, dict) else {}
            for group in (payload or {}).get("FinancialEventGroupList") or []:
                if isinstance(group, dict):
                    yield group
            token = (payload or {}).get("NextToken")
            if not token:
                return

    @api.model
    def _group_money(self, value):
        """(amount, code) of a v0 ``Currency`` ({CurrencyCode, CurrencyAmount})."""
        if not isinstance(value, dict):
            return None, None
        return self.env["amazon.finance.importer"]._money(
            {
                "currencyAmount": value.get("CurrencyAmount"),
                "currencyCode": value.get("CurrencyCode"),
            },
            self.env._("The group's total"),
        )

    @api.model
    def _prepare_group(self, account, group):
        """Values of an ``amazon.settlement`` from a FinancialEventGroup.

        :raise AmazonFinanceDataError: the group cannot be read
        """
        parse = parse_datetime
        original, code = self._group_money(group.get("OriginalTotal"))
        if code is None:
            raise AmazonFinanceDataError(self.env._("The group has no total."))
        try:
            currency = account._order_currency(code)
        except AmazonOrderDataError as exc:
            raise AmazonFinanceDataError(str(exc)) from None
        converted, converted_code = self._group_money(group.get("ConvertedTotal"))
        converted_currency = self.env["res.currency"]
        if converted_code:
            try:
                converted_currency = account._order_currency(converted_code)
            except AmazonOrderDataError as exc:
                raise AmazonFinanceDataError(str(exc)) from None
        beginning, beginning_code = self._group_money(group.get("BeginningBalance"))
        status = group.get("ProcessingStatus")
        transfer_date = parse(group.get("FundTransferDate"))
        if status == GROUP_STATUS_OPEN:
            processing = "open"
        elif status == GROUP_STATUS_CLOSED or transfer_date:
            processing = "closed"
        else:
            processing = "open"
        vals = {
            "processing_status": processing,
            "start_date": parse(group.get("FinancialEventGroupStart")),
            "end_date": parse(group.get("FinancialEventGroupEnd")),
            "fund_transfer_date": transfer_date,
            "fund_transfer_status": _text(group.get("FundTransferStatus"), 64),
            "trace_reference": _text(group.get("TraceId"), 128),
            "account_tail": _text(group.get("AccountTail"), 16),
            "currency_id": currency.id,
            "original_total": float(original),
            "converted_total": float(converted) if converted is not None else 0.0,
            "converted_currency_id": converted_currency.id,
            "beginning_balance": float(beginning)
            if beginning is not None and beginning_code == code
            else 0.0,
            "import_message": False,
        }
        return vals

    @api.model
    def _store_group(self, account, group, log, stats):
        """Create or update the settlement of a group; a group that cannot be
        read is kept with its error (its transactions are not read)."""
        Settlement = self.env["amazon.settlement"].sudo()
        ref = _text(group.get("FinancialEventGroupId"), 128)
        stats["fetched"] += 1
        if not ref:
            stats["failed"] += 1
            log._add_line("?", self.env._("A financial event group has no id."))
            return Settlement
        settlement = Settlement.search(
            [("account_id", "=", account.id), ("name", "=", ref)], limit=1
        )
        try:
            vals = self._prepare_group(account, group)
        except AmazonFinanceDataError as exc:
            stats["failed"] += 1
            reason = self.env._("Settlement %(ref)s: %(error)s", ref=ref, error=exc)
            log._add_line(ref, reason)
            error = {"import_message": reason, "last_import_date": self._now()}
            if settlement:
                settlement.write(error)
            else:
                Settlement.create(
                    {"account_id": account.id, "name": ref, "state": "open", **error}
                )
            return Settlement
        if settlement:
            if (
                settlement.processing_status == "closed"
                and settlement.transactions_read
            ):
                # closed and read: only what Amazon may still change
                vals = {
                    k: v
                    for k, v in vals.items()
                    if k in ("fund_transfer_status", "fund_transfer_date")
                }
            elif vals["processing_status"] != settlement.processing_status:
                vals["transactions_read"] = False
            if vals.get("processing_status") == "closed" and settlement.state == "open":
                vals["state"] = "closed"
            changed = {k: v for k, v in vals.items() if _differs(settlement[k], v)}
            if changed:
                settlement.write(changed)
                stats["updated"] += 1
            else:
                stats["skipped"] += 1
        else:
            vals.update(
                account_id=account.id,
                name=ref,
                state="closed" if vals["processing_status"] == "closed" else "open",
            )
            settlement = Settlement.create(vals)
            stats["created"] += 1
        return settlement

    # --- transactions --------------------------------------------------------------
    @api.model
    def _fetch_transactions(self, account, group_ref, token=None, run=None):
        """Yield (transactions, token of the next page or None) of a group's
        pages, from ``token`` on."""
        while True:
            params = {
                "relatedIdentifierName": RELATED_GROUP_ID,
                "relatedIdentifierValue": group_ref,
            }
            if token:
                params["nextToken"] = token
            data = _call(run, account._spapi_call, OP_LIST_TRANSACTIONS, **params)
            payload = data.get("payload", data) if isinstance(data, dict) else {}
            transactions = payload.get("transactions") if payload else None
            token = (payload.get("nextToken") if payload else None) or None
            yield [t for t in transactions or [] if isinstance(t, dict)], token
            if not token:
                return

    @api.model
    def _import_transactions(self, settlement, log, stats, run=None):
        """Read the group's transactions; lines by transaction id, once.

        With ``run``, the token of the group's next page is kept on the schedule
        with each page: a stopped run goes on there.
        """
        errors = []
        # currencies and marketplaces by Amazon code, for the whole group
        importer = self.with_context(amazon_settlement_cache={})
        position = run.schedule._resume_position(GROUP_POSITION) if run else None
        token = None
        if position and position.get("group") == settlement.name:
            token = position.get("token")
        try:
            pages = list(
                self._import_pages(importer, settlement, token, log, stats, run)
            )
        except AmazonInvalidRequest:
            if not token:
                raise
            _logger.info("listTransactions refused the group's token: restarting")
            pages = list(
                self._import_pages(importer, settlement, None, log, stats, run)
            )
        for page_errors in pages:
            errors += page_errors
        settlement.write(
            {
                "import_message": "\n".join(errors) or False,
                "last_import_date": self._now(),
                "transactions_read": settlement.processing_status == "closed",
            }
        )
        if run:
            run.schedule._keep_position(GROUP_POSITION, None)

    @api.model
    def _import_pages(self, importer, settlement, token, log, stats, run):
        """Yield the errors of each page of a group, keeping its position."""
        account = settlement.account_id
        for transactions, next_token in self._fetch_transactions(
            account, settlement.name, token=token, run=run
        ):
            stats["fetched"] += len(transactions)
            errors = importer._store_transactions(settlement, transactions, log, stats)
            if run and next_token:
                run.schedule._keep_position(
                    GROUP_POSITION,
                    {"group": settlement.name, "token": next_token},
                    stats,
                )
                run.commit()
            yield errors

    @api.model
    def _store_transactions(self, settlement, transactions, log, stats):
        """Lines of the new transactions, status of the known ones; a bad
        transaction is an error of the settlement and a line of the log.

        :return: list of error texts
        """
        account = settlement.account_id
        Line = self.env["amazon.settlement.line"].sudo()
        Transaction = self.env["amazon.finance.transaction"].sudo()
        refs, errors, seen = [], [], set()
        rows = []
        for transaction in transactions:
            ref = transaction.get("transactionId")
            if not isinstance(ref, str) or not ref.strip():
                reason = self.env._("A transaction has no transaction id.")
                stats["failed"] += 1
                log._add_line(settlement.name, reason)
                errors.append(reason)
                continue
            ref = ref.strip()[:128]
            if ref in seen:
                continue
            seen.add(ref)
            refs.append(ref)
            rows.append((ref, transaction))
        existing_lines = defaultdict(lambda: Line)
        for line in Line.search(
            [
                ("settlement_id.account_id", "=", account.id),
                ("transaction_reference", "in", refs),
            ]
        ):
            existing_lines[line.transaction_reference] |= line
        known = {
            rec.transaction_id: rec
            for rec in Transaction.search(
                [("account_id", "=", account.id), ("transaction_id", "in", refs)]
            )
        }
        to_create_tx, new_lines = [], []
        for ref, transaction in rows:
            status = LINE_STATUSES.get(transaction.get("transactionStatus"), "released")
            lines = existing_lines.get(ref)
            if lines:
                if self._follow_transaction(
                    settlement, lines, known.get(ref), transaction
                ):
                    stats["updated"] += 1
                else:
                    stats["skipped"] += 1
                continue
            try:
                line_vals = self._prepare_lines(settlement, ref, transaction, status)
                if ref not in known:
                    to_create_tx.append(
                        self._prepare_finance_transaction(
                            account, ref, transaction, line_vals
                        )
                    )
            except (AmazonFinanceDataError, AmazonOrderDataError) as exc:
                if to_create_tx and to_create_tx[-1].get("transaction_id") == ref:
                    to_create_tx.pop()
                reason = self.env._(
                    "Transaction %(ref)s: %(error)s", ref=ref, error=exc
                )
                stats["failed"] += 1
                log._add_line(ref, reason)
                errors.append(reason)
                continue
            new_lines += line_vals
            stats["created"] += 1
        # the orders of the page's new transactions and lines, found once and
        # set at their creation
        self._resolve_orders(account, to_create_tx + new_lines)
        if to_create_tx:
            created = Transaction.create(to_create_tx)
            known.update({rec.transaction_id: rec for rec in created})
        if new_lines:
            for vals in new_lines:
                vals["finance_transaction_id"] = known[vals["transaction_reference"]].id
            Line.create(new_lines)
        return errors

    @api.model
    def _currency(self, account, code):
        cache = self.env.context.get("amazon_settlement_cache")
        if cache is None:
            return account._order_currency(code)
        key = ("currency", code)
        if key not in cache:
            cache[key] = account._order_currency(code)
        return cache[key]

    @api.model
    def _prepare_finance_transaction(self, account, ref, transaction, lines):
        """Values of the ``amazon.finance.transaction`` of a transaction first
        seen in a settlement: the refund import's own for a refund (its credit
        note needs the breakdowns); otherwise without breakdown lines (the
        settlement lines hold them)."""
        finance = self.env["amazon.finance.importer"]
        kind = lines[0]["transaction_type"] if lines else False
        if kind == TRANSACTION_TYPE_REFUND:
            return finance._prepare_transaction(account, transaction)
        related = finance._related(transaction)
        raw_status = transaction.get("transactionStatus")
        first = lines[0] if lines else {}
        return {
            "account_id": account.id,
            "transaction_id": ref,
            "transaction_type": kind,
            "transaction_status": raw_status if raw_status in LINE_STATUSES else False,
            "description": first.get("description", False),
            "posted_date": first.get("posted_date", False),
            "marketplace_id": first.get("marketplace_id", False),
            "amazon_order_id": related.get(RELATED_ORDER_ID, False),
            "refund_reference": related.get(RELATED_REFUND_ID, False),
            "group_reference": related.get(RELATED_GROUP_ID, False),
            "total_amount": round(sum(line["amount"] for line in lines), 6),
            "currency_id": first.get("currency_id", False),
            "refund_state": "none",
        }

    @api.model
    def _follow_transaction(self, settlement, lines, record, transaction):
        """A known transaction: its status may change (a deferred one released,
        then in the group Amazon pays it with) and nothing else."""
        status = LINE_STATUSES.get(transaction.get("transactionStatus"))
        vals = {}
        if status and any(line.transaction_status != status for line in lines):
            vals["transaction_status"] = status
        if any(line.settlement_id != settlement for line in lines):
            vals["settlement_id"] = settlement.id
        if vals:
            lines.write(vals)
        raw = transaction.get("transactionStatus")
        if record and raw in LINE_STATUSES and record.transaction_status != raw:
            record.transaction_status = raw
        return bool(vals)

    @api.model
    def _prepare_lines(self, settlement, ref, transaction, status):
        """One line per leaf breakdown (of each item when Amazon itemizes), and
        an "Unitemized" line for what the breakdowns do not explain.

        :raise AmazonFinanceDataError: the transaction cannot be read
        """
        finance = self.env["amazon.finance.importer"]
        account = settlement.account_id
        total, code = finance._money(
            transaction.get("totalAmount"), self.env._("The total amount")
        )
        currency = self._currency(account, code)
        if settlement.currency_id and currency != settlement.currency_id:
            raise AmazonFinanceDataError(
                self.env._(
                    "It is in %(code)s, the settlement in %(currency)s.",
                    code=code,
                    currency=settlement.currency_id.name,
                )
            )
        related = finance._related(transaction)
        kind = transaction.get("transactionType")
        kind = kind.strip()[:64] if isinstance(kind, str) else False
        posted = parse_datetime(transaction.get("postedDate"))
        marketplace = self._marketplace(transaction)
        common = {
            "settlement_id": settlement.id,
            "transaction_reference": ref,
            "transaction_type": kind,
            "transaction_status": status,
            "amazon_order_id": related.get(RELATED_ORDER_ID, False),
            "description": _text(transaction.get("description"), 256),
            "currency_id": currency.id,
            "posted_date": posted,
            "marketplace_id": marketplace.id,
        }
        leaves = []
        items = transaction.get("items") or []
        if not isinstance(items, list):
            raise AmazonFinanceDataError(self.env._("The items are not a list."))
        itemized = False
        for item in items:
            if not isinstance(item, dict):
                raise AmazonFinanceDataError(self.env._("An item is not an object."))
            rows = finance._flatten(item.get("breakdowns"), code)
            if not rows:
                continue
            itemized = True
            sku, quantity = self._item_product(item)
            item_ref = False
            for ident in item.get("relatedIdentifiers") or []:
                if isinstance(ident, dict) and ident.get("itemRelatedIdentifierValue"):
                    item_ref = str(ident["itemRelatedIdentifierValue"])[:64]
                    break
            for row in rows:
                if row["is_leaf"]:
                    leaves.append(
                        {
                            "breakdown_type": row["breakdown_type"],
                            "breakdown_path": row["path"].replace(" / ", "/") or False,
                            "amount": Decimal(str(row["amount"])),
                            "sku": sku,
                            "quantity": quantity,
                            "item_reference": item_ref,
                        }
                    )
        if not itemized:
            breakdowns = transaction.get("breakdowns")
            if breakdowns is not None and not isinstance(breakdowns, list):
                raise AmazonFinanceDataError(
                    self.env._("The breakdowns are not a list.")
                )
            for row in finance._flatten(breakdowns, code):
                if row["is_leaf"]:
                    leaves.append(
                        {
                            "breakdown_type": row["breakdown_type"],
                            "breakdown_path": row["path"].replace(" / ", "/") or False,
                            "amount": Decimal(str(row["amount"])),
                        }
                    )
        explained = sum((leaf["amount"] for leaf in leaves), Decimal(0))
        remainder = total - explained
        if remainder:
            leaves.append({"breakdown_type": UNITEMIZED, "amount": remainder})
        lines = []
        blank = {
            "sku": False,
            "quantity": 0.0,
            "item_reference": False,
            "breakdown_path": False,
            "sale_order_id": False,
        }
        for sequence, leaf in enumerate(leaves, start=1):
            # the same keys for every line: one default lookup for the batch
            vals = {**common, **blank, **leaf, "sequence": sequence}
            vals["amount"] = float(leaf["amount"])
            vals["amount_kind"] = _amount_kind(kind, vals)
            lines.append(vals)
        return lines

    @api.model
    def _item_product(self, item):
        sku, quantity = False, 0.0
        for context in item.get("contexts") or []:
            if isinstance(context, dict) and (
                context.get("contextType") == CONTEXT_PRODUCT or "sku" in context
            ):
                if isinstance(context.get("sku"), str):
                    sku = context["sku"][:128]
                qty = context.get("quantityShipped")
                if isinstance(qty, int) and not isinstance(qty, bool):
                    quantity = float(qty)
        return sku, quantity

    @api.model
    def _marketplace(self, transaction):
        code = (transaction.get("sellingPartnerMetadata") or {}).get(
            "marketplaceId"
        ) or (transaction.get("marketplaceDetails") or {}).get("marketplaceId")
        cache = self.env.context.get("amazon_settlement_cache")
        Marketplace = self.env["amazon.marketplace"].sudo()
        if not isinstance(code, str) or not code:
            return Marketplace
        if cache is not None and ("marketplace", code) in cache:
            return Marketplace.browse(cache[("marketplace", code)])
        found = Marketplace.search([("marketplace_id", "=", code)], limit=1)
        if cache is not None:
            cache[("marketplace", code)] = found.id
        return found

    @api.model
    def _resolve_orders(self, account, vals_list):
        """Set ``sale_order_id`` in values that carry an ``amazon_order_id`` (the
        account's seller order, if Odoo has it)."""
        order_ids = {
            v["amazon_order_id"] for v in vals_list if v.get("amazon_order_id")
        }
        if not order_ids:
            return
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("amazon_account_id", "=", account.id),
                    ("amazon_order_kind", "=", "seller"),
                    ("amazon_order_id", "in", list(order_ids)),
                ]
            )
        )
        by_id = {order.amazon_order_id: order.id for order in orders}
        for vals in vals_list:
            if vals.get("amazon_order_id"):
                vals["sale_order_id"] = by_id.get(vals["amazon_order_id"], False)

    # --- payouts (EU) ----------------------------------------------------------------
    @api.model
    def _read_payouts(self, account, settlements, log, stats, run=None):
        """Payout reference and status of the closed settlements (Transfers API,
        EU marketplaces only); one paged call for all of them."""
        if not account._settlement_reads_payouts():
            return
        todo = settlements.filtered(
            lambda s: (
                s.processing_status == "closed"
                and s.fund_transfer_date
                and s.payout_state not in ("PAID", "NO_PAYOUT")
            )
        )
        if not todo:
            return
        since = min(todo.mapped("fund_transfer_date")) - OVERLAP
        by_group = {s.name: s for s in todo}
        token = None
        while True:
            params = {"createdAfter": self._iso(since)}
            if token:
                params["nextToken"] = token
            data = _call(run, account._spapi_call, OP_LIST_PAYOUTS, **params)
            body = data if isinstance(data, dict) else {}
            for payout in body.get("payouts") or []:
                if not isinstance(payout, dict):
                    continue
                for ident in payout.get("relatedIdentifiers") or []:
                    if not isinstance(ident, dict):
                        continue
                    settlement = by_group.get(ident.get("relatedIdentifierValue"))
                    if settlement:
                        settlement.write(
                            {
                                "payout_reference": _text(payout.get("id"), 128),
                                "payout_state": _text(payout.get("currentStatus"), 32),
                            }
                        )
                        stats["updated"] += 1
            token = body.get("nextToken")
            if not token:
                return


def _text(value, size):
    if not isinstance(value, str) or not value.strip():
        return False
    return value.strip()[:size]


def _differs(current, value):
    if isinstance(current, models.BaseModel):
        return current.id != (value or False)
    if isinstance(current, float) or isinstance(value, float):
        return round(float(current or 0.0) - float(value or 0.0), 6) != 0
    return (current or False) != (value or False)


def _amount_kind(transaction_type, vals):
    """Which total of the settlement a line counts in (sales, refunds, fees)."""
    names = {vals.get("breakdown_type") or ""}
    names.update((vals.get("breakdown_path") or "").split("/"))
    is_fee = transaction_type in FEE_TRANSACTION_TYPES or bool(names & FEE_PARENTS)
    if not is_fee:
        leaf = vals.get("breakdown_type") or ""
        is_fee = leaf.endswith(("Fee", "Fees", "Commission")) or "Chargeback" in leaf
    if is_fee:
        return "fee"
    if transaction_type == TRANSACTION_TYPE_SHIPMENT:
        return "sale"
    if transaction_type == TRANSACTION_TYPE_REFUND:
        return "refund"
    return "other"
