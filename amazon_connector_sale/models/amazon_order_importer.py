# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One Amazon order (Orders API 2026-01-01 ``Order``) becomes one sale order.

The fetch loop is in ``amazon_order_importer_fetch.py``, customers and addresses in
``amazon_order_importer_partner.py``, the order lines in
``amazon_order_importer_lines.py``, a page's batch in
``amazon_order_importer_page.py``, the e-mail in ``amazon_order_importer_report.py``:
each is an abstract part model, and this service is composed of them.
"""

from datetime import datetime, timezone

import pytz

from odoo import api, models

from ..buyer_text import text_to_html
from ..const import (
    CLOSED_STATUSES,
    FULFILLED_BY_AMAZON,
    SERVICE_LEVELS,
    STATUS_CANCELLED,
    STATUS_PENDING,
    STATUS_PENDING_AVAILABILITY,
    STATUS_SELECTION,
)

# The part models must be defined before the service that inherits them, even when
# another module imports this one first (for AmazonOrderDataError).
from . import (  # noqa: F401
    amazon_order_importer_fetch,
    amazon_order_importer_lines,
    amazon_order_importer_once,
    amazon_order_importer_page,
    amazon_order_importer_partner,
    amazon_order_importer_report,
)
from .amazon_order_importer_error import AmazonOrderDataError
from .amazon_payload import usable_reference

KNOWN_STATUSES = {status for status, _label in STATUS_SELECTION}


class AmazonOrderImporter(models.AbstractModel):
    _name = "amazon.order.importer"
    _inherit = (
        # first: it wraps the run's bookkeeping of the others (see the module)
        "amazon.order.importer.once",
        "amazon.order.importer.partner",
        "amazon.order.importer.lines",
        "amazon.order.importer.fetch",
        "amazon.order.importer.page",
        "amazon.order.importer.report",
    )
    _description = "Amazon Order Importer"

    # --- the template method --------------------------------------------------
    @api.model
    def _import_order(self, account, order, log=None, force=False):
        """Create or update the sale order of one Amazon order.

        :param account: amazon.account
        :param order: dict shaped as the 2026 ``Order`` definition
        :param log: amazon.sync.log of the run (or None)
        :param force: import even if the account's filters would skip it (recovery)
        :return: tuple (result, sale.order) with result in created/updated/skipped
        :raise AmazonOrderDataError: when the data cannot make a correct order
        """
        return self._import_orders(account, [order], log=log, force=force)[0]

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
        entries = []
        for order in orders:
            marketplace = self._find_marketplace(order)
            currency = self._find_currency(account, order, marketplace)
            entries.append((order, marketplace, currency, []))
        partners = self._find_or_create_partners_batch(
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
            commands, totals = self._prepare_order_lines(
                SaleOrder.new(vals), account, order, notes
            )
            vals["order_line"] = commands
            if notes:
                vals["amazon_import_notes"] = "\n".join(notes)
            vals_list.append(vals)
            totals_list.append(totals)
        sale_orders = SaleOrder.create(vals_list)
        notes_list = [notes for _order, _market, _currency, notes in entries]
        self._balance_totals(sale_orders, account, orders, totals_list, notes_list)
        for sale_order, notes in zip(sale_orders, notes_list, strict=True):
            if notes and sale_order.amazon_import_notes != "\n".join(notes):
                sale_order.amazon_import_notes = "\n".join(notes)
        created = list(zip(sale_orders, orders, strict=True))
        page = self._page_cache()
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
        fulfillment = self._dict(order.get("fulfillment"))
        status = fulfillment.get("fulfillmentStatus")
        return status if isinstance(status, str) else ""

    @api.model
    def _get_channel(self, order):
        fulfillment = self._dict(order.get("fulfillment"))
        return "fba" if fulfillment.get("fulfilledBy") == FULFILLED_BY_AMAZON else "fbm"

    @api.model
    def _dict(self, value):
        return value if isinstance(value, dict) else {}

    @api.model
    def _list(self, value):
        return (
            [item for item in value if isinstance(item, dict)]
            if isinstance(value, list)
            else []
        )

    @api.model
    def _parse_datetime(self, value):
        """Amazon's ISO 8601 time as a naive UTC datetime (Odoo's storage), or None."""
        if not isinstance(value, str) or not value.strip():
            return None
        text = value.strip()
        if text[-1:] in "Zz":
            text = text[:-1] + "+00:00"
        try:
            parsed = datetime.fromisoformat(text)
            if parsed.tzinfo:
                parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError):
            return None
        return parsed

    @api.model
    def _find_marketplace(self, order):
        channel = self._dict(order.get("salesChannel"))
        marketplace_id = channel.get("marketplaceId")
        marketplace = self.env["amazon.marketplace"]
        page = self._page_cache()
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
        channel = self._dict(order.get("salesChannel")).get("channelName")
        if channel and channel != "AMAZON":
            return self.env._("sold on another sales channel (%s)", str(channel)[:40])
        status = self._get_status(order)
        if status not in KNOWN_STATUSES:
            # Not an order the account does not want: data we cannot read. Skipping
            # it would lose it silently; a failure keeps it for a person to see.
            raw = self._dict(order.get("fulfillment")).get("fulfillmentStatus")
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
        purchase_date = self._parse_datetime(order.get("createdTime"))
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
            "amazon_last_update": self._parse_datetime(order.get("lastUpdatedTime")),
            "amazon_order_kind": "seller",
        }
        if status in CLOSED_STATUSES:
            vals["amazon_closed_date"] = vals["amazon_last_update"] or purchase_date
        vals.update(self._prepare_promise(order))
        return vals

    @api.model
    def _prepare_promise(self, order):
        """What Amazon promised the buyer: ship by, deliver by, service level."""
        fulfillment = self._dict(order.get("fulfillment"))
        level = fulfillment.get("fulfillmentServiceLevel")
        return {
            "amazon_ship_by": self._parse_datetime(
                self._dict(fulfillment.get("shipByWindow")).get("latestDateTime")
            ),
            "amazon_deliver_by": self._parse_datetime(
                self._dict(fulfillment.get("deliverByWindow")).get("latestDateTime")
            ),
            "amazon_service_level": level if level in dict(SERVICE_LEVELS) else False,
        }

    @api.model
    def _find_currency(self, account, order, marketplace):
        grand_total = self._dict(self._dict(order.get("proceeds")).get("grandTotal"))
        code = grand_total.get("currencyCode")
        if not code:
            for item in self._list(order.get("orderItems")):
                price = self._dict(self._dict(item.get("product")).get("price"))
                code = self._dict(price.get("unitPrice")).get("currencyCode")
                if code:
                    break
        if not code:
            return marketplace.currency_id or account.company_id.currency_id
        return self._page_memo(
            "currency",
            str(code).upper()[:3],
            lambda: account._order_currency(code),
        )

    @api.model
    def _find_pricelist(self, account, currency):
        """The pricelist of the order's currency (created when there is none)."""
        Pricelist = self.env["product.pricelist"]
        domain = [
            ("currency_id", "=", currency.id),
            ("company_id", "in", [account.company_id.id, False]),
        ]
        pricelist = Pricelist.search(domain, limit=1)
        if not pricelist:
            pricelist = Pricelist.sudo().create(
                {
                    "name": self.env._("Amazon %s", currency.name),
                    "currency_id": currency.id,
                    "company_id": account.company_id.id,
                }
            )
        return pricelist

    @api.model
    def _local_date(self, sale_order):
        """The purchase date as the buyer saw it: in the marketplace's time zone."""
        tz_name = sale_order.amazon_marketplace_id.tz or "UTC"
        try:
            tz = pytz.timezone(tz_name)
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        moment = sale_order.amazon_purchase_date or sale_order.date_order
        return pytz.utc.localize(moment).astimezone(tz).date()

    # --- changes after import -------------------------------------------------
    @api.model
    def _update_sale_order(self, sale_order, order):
        """Follow Amazon's status on an order already in Odoo."""
        last_update = self._parse_datetime(order.get("lastUpdatedTime"))
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
