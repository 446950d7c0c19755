# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# ruff: noqa: E501 (the matrix is a table, one row per line)
"""Every action the addons expose, tried by every role: the ``access`` suite.

The table below is the contract: one row per public method (callable over RPC,
``call_kw``) of every model the three addons define or extend, one column per
role, and what must happen:

- ``ok``   the call goes through;
- ``user`` the rights are granted, then a business rule refuses (UserError);
- ``no``   refused with an AccessError;
- ``err``  fails otherwise (a method of a mixin that only works mixed in).

Whatever is not ``ok`` or ``user`` must not reach Amazon (the seam's request
log stays empty) and must not start a sync log. A row whose ``amazon`` column
says ``yes`` does reach Amazon when allowed: asserted for the manager of the
company, which proves that the probe sees requests at all.

The test discovers every public method over the registry (models and methods
defined in ``odoo.addons.amazon_connector*``, public as Odoo's RPC dispatch
sees them: no leading underscore, no ``@api.private``) and fails when one has
no row: a new action cannot ship without deciding who may call it.

Tagged ``amazon_access``: run as its own suite by ``./setup/test``.
"""

import base64
import inspect

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import get_public_method
from odoo.tests import tagged

from .common import AccessCase

ROLES = (
    "sysadmin",
    "manager_a",
    "manager_b",
    "amazon_user",
    "salesman",
    "stock_user",
    "portal",
)

