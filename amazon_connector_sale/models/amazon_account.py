# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import math
import re

from odoo import api, fields, models

from odoo.addons.amazon_connector.exceptions import (
    AmazonSyncRunning,
)
from odoo.addons.amazon_connector.models.amazon_sync_schedule_mixin import (
    schedule_fields,
)

from ..const import (
    STATUS_PARTIALLY_SHIPPED,
    STATUS_PENDING,
    STATUS_SHIPPED,
    STATUS_UNSHIPPED,
)
from ..exceptions import AmazonOrderDataError

_logger = logging.getLogger(__name__)


class AmazonAccount(models.Model):
    _name = "amazon.account"
    _inherit = (
        "amazon.account",
        "amazon.vendor.account.mixin",
        "amazon.account.orders.overview.mixin",
    )

    # --- what to import -------------------------------------------------------
    order_import_active = fields.Boolean(
        string="Create Orders in Odoo",
        default=True,
        help="Import Amazon orders as sale orders.",
    )
    order_import_pending = fields.Boolean(
        string="Import Pending Orders",
        help="Pending orders carry no prices yet; they are normally imported once "
        "Amazon moves them to Unshipped.",
    )
    order_import_unshipped = fields.Boolean(string="Import Unshipped", default=True)
    order_import_partially_shipped = fields.Boolean(
        string="Import Partially Shipped", default=True
    )
    order_import_shipped = fields.Boolean(string="Import Shipped", default=True)
    order_import_fbm = fields.Boolean(string="Import FBM Orders", default=True)
    order_import_fba = fields.Boolean(string="Import FBA Orders", default=True)
    order_import_from_date = fields.Datetime(
        string="Import Orders Updated After",
        help="Start of the first import. Later runs continue from the last sync.",
    )
    order_cursor = fields.Datetime(
        string="Orders Synced Until",
        copy=False,
        readonly=True,
        help="Orders updated before this time are in Odoo (or recorded as failed).",
    )
    # --- how to create them ---------------------------------------------------
    order_sequence_id = fields.Many2one(
        "ir.sequence",
        copy=False,
        check_company=True,
        help="Numbering of the sale orders of this account (e.g. AMZ-IT/00001).",
    )
    sale_journal_id = fields.Many2one(
        "account.journal",
        string="Sales Journal",
        copy=False,
        check_company=True,
        domain="[('type', '=', 'sale')]",
        help="Invoices of this account's orders are created in this journal.",
    )
    order_team_id = fields.Many2one(
        "crm.team", string="Orders Sales Team", check_company=True
    )
    order_user_id = fields.Many2one("res.users", string="Orders Salesperson")
    customer_receivable_account_id = fields.Many2one(
        "account.account",
        string="Customers' Receivable Account",
        check_company=True,
        domain="[('account_type', '=', 'asset_receivable')]",
        help="Receivable account given to customers created from Amazon.",
    )
    fbm_warehouse_id = fields.Many2one(
        "stock.warehouse", string="FBM Warehouse", check_company=True
    )
    fba_warehouse_id = fields.Many2one(
        "stock.warehouse", string="FBA Warehouse", check_company=True
    )
    fba_location_id = fields.Many2one(
        "stock.location",
        string="FBA Location",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Stock held by Amazon; FBA orders are delivered from here.",
    )
    fba_customer_location_id = fields.Many2one(
        "stock.location",
        string="FBA Buyers Location",
        check_company=True,
        copy=False,
        domain="[('usage', '=', 'customer')]",
        help="Where the FBA orders of this account are delivered to, and where its "
        "FBA returns come back from: one per account, so that accounts importing "
        "at the same time never update the same stock figures.",
    )
    shipping_product_id = fields.Many2one(
        "product.product",
        default=lambda self: self._default_product("product_amazon_shipping"),
    )
    shipping_product_map_ids = fields.One2many(
        "amazon.shipping.product",
        "account_id",
        string="Shipping Product by Service Level",
    )
    gift_wrap_product_id = fields.Many2one(
        "product.product",
        string="Gift-wrap Product",
        default=lambda self: self._default_product("product_amazon_gift_wrap"),
    )
    unknown_sku_policy = fields.Selection(
        [
            ("fail", "Record the order as failed"),
            ("placeholder", "Use the placeholder product"),
        ],
        string="Unknown SKU",
        default="fail",
        required=True,
    )
    placeholder_product_id = fields.Many2one(
        "product.product",
        default=lambda self: self._default_product("product_amazon_placeholder"),
    )
    rounding_product_id = fields.Many2one(
        "product.product",
        default=lambda self: self._default_product("product_amazon_rounding"),
        help="Carries the difference between Odoo's tax rounding and Amazon's total.",
    )
    order_auto_confirm = fields.Boolean(
        string="Confirm Orders Automatically",
        default=True,
        help="Amazon only lists an order as unshipped or shipped once the buyer "
        "has paid: such orders arrive confirmed. Untick to review them as "
        "quotations first.",
    )
    order_notify_partner_ids = fields.Many2many(
        "res.partner",
        "amazon_account_order_notify_rel",
        string="Notify",
        help="Receive an e-mail after each order import that created or failed orders.",
    )
    pii_retention_days = fields.Integer(
        string="Keep Buyer Data (days)",
        default=30,
        help="Days after shipment or cancellation before the buyer's personal data "
        "is anonymized (Amazon Data Protection Policy: at most 30).",
    )
    # --- schedule (kind "orders"): fields of the core scheduling helper --------
    (
        orders_sync_active,
        orders_interval_number,
        orders_interval_type,
        orders_next_run,
    ) = schedule_fields("orders", "Orders", 1, "hours", active=True)
    # --- results --------------------------------------------------------------
    order_failure_ids = fields.One2many("amazon.order.failure", "account_id")
    order_failure_count = fields.Integer(compute="_compute_order_counts")
    sale_order_count = fields.Integer(compute="_compute_order_counts")

    def _default_product(self, xmlid):
        return self.env.ref(f"amazon_connector_sale.{xmlid}", raise_if_not_found=False)

    def _compute_order_counts(self):
        failures = dict(
            self.env["amazon.order.failure"]._read_group(
                [("account_id", "in", self.ids), ("state", "=", "open")],
                ["account_id"],
                ["__count"],
            )
        )
        orders = dict(
            self.env["sale.order"]._read_group(
                [("amazon_account_id", "in", self.ids)],
                ["amazon_account_id"],
                ["__count"],
            )
        )
        for account in self:
            account.order_failure_count = failures.get(account, 0)
            account.sale_order_count = orders.get(account, 0)

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        for account in accounts:
            account._ensure_order_setup()
        return accounts

    def _ensure_order_setup(self):
        """Give the account its own order numbering, sales journal and FBA location.

        Sellers want Amazon orders in their own series (the "sezionale") so that
        they are told apart from other channels at a glance.
        """
        self.ensure_one()
        # On the creator's behalf: an Amazon manager needs no accounting or
        # inventory rights to configure an account (the create is checked).
        sudo = self.sudo()
        vals = {}
        if not self.order_sequence_id:
            vals["order_sequence_id"] = sudo.env["ir.sequence"].create(
                self._prepare_order_sequence()
            )
        if not self.sale_journal_id:
            vals["sale_journal_id"] = sudo.env["account.journal"].create(
                sudo._prepare_sale_journal()
            )
        if not self.fba_location_id:
            warehouse = sudo.env["stock.warehouse"].search(
                [("company_id", "=", self.company_id.id)], limit=1
            )
            if warehouse:
                vals["fba_location_id"] = sudo.env["stock.location"].create(
                    {
                        "name": f"FBA {self.name}",
                        "usage": "internal",
                        "location_id": warehouse.view_location_id.id,
                        "company_id": self.company_id.id,
                    }
                )
        if not self.fba_customer_location_id:
            vals["fba_customer_location_id"] = sudo._create_fba_customer_location()
        if vals:
            sudo.write({key: rec.id for key, rec in vals.items()})

    def _create_fba_customer_location(self):
        """A location of the customers' kind of this account's FBA buyers."""
        self.ensure_one()
        return (
            self.env["stock.location"]
            .sudo()
            .create(
                {
                    "name": f"Amazon FBA {self.name}",
                    "usage": "customer",
                    "location_id": self.env.ref("stock.stock_location_customers").id,
                    "company_id": self.company_id.id,
                }
            )
        )

    def _get_fba_customer_location(self):
        """The account's FBA buyers location, created for accounts made before it
        existed."""
        self.ensure_one()
        if not self.fba_customer_location_id:
            self.sudo().fba_customer_location_id = self._create_fba_customer_location()
        return self.fba_customer_location_id

    def _sequence_tag(self):
        country = self.home_marketplace_id.country_id.code
        return (country or re.sub(r"[^A-Z0-9]", "", (self.name or "").upper())[:4]) or (
            str(self.id)
        )

    def _prepare_order_sequence(self):
        return {
            "name": self.env._("Amazon orders %s", self.name),
            "implementation": "no_gap",
            "prefix": f"AMZ-{self._sequence_tag()}/",
            "padding": 5,
            "company_id": self.company_id.id,
        }

    def _prepare_sale_journal(self):
        Journal = self.env["account.journal"].sudo()
        base = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company_id.id)], limit=1
        )
        existing = set(
            Journal.search([("company_id", "=", self.company_id.id)]).mapped("code")
        )
        code = next(f"AMZ{n}" for n in range(1, 100000) if f"AMZ{n}" not in existing)
        return {
            "name": self.env._("Amazon %s", self.name),
            "code": code,
            "type": "sale",
            "company_id": self.company_id.id,
            "default_account_id": base.default_account_id.id,
        }

    @api.model
    def _order_currency(self, code):
        """The currency of an Amazon currency code, activated when it is not.

        :param code: Amazon's ``currencyCode`` (ISO 4217)
        :raise AmazonOrderDataError: Odoo has no such currency
        """
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "=", str(code).upper()[:3])], limit=1)
        )
        if not currency:
            raise AmazonOrderDataError(self.env._("Unknown currency %r.", code))
        if not currency.active:
            currency.sudo().active = True
        return currency

    def _prepare_order_defaults(self, reference, warehouse=None):
        """What every sale order of this account carries, seller or vendor.

        Its own numbering (the "sezionale"), company, sales team, salesperson,
        warehouse and sales journal, and the Amazon reference it is known by.

        :param str reference: Amazon's order id or purchase order number
        :param warehouse: stock.warehouse to ship from, if any
        :return: sale.order values
        """
        self.ensure_one()
        vals = {
            "name": self.order_sequence_id.next_by_id()
            if self.order_sequence_id
            else reference,
            "company_id": self.company_id.id,
            "client_order_ref": reference,
            "amazon_account_id": self.id,
            "amazon_order_id": reference,
        }
        team = self.order_team_id or self.team_id
        user = self.order_user_id or self.user_id
        if user._is_superuser():
            # an account made by a script belongs to OdooBot: no salesperson
            # rather than a robot
            user = self.env["res.users"]
        if team:
            vals["team_id"] = team.id
        # no salesperson rather than whoever runs the import (OdooBot for the
        # scheduled job)
        vals["user_id"] = user.id or False
        if warehouse:
            vals["warehouse_id"] = warehouse.id
        if self.sale_journal_id:
            vals["journal_id"] = self.sale_journal_id.id
        return vals

    def _get_order_import_statuses(self):
        """Amazon statuses (2026 FulfillmentStatus) whose orders become sale orders.

        :return: set of status strings
        """
        self.ensure_one()
        flags = {
            STATUS_PENDING: self.order_import_pending,
            STATUS_UNSHIPPED: self.order_import_unshipped,
            STATUS_PARTIALLY_SHIPPED: self.order_import_partially_shipped,
            STATUS_SHIPPED: self.order_import_shipped,
        }
        return {status for status, wanted in flags.items() if wanted}

    def _get_shipping_product(self, service_level=None):
        self.ensure_one()
        mapped = self.shipping_product_map_ids.filtered(
            lambda m: m.service_level == service_level
        )
        return mapped[:1].product_id or self.shipping_product_id

    def _amazon_available_quantities(self, products):
        """The free quantity of the account's merchant warehouse (its FBM
        warehouse, else the company's); ``amazon_connector_stock`` refines this.
        Products whose stock Odoo does not track are left out: their quantity on
        Amazon is not managed from here."""
        self.ensure_one()
        ctx = (
            {"warehouse_id": self.fbm_warehouse_id.id} if self.fbm_warehouse_id else {}
        )
        storable = products.with_context(**ctx).filtered("is_storable")
        return {p.id: max(0, math.floor(p.free_qty)) for p in storable}

    # --- running --------------------------------------------------------------
    def action_sync_orders(self):
        """Import the orders updated on Amazon since the last run, now.

        Runs synchronously (also from code or ``odoo shell``). An authorization
        Amazon refused ends the run like any failure: the notification says it
        failed and why (see ``sync_run.py``: the user who pressed it is told).

        :return: a client notification with the counts and a link to the log
        :raise AmazonAuthorizationExpired: the authorization expired (renewal
            instructions, before anything runs)
        """
        self.ensure_one()
        account = self._as_sync_runner()
        log = account.env["amazon.order.importer"]._run(account, trigger="manual")
        return self._order_sync_notification(log)

    def _order_sync_notification(self, log):
        return self._notify_logs(self.env._("Amazon orders of %s", self.name), log)

    def _run_scheduled_orders(self):
        """Called by the account's scheduled action (see amazon.sync.schedule).

        :raise AmazonAuthorizationExpired: the authorization expired (the runner
            tells the account's responsible)
        """
        for account in self.filtered(
            lambda a: a.order_import_active and a.account_type == "seller"
        ):
            try:
                self.env["amazon.order.importer"]._run(account, trigger="scheduled")
            except AmazonSyncRunning as error:  # retry later, quietly
                _logger.info(
                    "Amazon order import of %s skipped: %s", account.name, error
                )

    def action_view_amazon_orders(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_sale.sale_order_amazon_action"
        )
        action["domain"] = [("amazon_account_id", "=", self.id)]
        return action

    def action_view_order_failures(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_sale.amazon_order_failure_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        return action

    def action_recover_order(self):
        """The recovery dialog: for the managers who may run it."""
        self.ensure_one()
        self._check_amazon_manager(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Recover an Amazon order"),
            "res_model": "amazon.order.recover",
            "view_mode": "form",
            "target": "new",
            "context": {"default_account_id": self.id},
        }

    @api.model
    def _cron_anonymize_order_data(self):
        self.env["amazon.order.anonymizer"]._run_all()
