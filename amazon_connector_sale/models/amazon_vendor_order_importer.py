# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One Amazon Retail purchase order (Vendor Orders v1 ``Order``) becomes one sale order.

The Direct Fulfillment import (``amazon_vendor_df_order_importer.py``) reuses this
template and overrides its hooks.
"""

import json
import logging
from collections import Counter

from odoo import Command, api, fields, models

from odoo.addons.amazon_connector.exceptions import (
    AmazonInvalidRequest,
    AmazonThrottled,
)
from odoo.addons.amazon_connector.utils import parse_datetime

from .. import const
from ..exceptions import AmazonOrderDataError
from ..utils import (
    clean_payload,
    failure_reason,
    failure_reference,
    to_iso,
    usable_reference,
)

_logger = logging.getLogger(__name__)

MAX_REASON = 500


class AmazonVendorOrderImporter(models.AbstractModel):
    _name = "amazon.vendor.order.importer"
    _description = "Amazon Vendor Retail Order Importer"

    # --- what this importer is ------------------------------------------------
    @api.model
    def _vendor_kind(self):
        return "retail"

    @api.model
    def _sale_order_kind(self):
        return "vendor_retail"

    @api.model
    def _is_enabled(self, account):
        return account.vendor_retail_import

    @api.model
    def _get_time_range(self, account):
        return account.vendor_retail_time_range_id

    @api.model
    def _get_cursor(self, account):
        return account.vendor_retail_cursor

    @api.model
    def _set_cursor(self, account, moment):
        account.vendor_retail_cursor = moment

    # --- the run ----------------------------------------------------------------
    @api.model
    def _run_import(self, account, log, counts=None, now=None):
        """Import the orders of the account's window, page after page.

        :param account: amazon.account (vendor)
        :param log: amazon.sync.log of the run
        :param counts: Counter to add fetched/created/updated/skipped/failed to
            (kept up to date even when a page fails)
        :param now: reference time of the window (tests); defaults to now
        :return: the counts
        :raise AmazonError: Amazon refused a page (the orders before it stay)
        """
        counts = Counter() if counts is None else counts
        time_range = self._get_time_range(account)
        if not time_range:
            raise AmazonOrderDataError(
                self.env._(
                    "Choose the time range of the %s import.", self._vendor_kind()
                )
            )
        schedule = account._sync_schedule(const.SYNC_KIND)
        key = self._vendor_kind()
        position = schedule._resume_position(key)
        if position:
            # A run stopped inside this window: go on with its next page.
            after = fields.Datetime.to_datetime(position["after"])
            before = fields.Datetime.to_datetime(position["before"])
        else:
            after, before = time_range._get_window(
                now, cursor=self._get_cursor(account)
            )
            position = {
                "after": fields.Datetime.to_string(after),
                "before": fields.Datetime.to_string(before),
                "query": 0,
                "token": None,
            }
        try:
            seen = self._read_window(account, log, counts, time_range, position)
        except AmazonInvalidRequest:
            if not position["token"]:
                raise
            # Amazon refused the token (expired): the window again.
            schedule._keep_position(key, None)
            return self._run_import(account, log, counts=counts, now=now)
        schedule._keep_position(key, None)
        self._retry_open_failures(account, log, counts, seen)
        self._after_run(account, after, before)
        if time_range.mode != "fixed":
            # A fixed range is a one-off look at the past: "since the last
            # import" keeps counting from the last regular run.
            self._set_cursor(account, before)
        return counts

    @api.model
    def _read_window(self, account, log, counts, time_range, position):
        """Import every page of the window, from ``position`` on.

        After each page the position of the next one (the query, per vendor
        code, and its token) is kept on the account's schedule and committed
        with the page's orders: a run stopped by a throttle, a crash or a kill
        goes on with the next page, and reads no page twice.

        :return: the references of the orders read
        """
        schedule = account._sync_schedule(const.SYNC_KIND)
        key = self._vendor_kind()
        after = fields.Datetime.to_datetime(position["after"])
        before = fields.Datetime.to_datetime(position["before"])
        queries = self._prepare_queries(account, time_range, after, before)
        seen = set()

        def page_done(query, token):
            schedule._keep_position(
                key, dict(position, query=query, token=token), counts
            )
            self.env["amazon.account"]._amazon_commit()

        for index, params in enumerate(queries):
            if index < position["query"]:
                continue
            token = position["token"] if index == position["query"] else None
            for document in self._fetch(
                account,
                params,
                token=token,
                on_page=lambda next_token, i=index: page_done(i, next_token),
            ):
                counts["fetched"] += 1
                seen.add(self._get_reference(self._clean_document(document)))
                counts[self._import_safely(account, document, log)] += 1
            if index + 1 < len(queries):
                page_done(index + 1, None)
        return seen

    @api.model
    def _prepare_queries(self, account, time_range, after, before):
        """One query per active Retail vendor code (one for all when none is set)."""
        field = "created" if time_range.date_field == "created" else "changed"
        base = {
            f"{field}After": to_iso(after),
            f"{field}Before": to_iso(before),
            "limit": const.PAGE_LIMIT,
            "sortOrder": "ASC",
            "includeDetails": "true",
        }
        if account.vendor_retail_state_filter:
            base["purchaseOrderState"] = account.vendor_retail_state_filter
        codes = account.vendor_code_ids.filtered("use_retail").mapped("name")
        return [dict(base, orderingVendorCode=code) for code in codes] or [base]

    @api.model
    def _list_operation(self):
        return const.OP_GET_PURCHASE_ORDERS

    @api.model
    def _fetch(self, account, params, token=None, on_page=None):
        """Yield the orders of every page (``pagination.nextToken``).

        A page of another shape than the model's yields what it can: its
        ``orders`` when they are a list, and no next page without a text token.

        :param token: the token of the first page to read (resuming)
        :param on_page: called with the token of the next page once the orders
            of a page were all taken (before that next page is read)
        """
        while True:
            query = dict(params, nextToken=token) if token else dict(params)
            try:
                payload = account._spapi_call(self._list_operation(), **query)
            except AmazonThrottled as error:
                # Between pages (the last one's position is kept): a short
                # throttle is waited out in the worker, as in every flow.
                schedule = account._sync_schedule(const.SYNC_KIND)
                if schedule._wait_in_worker(error.retry_after):
                    continue
                raise
            payload = payload if isinstance(payload, dict) else {}
            orders = payload.get("orders")
            yield from orders if isinstance(orders, list) else []
            pagination = payload.get("pagination")
            token = (
                pagination.get("nextToken") if isinstance(pagination, dict) else None
            )
            if (
                not isinstance(token, str)
                or not token
                or token == query.get("nextToken")
            ):
                return
            if on_page:
                on_page(token)

    @api.model
    def _retry_open_failures(self, account, log, counts, seen):
        """Import again the stored orders of this import that failed before.

        The cursor moves past a failed order (it is recorded, with its payload):
        the failure is retried here on every run until it imports or a manager
        dismisses it, unless the run just fetched the order again.
        """
        failures = self.env["amazon.order.failure"].search(
            [
                ("account_id", "=", account.id),
                ("amazon_vendor_kind", "=", self._vendor_kind()),
                ("state", "=", "open"),
                ("amazon_order_id", "not in", list(seen)),
            ]
        )
        for failure in failures:
            payload = failure._get_payload()
            if payload is None:
                continue
            counts[self._import_safely(account, payload, log)] += 1

    @api.model
    def _after_run(self, account, after, before):
        """Retail: read back the statuses Amazon changed in the window."""
        self.env["amazon.vendor.order"]._refresh_statuses(account, after, before)

    # --- one order, never crashing the run ---------------------------------------
    @api.model
    def _import_safely(self, account, document, log=None):
        """Import one order; bad data becomes a failure record and a log line.

        :return: created/updated/skipped/failed
        """
        document = self._clean_document(document)
        reference = self._get_reference(document)
        try:
            with self.env.cr.savepoint():
                result, sale_order = self._import_order(account, document, log)
        except Exception as error:  # pylint: disable=broad-except
            # Any error of one order (data, constraint, missing configuration) must
            # leave the others alone: the savepoint undid this one only.
            self._record_failure_safely(account, reference, document, error, log)
            return "failed"
        self._close_failure(account, reference, sale_order)
        return result

    @api.model
    def _clean_document(self, document):
        """The order with its texts made storable (its number left as sent)."""
        return clean_payload(document, keep=("purchaseOrderNumber",))

    @api.model
    def _get_reference(self, document):
        """The purchase order number, or a digest when it cannot name a record."""
        number = (
            document.get("purchaseOrderNumber") if isinstance(document, dict) else None
        )
        return failure_reference(number, document)

    @api.model
    def _error_reason(self, error):
        """The failure's reason in words, storable whatever the payload held."""
        return failure_reason(self.env, error)

    @api.model
    def _record_failure_safely(self, account, reference, document, error, log):
        """Record the failure; the run goes on even if the record cannot be written."""
        try:
            with self.env.cr.savepoint():
                self._record_failure(account, reference, document, error, log)
        except Exception:  # pylint: disable=broad-except
            _logger.exception("Recording the failure of a vendor order failed")
            with self.env.cr.savepoint():
                self._record_failure(
                    account,
                    reference,
                    {"unreadable": json.dumps(document, default=repr)},
                    AmazonOrderDataError(
                        self.env._("The order's data could not be stored.")
                    ),
                    log,
                )

    @api.model
    def _record_failure(self, account, reference, document, error, log):
        message = self._error_reason(error) or error.__class__.__name__
        if log:
            log._add_line(reference, message)
        Failure = self.env["amazon.order.failure"]
        failure = Failure.search(
            [("account_id", "=", account.id), ("amazon_order_id", "=", reference)],
            limit=1,
        )
        vals = {
            "payload": self._failure_payload(document),
            "error": message,
            "amazon_vendor_kind": self._vendor_kind(),
        }
        if failure:
            if failure.state != "dismissed":
                if failure.payload_anonymized:
                    # Past retention: Amazon's new copy of the order is not kept.
                    vals.update(failure._prepare_anonymized_vals(document, message))
                failure.write(
                    dict(vals, retry_count=failure.retry_count + 1, state="open")
                )
        else:
            Failure.create(dict(vals, account_id=account.id, amazon_order_id=reference))

    @api.model
    def _failure_payload(self, document):
        return json.dumps(document, default=str)

    @api.model
    def _close_failure(self, account, reference, sale_order):
        failure = self.env["amazon.order.failure"].search(
            [
                ("account_id", "=", account.id),
                ("amazon_order_id", "=", reference),
                ("state", "=", "open"),
            ]
        )
        if failure:
            failure.write({"state": "done", "sale_order_id": sale_order.id or False})

    # --- the template method ----------------------------------------------------
    @api.model
    def _import_order(self, account, document, log=None):
        """Create or update the sale order of one purchase order.

        :return: (result, sale.order) with result in created/updated/skipped
        :raise AmazonOrderDataError: the data cannot make a correct order
        """
        number = self._get_po_number(document)
        binding = self._find_binding(account, number)
        if binding:
            return self._update_order(binding, document), binding.sale_order_id
        code = self._unconfigured_vendor_code(account, document)
        if code:
            # A failure, not a silent skip: visible in the log and the failed
            # orders, and retried once the code is set up (the cursor moves on).
            raise AmazonOrderDataError(
                self.env._(
                    "Vendor code %(code)s is not set up for %(kind)s orders on the "
                    "account's Vendor tab: add it, then retry the order.",
                    code=code,
                    kind=self._vendor_kind(),
                )
            )
        if self._must_skip(account, document):
            return "skipped", self.env["sale.order"]
        details = self._get_details(document)
        notes = []
        items = self._prepare_items(account, details, notes)
        vals = self._prepare_sale_order(account, document, details, notes)
        vals["order_line"] = [Command.create(item["sale_line"]) for item in items]
        if log:
            vals["amazon_sync_log_id"] = log.id
        if notes:
            vals["amazon_import_notes"] = "\n".join(notes)
        sale_order = self.env["sale.order"].create(vals)
        binding = self._create_binding(account, sale_order, document, details, items)
        self._after_create(account, sale_order, binding, document)
        return "created", sale_order

    @api.model
    def _get_po_number(self, document):
        number = (
            document.get("purchaseOrderNumber") if isinstance(document, dict) else None
        )
        if not isinstance(number, str) or not number.strip():
            raise AmazonOrderDataError(
                self.env._("The order has no purchase order number.")
            )
        usable = usable_reference(number)
        if not usable:
            raise AmazonOrderDataError(
                self.env._(
                    "The purchase order number is too long or holds control or "
                    "invisible characters: it cannot name an order."
                )
            )
        return usable

    @api.model
    def _get_details(self, document):
        details = document.get("orderDetails")
        if not isinstance(details, dict):
            raise AmazonOrderDataError(
                self.env._("Amazon sent the order without its details.")
            )
        items = details.get("items")
        if not isinstance(items, list) or not items:
            raise AmazonOrderDataError(self.env._("The order has no items."))
        return details

    @api.model
    def _find_binding(self, account, number):
        return self.env["amazon.vendor.order"].search(
            [
                ("account_id", "=", account.id),
                ("kind", "=", self._vendor_kind()),
                ("name", "=", number),
            ],
            limit=1,
        )

    @api.model
    def _must_skip(self, account, document):
        """Orders this import leaves alone (none for Retail)."""
        return False

    @api.model
    def _vendor_code_flag(self):
        """The field of ``amazon.vendor.code`` that enables this import."""
        return "use_retail"

    @api.model
    def _unconfigured_vendor_code(self, account, document):
        """The order's vendor code when the account lists codes but not this one."""
        codes = account.vendor_code_ids.filtered(self._vendor_code_flag())
        party = ((document.get("orderDetails") or {}).get("sellingParty") or {}).get(
            "partyId"
        )
        if codes and party not in codes.mapped("name"):
            return party or "?"
        return False

    @api.model
    def _find_vendor_code(self, account, selling_party, ship_from=None):
        codes = account.vendor_code_ids.filtered(lambda c: c.name == selling_party)
        if ship_from:
            codes = codes.filtered(
                lambda c: c.ship_from_party_id in (ship_from, False)
            ).sorted(lambda c: not c.ship_from_party_id)
        return codes[:1]

    @api.model
    def _find_partners(self, account, details):
        """(customer, invoice, delivery): the buying, bill-to and ship-to parties."""
        Party = self.env["amazon.vendor.party"]
        buyer = Party._get_partner(account, "buying", details.get("buyingParty"))
        ship_to = Party._get_partner(
            account, "ship_to", details.get("shipToParty"), parent=buyer
        )
        bill_to = buyer
        bill_to_id = (details.get("billToParty") or {}).get("partyId")
        if bill_to_id and bill_to_id != details["buyingParty"]["partyId"]:
            bill_to = Party._get_partner(
                account, "bill_to", details["billToParty"], parent=buyer
            )
        return buyer, bill_to, ship_to

    @api.model
    def _prepare_sale_order(self, account, document, details, notes):
        number = self._get_po_number(document)
        customer, invoice, delivery = self._find_partners(account, details)
        currency = self._find_currency(account, details)
        order_date = self._order_date(details)
        code = self._find_vendor_code(
            account,
            (details.get("sellingParty") or {}).get("partyId"),
            (details.get("shipFromParty") or {}).get("partyId"),
        )
        importer = self.env["amazon.order.importer"]
        vals = {
            **account._prepare_order_defaults(
                number, code.warehouse_id or account.fbm_warehouse_id
            ),
            "partner_id": customer.id,
            "partner_invoice_id": invoice.id,
            "partner_shipping_id": delivery.id,
            "origin": self.env._("Amazon Vendor %s", number),
            "date_order": order_date,
            "pricelist_id": importer._find_pricelist(account, currency).id,
            "amazon_marketplace_id": account.home_marketplace_id.id or False,
            "amazon_order_kind": self._sale_order_kind(),
            "amazon_status": self._get_status(document),
            "amazon_purchase_date": order_date,
            "amazon_last_update": self._last_update(document),
        }
        return vals

    @api.model
    def _order_date(self, details):
        order_date = parse_datetime(details.get("purchaseOrderDate"))
        if not order_date:
            raise AmazonOrderDataError(self.env._("The order has no purchase date."))
        return order_date

    @api.model
    def _last_update(self, document):
        details = document.get("orderDetails") or {}
        return parse_datetime(
            details.get("purchaseOrderChangedDate")
            or details.get("purchaseOrderStateChangedDate")
        )

    @api.model
    def _get_status(self, document):
        return document.get("purchaseOrderState") or False

    @api.model
    def _item_cost(self, item):
        return item.get("netCost")

    @api.model
    def _find_currency(self, account, details):
        code = next(
            (
                (self._item_cost(item) or {}).get("currencyCode")
                for item in details["items"]
                if isinstance(item, dict)
                and (self._item_cost(item) or {}).get("currencyCode")
            ),
            None,
        )
        if not code:
            return (
                account.home_marketplace_id.currency_id
                or account.company_id.currency_id
            )
        return account._order_currency(code)

    @api.model
    def _after_create(self, account, sale_order, binding, document):
        """Retail orders wait for the vendor's acknowledgement: nothing to do."""

    # --- changes after import ---------------------------------------------------
    @api.model
    def _update_order(self, binding, document):
        """Follow Amazon's state and changed quantities of an imported order.

        Quantities follow only while the order is unanswered and a quotation:
        after that, a change on Amazon's side is a note for the salesperson.
        """
        details = document.get("orderDetails") or {}
        state = document.get("purchaseOrderState")
        changed = parse_datetime(details.get("purchaseOrderChangedDate"))
        vals = {}
        if state and state != binding.po_state:
            vals["po_state"] = state
        if changed and changed != binding.po_changed_date:
            vals["po_changed_date"] = changed
        if not vals:
            return "skipped"
        binding.write(vals)
        binding.sale_order_id.write(
            {"amazon_status": binding.po_state, "amazon_last_update": changed}
        )
        if state == "Closed":
            self._close_unanswered(binding)
        if changed and details.get("items"):
            self._update_quantities(binding, details["items"])
        return "updated"

    @api.model
    def _close_unanswered(self, binding):
        """Amazon closed the order before any answer: the quotation is cancelled
        (nothing will ship) and the responsible user is told."""
        sale_order = binding.sale_order_id
        if binding.ack_state != "to_send" or sale_order.state not in ("draft", "sent"):
            return
        sale_order._action_cancel()
        account = binding.account_id
        binding.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Amazon closed %s before it was answered", binding.name),
            note=self.env._(
                "Amazon closed the purchase order before the acknowledgement: the "
                "quotation %s is cancelled.",
                sale_order.name,
            ),
            user_id=(account.user_id or account.create_uid or self.env.user).id,
        )

    @api.model
    def _update_quantities(self, binding, items):
        lines = {line.item_sequence_number: line for line in binding.line_ids}
        editable = binding.ack_state in ("to_send", "error") and binding.sale_state in (
            "draft",
            "sent",
        )
        changes = []
        for item in items:
            line = lines.get(str((item or {}).get("itemSequenceNumber")))
            amount = ((item or {}).get("orderedQuantity") or {}).get("amount")
            if not line or not isinstance(amount, int) or amount == line.ordered_qty:
                continue
            changes.append(
                f"{line.item_sequence_number}: {line.ordered_qty} -> {amount}"
            )
            line.write({"ordered_qty": amount, "ack_qty": min(line.ack_qty, amount)})
            if editable and line.sale_line_id:
                line.sale_line_id.write(
                    {
                        "product_uom_qty": line._units(amount),
                        "price_unit": line.sale_line_id.price_unit,
                    }
                )
        if changes:
            binding.message_post(
                body=self.env._(
                    "Amazon changed the ordered quantities: %s", ", ".join(changes)
                )
            )