# model                           method                             sysadmin manager_a manager_b amazon_user salesman stock_user portal amazon
MATRIX = """
amazon.account                    action_test_connection              ok   ok   no   no   no   no   no   yes
amazon.account                    action_sync_orders                  ok   ok   no   no   no   no   no   yes
amazon.account                    action_recover_order                ok   ok   no   no   no   no   no   -
amazon.account                    action_sync_vendor_orders           ok   ok   no   no   no   no   no   yes
amazon.account                    action_import_listings              ok   ok   no   no   no   no   no   yes
amazon.account                    action_push_stock                   ok   ok   no   no   no   no   no   yes
amazon.account                    action_import_fba_inventory         ok   ok   no   no   no   no   no   yes
amazon.account                    action_renew_authorization          ok   ok   no   no   no   no   no   -
amazon.account                    action_view_sync_logs               ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_amazon_orders           ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_order_failures          ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_vendor_orders           ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_listings                ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_listings_to_bind        ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_sku_recodes             ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_stock_feeds             ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_fba_inventory           ok   ok   no   ok   no   no   no   -
amazon.account                    create                              ok   ok   no   no   no   no   no   -
amazon.account                    write                               ok   ok   no   no   no   no   no   -
amazon.account                    unlink                              ok   ok   no   no   no   no   no   -
amazon.vendor.account.mixin       action_sync_vendor_orders           err  err  err  err  err  err  err  -
amazon.vendor.account.mixin       action_view_vendor_orders           no   no   no   no   no   no   no   -
amazon.listing                    action_open_bind_wizard             ok   ok   no   no   no   no   no   -
amazon.listing                    action_view_product                 ok   ok   no   ok   no   no   no   -
amazon.listing.bind               default_get                         ok   ok   ok   ok   ok   ok   ok   -
amazon.listing.bind               action_bind                         ok   ok   no   no   no   no   no   -
amazon.sale.list                  action_publish                      ok   ok   no   no   no   no   no   yes
amazon.sale.list                  action_view_listings                ok   ok   no   ok   no   no   no   -
amazon.sku.recode                 create                              ok   ok   no   no   no   no   no   -
amazon.sku.recode                 write                               ok   ok   no   no   no   no   no   -
amazon.sku.recode.import          action_import                       ok   ok   no   no   no   no   no   -
amazon.order.failure              action_retry                        ok   ok   no   no   no   no   no   -
amazon.order.failure              action_dismiss                      ok   ok   no   no   no   no   no   -
amazon.order.failure              action_reopen                       ok   ok   no   no   no   no   no   -
amazon.order.recover              action_recover                      user user no   no   no   no   no   yes
amazon.vendor.order               action_accept_all                   ok   ok   no   no   ok   no   no   -
amazon.vendor.order               action_open_sale_order              ok   ok   no   ok   ok   no   no   -
amazon.vendor.order               action_send_acknowledgement         ok   ok   no   no   no   no   no   -
amazon.vendor.order               action_refresh_status               err  err  no   no   no   no   no   yes
amazon.vendor.order               action_retry_shipment_confirmation  ok   ok   no   no   no   no   no   -
amazon.account                    action_push_vendor_df_inventory     ok   ok   no   no   no   no   no   -
amazon.vendor.account.mixin       action_push_vendor_df_inventory     no   no   no   no   no   no   no   -
amazon.vendor.order               action_df_fetch_documents           ok   ok   no   no   no   no   no   -
amazon.outbox.message             action_mark_received                ok   ok   no   no   no   no   no   -
amazon.outbox.message             action_send_again                   ok   ok   no   no   no   no   no   -
amazon.outbox.message             action_cancel                       ok   ok   no   no   no   no   no   -
account.move                      action_amazon_vendor_submit_invoice no   no   no   no   no   no   no   -
product.product                   action_view_amazon_listings         ok   ok   ok   ok   ok   ok   no   -
product.template                  action_view_amazon_listings         ok   ok   ok   ok   ok   ok   no   -
sale.order                        action_open_amazon_vendor_order     ok   ok   no   ok   no   no   no   -
stock.picking                     action_amazon_retry_shipment        no   no   no   no   no   ok   no   -
amazon.account                    action_sync_in_background           ok   ok   no   no   no   no   no   -
amazon.account                    action_view_failed_syncs            ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_orders_to_ship          ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_late_orders             ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_failed_confirmations    ok   ok   no   ok   no   no   no   -
amazon.account.overview.mixin     action_view_failed_syncs            no   no   no   no   no   no   no   -
amazon.account.orders.overview.mixin action_view_orders_to_ship       no   no   no   no   no   no   no   -
amazon.account.orders.overview.mixin action_view_late_orders          no   no   no   no   no   no   no   -
amazon.sync.schedule.mixin        action_sync_in_background           no   no   no   no   no   no   no   -
amazon.sync.schedule.mixin        create                              no   no   no   no   no   no   no   -
amazon.sync.schedule.mixin        write                               no   no   no   no   no   no   no   -
amazon.sync.schedule.mixin        unlink                              no   no   no   no   no   no   no   -
amazon.sync.schedule              unlink                              no   no   no   no   no   no   no   -
amazon.listing                    action_send_again                   ok   ok   no   no   no   no   no   -
sale.order                        action_confirm                      no   no   no   no   ok   ok   no   -
stock.picking                     get_empty_list_help                 ok   ok   ok   ok   ok   ok   ok   -
stock.picking                     write                               no   no   no   no   ok   ok   no   -
"""


# The rows of amazon_connector_account, when it is installed (the access suite
# runs on a database with every addon of the repository; this addon does not
# depend on it).
MATRIX_ACCOUNTING = """
amazon.account                    action_amazon_import_refunds        ok   ok   no   no   no   no   no   yes
amazon.account                    action_amazon_import_returns        ok   ok   no   no   no   no   no   yes
amazon.account                    action_view_amazon_finance_transactions ok   ok   no   ok   no   no   no   -
amazon.account                    action_view_amazon_returns          ok   ok   no   ok   no   no   no   -
amazon.account                    action_amazon_import_settlements    ok   ok   no   no   no   no   no   yes
amazon.account                    action_view_amazon_settlements      ok   ok   no   ok   no   no   no   -
amazon.settlement                 action_view_lines                   ok   ok   no   ok   no   no   no   -
amazon.settlement                 action_view_orders                  ok   ok   no   ok   no   no   no   -
amazon.settlement                 action_amazon_reimport              ok   ok   no   no   no   no   no   yes
amazon.finance.transaction        action_amazon_make_credit_notes     no   no   no   no   no   no   no   -
amazon.finance.transaction        action_open_credit_note             ok   ok   no   ok   ok   no   no   -
sale.order                        action_amazon_create_invoices       no   no   no   no   no   no   no   -
account.move                      action_send_and_print               no   no   no   no   no   no   no   -
account.move                      action_invoice_sent                 no   no   no   no   no   no   no   -
"""

# The rows of the settlements' booking (amazon_connector_account, issue 16): only
# invoicing users book and match, only accounting administrators configure; none
# of the seven roles is either.
MATRIX_BOOKING = """
amazon.account                    action_amazon_import_seller_invoices ok  ok   no   no   no   no   no   yes
amazon.settlement                 action_amazon_book                  no   no   no   no   no   no   no   -
amazon.settlement                 action_amazon_reset                 no   no   no   no   no   no   no   -
amazon.settlement                 action_amazon_find_bank_match       no   no   no   no   no   no   no   -
amazon.settlement                 action_amazon_confirm_bank_match    no   no   no   no   no   no   no   -
amazon.settlement                 action_amazon_undo_bank_match       no   no   no   no   no   no   no   -
amazon.settlement.mapping         action_create_defaults              no   no   no   no   no   no   no   -
sale.order                        message_post                        no   no   no   no   no   ok   no   -
account.bank.statement.line       action_undo_reconciliation          no   no   no   no   no   no   no   -
"""


def parse_matrix(text=MATRIX):
    """{(model, method): ({role: outcome}, reaches Amazon)} from the table."""
    rows = {}
    for line in text.strip().splitlines():
        if not line.strip():  # between MATRIX and MATRIX_ACCOUNTING
            continue
        model, method, *cells = line.split()
        assert len(cells) == len(ROLES) + 1, line
        assert (model, method) not in rows, f"two rows for {model}.{method}"
        rows[model, method] = (dict(zip(ROLES, cells[:-1], strict=True)), cells[-1])
    return rows


def public_methods_of_the_addons(env):
    """(model, method) for every RPC-callable method our addons define.

    As Odoo's dispatch (``odoo.service.model.get_public_method``) sees it: a name
    without a leading underscore, not ``@api.private`` in any class of the model.
    """
    found = set()
    for model_name in env.registry:
        cls = type(env[model_name])
        mro = cls.mro()
        for klass in mro:
            if not getattr(klass, "__module__", "").startswith(
                "odoo.addons.amazon_connector"
            ):
                continue
            for name, value in vars(klass).items():
                if name.startswith("_"):
                    continue
                func = getattr(value, "__func__", value)
                if not inspect.isfunction(func):
                    continue
                if any(
                    getattr(getattr(k, name, None), "_api_private", False) for k in mro
                ):
                    continue
                found.add((model_name, name))
    return found


@tagged("post_install", "-at_install", "amazon_access")
class TestAccessMatrix(AccessCase):
    def matrix_text(self):
        """MATRIX, with the accounting addon's rows when it is installed."""
        if "amazon.settlement.mapping" in self.env:
            return MATRIX + MATRIX_ACCOUNTING + MATRIX_BOOKING
        if "amazon.finance.transaction" in self.env:
            return MATRIX + MATRIX_ACCOUNTING
        return MATRIX

    def accounting_calls(self, rpc, account):
        """The calls of amazon_connector_account's rows (records made here: this
        addon does not depend on it)."""
        if "amazon.finance.transaction" not in self.env:
            return {}
        transaction = self.env["amazon.finance.transaction"].create(
            {
                "account_id": self.account.id,
                "transaction_id": "ACCESS-REFUND-1",
                "transaction_type": "Refund",
            }
        )
        settlement = self.env["amazon.settlement"].create(
            {
                "account_id": self.account.id,
                "name": "ACCESS-GROUP-1",
                "processing_status": "open",
                "currency_id": self.env.ref("base.EUR").id,
            }
        )
        return {
            **{
                ("amazon.account", method): rpc("amazon.account", account, method)
                for method in (
                    "action_amazon_import_refunds",
                    "action_amazon_import_returns",
                    "action_view_amazon_finance_transactions",
                    "action_view_amazon_returns",
                    "action_amazon_import_settlements",
                    "action_view_amazon_settlements",
                )
            },
            **{
                ("amazon.settlement", method): rpc(
                    "amazon.settlement", settlement.id, method
                )
                for method in (
                    "action_view_lines",
                    "action_view_orders",
                    "action_amazon_reimport",
                )
            },
            **{
                ("amazon.finance.transaction", method): rpc(
                    "amazon.finance.transaction", transaction.id, method
                )
                for method in (
                    "action_amazon_make_credit_notes",
                    "action_open_credit_note",
                )
            },
            ("sale.order", "action_amazon_create_invoices"): rpc(
                "sale.order", self.sale_order.id, "action_amazon_create_invoices"
            ),
            **{
                ("account.move", method): rpc("account.move", self.invoice.id, method)
                for method in ("action_send_and_print", "action_invoice_sent")
            },
        }

    def booking_calls(self, rpc, account):
        """The calls of MATRIX_BOOKING (a closed settlement of company A)."""
        if "amazon.settlement.mapping" not in self.env:
            return {}
        settlement = self.env["amazon.settlement"].create(
            {"account_id": self.account.id, "name": "ACCESS-BOOK-1", "state": "closed"}
        )
        return {
            ("amazon.account", "action_amazon_import_seller_invoices"): rpc(
                "amazon.account", account, "action_amazon_import_seller_invoices"
            ),
            **{
                ("amazon.settlement", method): rpc(
                    "amazon.settlement", settlement.id, method
                )
                for method in (
                    "action_amazon_book",
                    "action_amazon_reset",
                    "action_amazon_find_bank_match",
                    "action_amazon_confirm_bank_match",
                    "action_amazon_undo_bank_match",
                )
            },
            ("amazon.settlement.mapping", "action_create_defaults"): rpc(
                "amazon.settlement.mapping", [], "action_create_defaults"
            ),
            # overridden for the booking's "Invoice paid" notes: a note on an
            # Amazon order, as the chatter posts it (Odoo's rules decide who may
            # post on this order, unchanged by the override: of the seven roles,
            # the stock user)
            ("sale.order", "message_post"): rpc(
                "sale.order", self.sale_order.id, "message_post", body="A note"
            ),
            # overridden so that the settlement follows a deposit unreconciled
            # in another screen
            ("account.bank.statement.line", "action_undo_reconciliation"): rpc(
                "account.bank.statement.line",
                self.bank_deposit().id,
                "action_undo_reconciliation",
            ),
        }

    def bank_deposit(self):
        """A bank statement line of company A."""
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company_a.id)], limit=1
        ) or self.env["account.journal"].create(
            {
                "name": "Bank (access)",
                "code": "BNKAC",
                "type": "bank",
                "company_id": self.company_a.id,
            }
        )
        return self.env["account.bank.statement.line"].create(
            {"journal_id": journal.id, "amount": 25.0, "payment_ref": "AMAZON"}
        )

    def overview_calls(self, rpc, account):
        """The calls of the account form's overview, its sync buttons and
        scheduling, and of the Odoo methods the addons override."""
        schedule = self.account._sync_schedule("orders")
        draft = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "company_id": self.company_a.id,
                "user_id": False,
                "warehouse_id": self.warehouse.id,
                "amazon_account_id": self.account.id,
                "amazon_order_id": "405-0000008-0000002",
                "amazon_marketplace_id": self.marketplace.id,
                "amazon_fulfillment_channel": "fbm",
                "amazon_purchase_date": "2026-01-02 10:00:00",
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": 10.0,
                        }
                    )
                ],
            }
        )

        def sync_button(model):
            # the button's context names the kind of sync
            call = rpc(model, account, "action_sync_in_background")
            return lambda env: call(env(context={"amazon_sync_kind": "orders"}))

        return {
            **{
                (model, "action_sync_in_background"): sync_button(model)
                for model in ("amazon.account", "amazon.sync.schedule.mixin")
            },
            **{
                (model, method): rpc(model, account, method)
                for model, method in (
                    ("amazon.account", "action_view_failed_syncs"),
                    ("amazon.account", "action_view_orders_to_ship"),
                    ("amazon.account", "action_view_late_orders"),
                    ("amazon.account", "action_view_failed_confirmations"),
                    ("amazon.account.overview.mixin", "action_view_failed_syncs"),
                    (
                        "amazon.account.orders.overview.mixin",
                        "action_view_orders_to_ship",
                    ),
                    ("amazon.account.orders.overview.mixin", "action_view_late_orders"),
                )
            },
            ("amazon.sync.schedule.mixin", "create"): rpc(
                "amazon.sync.schedule.mixin",
                [],
                "create",
                {"name": "Access new", "company_id": self.company_a.id},
            ),
            ("amazon.sync.schedule.mixin", "write"): rpc(
                "amazon.sync.schedule.mixin", account, "write", {"name": "Renamed"}
            ),
            ("amazon.sync.schedule.mixin", "unlink"): rpc(
                "amazon.sync.schedule.mixin", account, "unlink"
            ),
            ("amazon.sync.schedule", "unlink"): rpc(
                "amazon.sync.schedule", schedule.id, "unlink"
            ),
            ("amazon.listing", "action_send_again"): rpc(
                "amazon.listing", self.listing.id, "action_send_again"
            ),
            ("sale.order", "action_confirm"): rpc(
                "sale.order", draft.id, "action_confirm"
            ),
            ("stock.picking", "get_empty_list_help"): rpc(
                "stock.picking", [], "get_empty_list_help", "<p>Nothing here</p>"
            ),
        }

    # --- how each row is called ---------------------------------------------
    def calls(self):
        """{(model, method): f(env) -> result}: the call, as the user's RPC."""
        account, vendor = self.account.id, self.vendor_account.id

        def rpc(model, ids, method, *args, **kwargs):
            def run(env):
                records = env[model].browse(ids)
                get_public_method(records, method)
                return getattr(records, method)(*args, **kwargs)

            return run

        def wizard(model, vals, method, context=None):
            def run(env):
                record = env[model].with_context(**(context or {})).create(vals)
                get_public_method(record, method)
                return getattr(record, method)()

            return run

        view = {
            ("amazon.account", name): rpc("amazon.account", account, name)
            for name in (
                "action_test_connection",
                "action_sync_orders",
                "action_recover_order",
                "action_import_listings",
                "action_push_stock",
                "action_import_fba_inventory",
                "action_renew_authorization",
                "action_view_sync_logs",
                "action_view_amazon_orders",
                "action_view_order_failures",
                "action_view_listings",
                "action_view_listings_to_bind",
                "action_view_sku_recodes",
                "action_view_stock_feeds",
                "action_view_fba_inventory",
            )
        }
        return {
            **view,
            ("amazon.account", "action_sync_vendor_orders"): rpc(
                "amazon.account", vendor, "action_sync_vendor_orders"
            ),
            ("amazon.account", "action_view_vendor_orders"): rpc(
                "amazon.account", vendor, "action_view_vendor_orders"
            ),
            ("amazon.account", "create"): rpc(
                "amazon.account",
                [],
                "create",
                {"name": "Access new", "company_id": self.company_a.id},
            ),
            ("amazon.account", "write"): rpc(
                "amazon.account", account, "write", {"name": "Renamed"}
            ),
            ("amazon.account", "unlink"): rpc("amazon.account", account, "unlink"),
            ("amazon.vendor.account.mixin", "action_sync_vendor_orders"): rpc(
                "amazon.vendor.account.mixin", vendor, "action_sync_vendor_orders"
            ),
            ("amazon.vendor.account.mixin", "action_view_vendor_orders"): rpc(
                "amazon.vendor.account.mixin", vendor, "action_view_vendor_orders"
            ),
            ("amazon.listing", "action_open_bind_wizard"): rpc(
                "amazon.listing", self.unbound.id, "action_open_bind_wizard"
            ),
            ("amazon.listing", "action_view_product"): rpc(
                "amazon.listing", self.listing.id, "action_view_product"
            ),
            ("amazon.listing.bind", "default_get"): rpc(
                "amazon.listing.bind", [], "default_get", ["listing_ids"]
            ),
            ("amazon.listing.bind", "action_bind"): wizard(
                "amazon.listing.bind",
                {
                    "listing_ids": [Command.set(self.unbound.ids)],
                    "product_id": self.product.id,
                },
                "action_bind",
            ),
            ("amazon.sale.list", "action_publish"): rpc(
                "amazon.sale.list", self.sale_list.id, "action_publish"
            ),
            ("amazon.sale.list", "action_view_listings"): rpc(
                "amazon.sale.list", self.sale_list.id, "action_view_listings"
            ),
            ("amazon.sku.recode", "create"): rpc(
                "amazon.sku.recode",
                [],
                "create",
                {"account_id": account, "amazon_sku": "ACC-NEW", "default_code": "X"},
            ),
            ("amazon.sku.recode", "write"): rpc(
                "amazon.sku.recode", self.recode.id, "write", {"amazon_sku": "ACC-R2"}
            ),
            ("amazon.sku.recode.import", "action_import"): wizard(
                "amazon.sku.recode.import",
                {
                    "account_id": account,
                    "data_file": base64.b64encode(
                        b"Amazon SKU,Internal Reference\nACC-CSV,ACC-MUG\n"
                    ),
                    "filename": "recode.csv",
                },
                "action_import",
            ),
            ("amazon.order.failure", "action_retry"): rpc(
                "amazon.order.failure", self.failure.id, "action_retry"
            ),
            ("amazon.order.failure", "action_dismiss"): rpc(
                "amazon.order.failure", self.failure.id, "action_dismiss"
            ),
            ("amazon.order.failure", "action_reopen"): rpc(
                "amazon.order.failure", self.dismissed.id, "action_reopen"
            ),
            ("amazon.order.recover", "action_recover"): wizard(
                "amazon.order.recover",
                {"account_id": account, "amazon_order_id": "405-0000007-0000001"},
                "action_recover",
            ),
            ("amazon.vendor.order", "action_accept_all"): rpc(
                "amazon.vendor.order", self.vendor_order.id, "action_accept_all"
            ),
            ("amazon.vendor.order", "action_open_sale_order"): rpc(
                "amazon.vendor.order", self.vendor_order.id, "action_open_sale_order"
            ),
            ("amazon.vendor.order", "action_send_acknowledgement"): rpc(
                "amazon.vendor.order",
                self.vendor_order.id,
                "action_send_acknowledgement",
            ),
            ("amazon.vendor.order", "action_refresh_status"): rpc(
                "amazon.vendor.order", self.vendor_order.id, "action_refresh_status"
            ),
            ("amazon.vendor.order", "action_retry_shipment_confirmation"): rpc(
                "amazon.vendor.order",
                self.vendor_order.id,
                "action_retry_shipment_confirmation",
            ),
            ("amazon.account", "action_push_vendor_df_inventory"): rpc(
                "amazon.account", vendor, "action_push_vendor_df_inventory"
            ),
            ("amazon.vendor.account.mixin", "action_push_vendor_df_inventory"): rpc(
                "amazon.vendor.account.mixin", vendor, "action_push_vendor_df_inventory"
            ),
            ("amazon.vendor.order", "action_df_fetch_documents"): rpc(
                "amazon.vendor.order", self.vendor_order.id, "action_df_fetch_documents"
            ),
            **{
                ("amazon.outbox.message", method): rpc(
                    "amazon.outbox.message", self.outbox_message.id, method
                )
                for method in (
                    "action_mark_received",
                    "action_send_again",
                    "action_cancel",
                )
            },
            ("account.move", "action_amazon_vendor_submit_invoice"): rpc(
                "account.move", self.invoice.id, "action_amazon_vendor_submit_invoice"
            ),
            ("product.product", "action_view_amazon_listings"): rpc(
                "product.product", self.product.id, "action_view_amazon_listings"
            ),
            ("product.template", "action_view_amazon_listings"): rpc(
                "product.template",
                self.product.product_tmpl_id.id,
                "action_view_amazon_listings",
            ),
            ("sale.order", "action_open_amazon_vendor_order"): rpc(
                "sale.order", self.sale_order.id, "action_open_amazon_vendor_order"
            ),
            ("stock.picking", "action_amazon_retry_shipment"): rpc(
                "stock.picking", self.picking.id, "action_amazon_retry_shipment"
            ),
            ("stock.picking", "write"): rpc(
                "stock.picking", self.picking.id, "write", {"origin": "Access"}
            ),
            **self.overview_calls(rpc, account),
            **self.accounting_calls(rpc, account),
            **self.booking_calls(rpc, account),
        }

    def attempt(self, call, role):
        """Run ``call`` as ``role``, then take back whatever it did.

        :return: (outcome, Amazon requests, sync logs started, error)
        """
        self.amazon.reset_calls()
        self.started_logs.clear()
        env = self.env(user=self.users[role], context={})
        savepoint = self.env.cr.savepoint()
        error = None
        try:
            call(env)
            outcome = "ok"
        except AccessError as exc:
            outcome, error = "no", exc
        except (UserError, ValidationError) as exc:
            outcome, error = "user", exc
        except Exception as exc:  # the table says which
            outcome, error = "err", exc
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        return outcome, self.amazon.operations(), list(self.started_logs), error

    # --- the tests ----------------------------------------------------------
    def test_every_public_method_of_the_addons_has_a_row_in_the_matrix(self):
        discovered = public_methods_of_the_addons(self.env)
        rows = set(parse_matrix(self.matrix_text()))
        self.assertFalse(
            sorted(discovered - rows),
            msg="public methods without a row: add one to MATRIX (who may call "
            "it?) or make them private (leading underscore, @api.private)",
        )
        self.assertFalse(
            sorted(rows - discovered), msg="rows for methods that are not public"
        )
        self.assertFalse(
            sorted(rows - set(self.calls())), msg="rows without a call to try"
        )

    def test_every_action_by_every_role_as_the_matrix_says(self):
        calls = self.calls()
        for (model, method), (expected, amazon) in parse_matrix(
            self.matrix_text()
        ).items():
            for role in ROLES:
                with self.subTest(model=model, method=method, role=role):
                    outcome, requests, logs, error = self.attempt(
                        calls[model, method], role
                    )
                    self.assertEqual(
                        outcome,
                        expected[role],
                        msg=f"{model}.{method} by {role}: {error!r}",
                    )
                    if outcome == "no" or amazon == "-":
                        self.assertEqual(
                            requests,
                            [],
                            msg=f"{model}.{method} by {role} reached Amazon",
                        )
                    if outcome == "no":
                        self.assertEqual(
                            logs,
                            [],
                            msg=f"{model}.{method} refused to {role} started a "
                            "sync log",
                        )
                    if outcome in ("ok", "err") and amazon == "yes":
                        self.assertTrue(
                            requests, msg=f"{model}.{method} should reach Amazon"
                        )


@tagged("post_install", "-at_install", "amazon_access")
class TestCompanyAndFieldIsolation(AccessCase):
    def as_role(self, role):
        return self.env(user=self.users[role], context={})

    def test_an_amazon_user_cannot_read_the_buyer_data_of_a_failure(self):
        Failure = self.as_role("amazon_user")["amazon.order.failure"]
        self.assertTrue(Failure.search_read([], ["amazon_order_id", "error"]))
        with self.assertRaises(AccessError, msg="payload: managers only"):
            Failure.search_read([], ["payload"])
        with self.assertRaises(AccessError):
            Failure.browse(self.failure.id).read(["payload"])
        payload = (
            self.as_role("manager_a")["amazon.order.failure"]
            .browse(self.failure.id)
            .payload
        )
        self.assertIn("Mario Rossi", payload, msg="managers still read it")

    def test_vendor_order_items_of_another_company_are_invisible(self):
        lines = self.as_role("manager_b")["amazon.vendor.order.line"].search([])
        self.assertNotIn(self.vendor_order.line_ids, lines)
        with self.assertRaises(AccessError):
            self.as_role("manager_b")["amazon.vendor.order.line"].browse(
                self.vendor_order.line_ids.ids
            ).read(["title"])
        self.assertEqual(
            self.as_role("manager_a")["amazon.vendor.order.line"].search(
                [("id", "in", self.vendor_order.line_ids.ids)]
            ),
            self.vendor_order.line_ids.with_user(self.users["manager_a"]),
        )

    def test_rate_budgets_of_another_company_are_invisible(self):
        Bucket = self.env["amazon.rate.bucket"]
        bucket = Bucket.create(
            {
                "account_id": self.account.id,
                "operation": "access.matrix",
                "rate": 1,
                "burst": 1,
                "tokens": 1,
                "refilled_at": "2026-01-01 00:00:00",
            }
        )
        self.assertEqual(bucket.company_id, self.company_a)
        seen_by_b = self.as_role("manager_b")["amazon.rate.bucket"].search([])
        self.assertNotIn(bucket.id, seen_by_b.ids)
        seen_by_a = self.as_role("manager_a")["amazon.rate.bucket"].search([])
        self.assertIn(bucket.id, seen_by_a.ids)

    def test_every_amazon_model_with_a_company_has_a_company_rule(self):
        for name in self.env.registry:
            model = self.env[name]
            if (
                not name.startswith("amazon.")
                or model._abstract
                or model._transient
                or "company_id" not in model._fields
            ):
                continue
            rules = self.env["ir.rule"].search(
                [("model_id.model", "=", name), ("domain_force", "ilike", "company")]
            )
            self.assertTrue(rules, msg=f"{name} has a company but no company rule")

    def test_a_manager_of_another_company_runs_no_sync_and_leaves_nothing(self):
        Account = self.as_role("manager_b")["amazon.account"]
        for method in (
            "action_sync_orders",
            "action_push_stock",
            "action_import_fba_inventory",
            "action_import_listings",
            "action_test_connection",
        ):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(Account.browse(self.account.id), method)()
        with self.assertRaises(AccessError):
            Account.browse(self.vendor_account.id).action_sync_vendor_orders()
        self.assertFalse(
            self.env["amazon.sync.log"].search(
                [("account_id", "in", (self.account | self.vendor_account).ids)]
            ),
            msg="no sync log started",
        )
        self.assertEqual(self.amazon.operations(), [], msg="Amazon heard nothing")
        self.assertFalse(
            self.env["sale.order"].search(
                [
                    ("amazon_account_id", "=", self.account.id),
                    ("id", "!=", self.sale_order.id),
                ]
            ),
            msg="no order created in company A",
        )
