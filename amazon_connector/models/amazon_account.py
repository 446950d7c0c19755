# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import zlib
from contextlib import contextmanager
from datetime import timezone
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, sql_db
from odoo.exceptions import AccessError, ValidationError

from ..const import (
    AUTHORIZATION_REMINDER_DAYS,
    AUTHORIZATION_VALIDITY_MONTHS,
    REGIONS,
)
from ..exceptions import (
    AmazonAuthError,
    AmazonAuthorizationExpired,
    AmazonError,
    AmazonServerError,
    AmazonSyncRunning,
)
from .amazon_sync_schedule_mixin import schedule_fields

_logger = logging.getLogger(__name__)

SECRET_FIELDS = ("lwa_client_id", "lwa_client_secret", "refresh_token")
ENDPOINT_FIELDS = ("sp_api_endpoint", "lwa_endpoint")


class AmazonAccount(models.Model):
    """A selling partner (seller or vendor) authorized for this Odoo database."""

    _name = "amazon.account"
    _description = "Amazon Account"
    _inherit = (
        "mail.thread",
        "mail.activity.mixin",
        "amazon.sync.schedule.mixin",
        "amazon.spapi.mixin",
        "amazon.account.overview.mixin",
    )
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    account_type = fields.Selection(
        [("seller", "Seller Central"), ("vendor", "Vendor Central")],
        required=True,
        default="seller",
        tracking=True,
    )
    region = fields.Selection(REGIONS, required=True, default="eu", tracking=True)
    seller_id = fields.Char(
        string="Seller ID",
        tracking=True,
        copy=False,
        help="Merchant token of the seller (Seller Central > Settings > Account Info > "
        "Merchant Token), or the vendor code of a vendor.",
    )
    # Secrets: system administrators only, never copied, never tracked, never logged,
    # blanked by data/neutralize.sql.
    lwa_client_id = fields.Char(
        string="LWA Client ID", groups="base.group_system", copy=False
    )
    lwa_client_secret = fields.Char(
        string="LWA Client Secret", groups="base.group_system", copy=False
    )
    refresh_token = fields.Char(groups="base.group_system", copy=False)
    sp_api_endpoint = fields.Char(
        string="SP-API Endpoint",
        groups="base.group_system",
        copy=False,
        help="Replaces Amazon's production endpoint of the region (e.g. a local "
        "sandbox). Leave empty in production.",
    )
    lwa_endpoint = fields.Char(
        string="LWA Token URL",
        groups="base.group_system",
        copy=False,
        help="Replaces Login with Amazon's token URL (https://api.amazon.com/auth/o2/"
        "token). Leave empty in production.",
    )
    home_marketplace_id = fields.Many2one(
        "amazon.marketplace",
        tracking=True,
        domain="[('region', '=', region)]",
        help="Main marketplace of the account: its currency and language are the "
        "defaults of the account's documents.",
    )
    available_marketplace_ids = fields.Many2many(
        "amazon.marketplace",
        "amazon_account_available_marketplace_rel",
        "account_id",
        "marketplace_id",
        string="Available Marketplaces",
        readonly=True,
        help="Marketplaces where the account participates, as Amazon reported them "
        "at the last connection test.",
    )
    active_marketplace_ids = fields.Many2many(
        "amazon.marketplace",
        "amazon_account_active_marketplace_rel",
        "account_id",
        "marketplace_id",
        string="Active Marketplaces",
        domain="[('id', 'in', available_marketplace_ids)]",
        help="Marketplaces this database synchronizes.",
    )
    state = fields.Selection(
        [
            ("draft", "Not Connected"),
            ("connected", "Connected"),
            ("error", "Error"),
            ("expired", "Authorization Expired"),
        ],
        required=True,
        default="draft",
        copy=False,
        tracking=True,
    )
    last_error = fields.Text(copy=False, readonly=True)
    last_connection_date = fields.Datetime(copy=False, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        help="Receives the authorization renewal reminders.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    auth_date = fields.Date(
        string="Authorization Date",
        default=fields.Date.context_today,
        copy=False,
        tracking=True,
        help="Day the seller authorized (or last renewed) the application.",
    )
    auth_expiry_date = fields.Date(
        string="Authorization Expiry",
        compute="_compute_auth_expiry_date",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
        help="An authorization lasts one year; Amazon shows the exact date in Seller "
        "Central > Apps and Services > Manage Your Apps.",
    )
    authorization_warning = fields.Char(compute="_compute_authorization_warning")
    sync_log_ids = fields.One2many("amazon.sync.log", "account_id", string="Sync Logs")
    sync_log_count = fields.Integer(compute="_compute_sync_log_count")
    (
        marketplaces_sync_active,
        marketplaces_interval_number,
        marketplaces_interval_type,
        marketplaces_next_run,
    ) = schedule_fields("marketplaces", "Marketplaces", 1, "days", active=True)

    _sql_constraints = (
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "An Amazon account name must be unique per company.",
        ),
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends("auth_date")
    def _compute_auth_expiry_date(self):
        for account in self:
            account.auth_expiry_date = account.auth_date and (
                account.auth_date + relativedelta(months=AUTHORIZATION_VALIDITY_MONTHS)
            )

    @api.depends("auth_expiry_date", "state")
    @api.depends_context("tz")
    def _compute_authorization_warning(self):
        for account in self:
            account.authorization_warning = account._authorization_warning_text()

    def _authorization_warning_text(self):
        self.ensure_one()
        if not self.auth_expiry_date:
            return False
        today = fields.Date.context_today(self)
        days_left = (self.auth_expiry_date - today).days
        expiry = self.auth_expiry_date.isoformat()
        if days_left < 0:
            return self.env._(
                "The authorization of this account expired on %(date)s: no sync "
                "runs until it is renewed in Seller Central (Apps and Services > "
                "Manage Your Apps) and marked as renewed here.",
                date=expiry,
            )
        if days_left <= AUTHORIZATION_REMINDER_DAYS:
            return self.env._(
                "The authorization of this account expires in %(days)s day(s), on "
                "%(date)s. Renew it in Seller Central (Apps and Services > Manage Your "
                "Apps), then click Renewed.",
                days=days_left,
                date=expiry,
            )
        return False

    def _compute_sync_log_count(self):
        counts = dict(
            self.env["amazon.sync.log"]._read_group(
                [("account_id", "in", self.ids)], ["account_id"], ["__count"]
            )
        )
        for account in self:
            account.sync_log_count = counts.get(account, 0)

    @api.constrains("sp_api_endpoint", "lwa_endpoint")
    def _check_endpoints(self):
        for account in self.sudo():
            for field_name in ENDPOINT_FIELDS:
                url = account[field_name]
                if url and (
                    urlsplit(url).scheme not in ("http", "https")
                    or not urlsplit(url).netloc
                ):
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be an http(s) URL, e.g. https://example.com.",
                            field=account._fields[field_name].string,
                        )
                    )

    @api.constrains("seller_id", "region", "active")
    def _check_one_account_per_selling_partner(self):
        """A selling partner is configured once, in all companies.

        Two active accounts of one seller both import its orders (each creates
        its own copy). A seller is its merchant token in a region, a vendor its
        vendor code in a region (both in ``seller_id``; Amazon's ids are
        upper case, compared without case and spaces). A vendor account
        without a vendor code is not checked: nothing identifies it but its
        authorization, whose refresh token changes at each renewal. Archived
        accounts do not sync and are not counted (reactivating one is checked).
        Searched as superuser: the account that already has the id may be in a
        company the user cannot see.
        """
        Account = self.sudo().with_context(active_test=True)
        for account in self.sudo().filtered("active"):
            seller_id = (account.seller_id or "").strip().upper()
            if not seller_id:
                continue
            others = Account.search(
                [
                    ("id", "!=", account.id),
                    ("region", "=", account.region),
                    ("seller_id", "!=", False),
                ]
            )
            clash = next(
                (o for o in others if o.seller_id.strip().upper() == seller_id), None
            )
            if clash:
                raise ValidationError(
                    self.env._(
                        "Amazon account %(account)s of %(company)s already "
                        "synchronizes this selling partner (seller ID %(seller)s, "
                        "region %(region)s): a second account would import its "
                        "orders twice. Use that account, or archive it first.",
                        account=clash.name,
                        company=clash.company_id.name,
                        seller=clash.seller_id or "-",
                        region=dict(REGIONS).get(clash.region, clash.region),
                    )
                )

    @api.constrains("home_marketplace_id", "region")
    def _check_home_marketplace_region(self):
        for account in self:
            if (
                account.home_marketplace_id
                and account.home_marketplace_id.region != account.region
            ):
                raise ValidationError(
                    self.env._(
                        "The home marketplace %(marketplace)s is not in the "
                        "account's region.",
                        marketplace=account.home_marketplace_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        res = super().write(vals)
        if any(name in vals for name in SECRET_FIELDS + ENDPOINT_FIELDS):
            self._forget_access_tokens()
        return res

    def unlink(self):
        buckets = (
            self.env["amazon.rate.bucket"]
            .sudo()
            .search([("account_id", "in", self.ids)])
        )
        self._forget_access_tokens()
        res = super().unlink()
        buckets.unlink()
        return res

    # ------------------------------------------------------------------
    # Connection test and marketplaces
    # ------------------------------------------------------------------
    def action_test_connection(self):
        """Check the credentials by reading the marketplace participations.

        Managers only: it calls Amazon and writes the account.

        :return: a notification saying what happened, in words
        :raise AccessError: the user is not an Amazon manager of the account
        """
        self.ensure_one()
        self._check_amazon_manager(self)
        log = self._sync_marketplaces(trigger="manual")
        if log.state in ("done", "partial"):
            return self._notify(
                self.env._("Connection successful"),
                self.env._(
                    "Amazon answered: %(count)s marketplace(s) available.",
                    count=len(self.available_marketplace_ids),
                ),
                "success",
            )
        return self._notify(
            self.env._("Connection failed"), log.message, "danger", sticky=True
        )

    @api.model
    def _notify_logs(self, title, logs, reload=False):
        """The notification of a run: whether each account's run succeeded,
        failed or stopped early, and why, with a link to the (first) log.

        :param str title: what ran (e.g. "Amazon orders")
        :param logs: amazon.sync.log, one per account
        """
        kind = logs._notification_kind()
        words = {
            "success": self.env._("succeeded"),
            "warning": self.env._("needs attention"),
            "danger": self.env._("failed"),
        }
        lines = [
            (
                f"{log.account_id.name}: {log._outcome_text()}"
                if len(logs) > 1
                else log._outcome_text()
            )
            for log in logs
        ]
        return self._notify(
            f"{title}: {words[kind]}",
            "\n".join(lines) + " (%s)",
            kind,
            sticky=kind != "success",
            log=logs,
            reload=reload,
        )

    @api.model
    def _notify(self, title, message, kind, sticky=False, log=None, reload=True):
        """A notification of Odoo's web client, for what a button did.

        :param kind: success, warning, danger or info
        :param log: amazon.sync.log whose first record the notification links to
        :param reload: reload the view behind it afterwards
        """
        params = {"title": title, "message": message, "type": kind, "sticky": sticky}
        if log:
            params["links"] = [
                {
                    "label": self.env._("open the sync log"),
                    "url": f"/odoo/amazon.sync.log/{log[:1].id}",
                }
            ]
        if reload:
            params["next"] = {"type": "ir.actions.client", "tag": "soft_reload"}
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": params,
        }

    def _run_scheduled_marketplaces(self):
        return self._sync_marketplaces(trigger="scheduled")

    def _sync_marketplaces(self, trigger="manual"):
        """Read the marketplace participations and update the account.

        Failures never raise: they end in the sync log, ``last_error`` and the state.

        :param str trigger: ``manual`` or ``scheduled``
        :return: the sync log of the run
        """
        self.ensure_one()
        try:
            with self._sync_run("marketplaces", trigger=trigger) as run:
                try:
                    payload = self._spapi_call("sellers.getMarketplaceParticipations")
                    run.stats.update(
                        self._apply_marketplace_participations(payload, run.log)
                    )
                except AmazonError as err:
                    if trigger == "manual" or isinstance(err, AmazonAuthError):
                        self._set_connection_error(err)
                    raise
                self.write(
                    {
                        "state": "connected",
                        "last_error": False,
                        "last_connection_date": fields.Datetime.now(),
                    }
                )
            return run.log
        except (AmazonSyncRunning, AmazonAuthError) as err:
            # Refused before starting: already running, or authorization expired.
            log = self.env["amazon.sync.log"]._start(
                self, "marketplaces", trigger=trigger
            )
            log._finish(state="failed", message=str(err))
            return log

    def _apply_marketplace_participations(self, payload, log):
        """Set the available (and default active) marketplaces from Amazon's answer.

        :param list payload: ``getMarketplaceParticipations`` payload
        :param log: the sync log, receiving one line per entry that is skipped
        :return: counts for :meth:`amazon.sync.log._finish`
        :raise AmazonServerError: when the payload is not a list
        """
        if not isinstance(payload, list):
            raise AmazonServerError(
                self.env._("Amazon's marketplace participations are not a list.")
            )
        marketplace_model = self.env["amazon.marketplace"]
        available = marketplace_model
        counts = {"fetched": len(payload), "updated": 0, "skipped": 0, "failed": 0}
        for entry in payload:
            market = (entry or {}).get("marketplace") or {}
            participation = (entry or {}).get("participation") or {}
            amazon_id = market.get("id")
            marketplace = (
                marketplace_model._find_by_amazon_id(amazon_id) if amazon_id else None
            )
            if not marketplace:
                counts["skipped"] += 1
                log._add_line(
                    amazon_id or "?",
                    self.env._(
                        "Marketplace %(name)s is not an Amazon marketplace "
                        "known to Odoo.",
                        name=market.get("name") or amazon_id,
                    ),
                )
                continue
            if not participation.get("isParticipating"):
                counts["skipped"] += 1
                continue
            available |= marketplace
        counts["updated"] = len(available)
        vals = {"available_marketplace_ids": [fields.Command.set(available.ids)]}
        active = self.active_marketplace_ids & available
        if not active:
            active = available.filtered("active")
        vals["active_marketplace_ids"] = [fields.Command.set(active.ids)]
        if self.home_marketplace_id not in available:
            home = available.filtered(
                lambda m: m.country_id == self.company_id.country_id
            ) or available.filtered(lambda m: m.region == self.region)
            vals["home_marketplace_id"] = home[:1].id
        self.write(vals)
        return counts

    def _set_connection_error(self, error):
        """Record a failure on the account: state ``error`` and the message in words."""
        for account in self:
            account.sudo().write(
                {
                    "state": "expired"
                    if getattr(error, "code", None) == "authorization_expired"
                    else "error",
                    "last_error": account._redact(str(error)),
                }
            )

    def _redact(self, text):
        """Hide the account's secrets from a text meant for logs or the user."""
        if not text:
            return text
        for account in self.sudo():
            for field_name in SECRET_FIELDS:
                secret = account[field_name]
                if secret and len(secret) >= 6:
                    text = text.replace(secret, "***")
        return text

    # ------------------------------------------------------------------
    # Authorization renewal
    # ------------------------------------------------------------------
    def _expired_message(self):
        self.ensure_one()
        return self.env._(
            "The authorization of Amazon account %(account)s expired on %(date)s: "
            "renew it in Seller Central (Apps and Services > Manage Your Apps), then "
            "click Renewed on the account.",
            account=self.name,
            date=self.auth_expiry_date and self.auth_expiry_date.isoformat(),
        )

    def _is_authorization_expired(self):
        self.ensure_one()
        return self.state == "expired" or bool(
            self.auth_expiry_date
            and fields.Date.context_today(self) > self.auth_expiry_date
        )

    def _check_authorization_valid(self):
        """Refuse to talk to Amazon once the authorization expired.

        :raise AmazonAuthorizationExpired: with the renewal instructions
        """
        for account in self:
            if account._is_authorization_expired():
                raise AmazonAuthorizationExpired(account._expired_message())

    @api.model
    def _check_amazon_manager(self, records):
        """Refuse, before anything reaches Amazon, a user who may not act there.

        Acting on Amazon (a sync, an acknowledgement, a publication...) is for
        Amazon managers, on the records of their own companies: the group, then
        the write access to ``records`` (their record rules, hence the company),
        then the companies of the Amazon accounts behind them, which must be
        among the user's allowed companies. A superuser environment (the
        scheduled jobs, a flow already checked) passes.

        :param records: what the action acts on (accounts, or records with an
            ``account_id``)
        :raise AccessError: in words, the user is not allowed
        """
        if self.env.su:
            return
        if not self.env.user.has_group(
            "amazon_connector.amazon_connector_group_manager"
        ):
            raise AccessError(
                self.env._("Only Amazon managers can act on Amazon accounts.")
            )
        records.check_access("write")
        if records._name == "amazon.account":
            accounts = records
        elif "account_id" in records._fields:
            accounts = records.sudo().account_id
        else:
            accounts = self.browse()
        foreign = accounts.sudo().company_id - self.env.user.company_ids
        if foreign:
            raise AccessError(
                self.env._(
                    "You cannot act on the Amazon accounts of %(companies)s: "
                    "the company is not among yours.",
                    companies=", ".join(foreign.mapped("name")),
                )
            )

    def _as_sync_runner(self):
        """These accounts, with the rights a synchronization needs.

        A sync creates contacts, sale orders, stock moves, listings... on the
        company's behalf: what the Amazon manager group grants is running it, not
        each of those rights (the scheduled jobs run as superuser likewise).
        The rights and the record access (company included) are checked before
        ``sudo()``, so before any call to Amazon. ``sudo()`` keeps the user, so
        records still show who ran the sync.

        :return: the accounts in a superuser environment
        :raise AccessError: the user is not an Amazon manager of these accounts
        """
        self._check_amazon_manager(self)
        return self.sudo()

    def action_renew_authorization(self):
        """The seller renewed the authorization in Seller Central: restart the
        year and test the connection right away, so that the scheduled syncs of
        an account that had expired run again without anyone pressing Test
        connection.

        :return: a notification saying whether the connection works again
        """
        today = fields.Date.context_today(self)
        retest = self.env["amazon.account"]
        for account in self:
            vals = {"auth_date": today}
            if account.state != "connected":
                vals.update(state="draft", last_error=False)
                retest |= account
            account.write(vals)
            account._renewal_activities().action_feedback(
                feedback=self.env._("Authorization renewed.")
            )
        logs = self.env["amazon.sync.log"]
        for account in retest:
            logs |= account._sync_marketplaces(trigger="manual")
        failed = logs.filtered(lambda log: log.state not in ("done", "partial"))
        if failed:
            return self._notify(
                self.env._("Authorization renewed, but the connection fails"),
                "\n".join(
                    self.env._(
                        "%(account)s: %(reason)s Scheduled syncs stay off until "
                        "Test connection succeeds.",
                        account=log.account_id.name,
                        reason=log.message or "",
                    )
                    for log in failed
                ),
                "warning",
                sticky=True,
            )
        return self._notify(
            self.env._("Authorization renewed"),
            self.env._(
                "The authorization runs until %(date)s; the connection works and "
                "scheduled syncs run again.",
                date=self[:1].auth_expiry_date,
            ),
            "success",
        )

    def _renewal_activities(self):
        activity_type = self.env.ref(
            "amazon_connector.mail_activity_type_amazon_renewal",
            raise_if_not_found=False,
        )
        if not activity_type:
            return self.env["mail.activity"]
        return self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    @api.model
    def _cron_check_authorization(self):
        """Remind the responsible before expiry; mark expired accounts.

        From ``AUTHORIZATION_REMINDER_DAYS`` days before the expiry date a to-do
        activity is scheduled (once) for the responsible user; after the expiry date
        the account is marked expired and syncs refuse to run.
        """
        today = fields.Date.context_today(self)
        limit = today + relativedelta(days=AUTHORIZATION_REMINDER_DAYS)
        accounts = self.search(
            [("auth_expiry_date", "!=", False), ("auth_expiry_date", "<=", limit)]
        )
        for account in accounts:
            if today > account.auth_expiry_date:
                if account.state != "expired":
                    account.write(
                        {"state": "expired", "last_error": account._expired_message()}
                    )
                    account.message_post(body=account._expired_message())
            elif not account._renewal_activities():
                account.activity_schedule(
                    "amazon_connector.mail_activity_type_amazon_renewal",
                    date_deadline=account.auth_expiry_date,
                    summary=self.env._("Renew the Amazon authorization"),
                    note=account._authorization_warning_text(),
                    user_id=(account.user_id or account.create_uid or self.env.user).id,
                )
        return accounts

    # ------------------------------------------------------------------
    # Concurrency
    # ------------------------------------------------------------------
    @staticmethod
    def _sync_lock_key(kind):
        return zlib.crc32(f"amazon_connector.sync:{kind}".encode()) & 0x7FFFFFFF

    @contextmanager
    def _sync_lock(self, kind):
        """Hold the lock of one kind of sync of this account.

        A PostgreSQL advisory lock taken on a dedicated connection, inside its own
        transaction: it does not depend on the caller's transaction (commits and
        rollbacks of the sync do not release it) and it is released when that
        connection's transaction ends, also if the worker dies.

        :param str kind: the kind of sync (``orders``...)
        :raise AmazonSyncRunning: the same sync is already running (retry later)
        :raise AmazonAuthorizationExpired: the authorization expired (a person
            must renew it)
        """
        self.ensure_one()
        self._check_authorization_valid()
        key = self._sync_lock_key(kind)
        lock_cr = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            lock_cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (self.id, key))
            if not lock_cr.fetchone()[0]:
                raise AmazonSyncRunning(
                    self._sync_running_message(lock_cr, kind, key),
                    code="sync_running",
                )
            yield
        finally:
            lock_cr.close()  # rolls back, which releases the lock

    def _sync_running_message(self, lock_cr, kind, key):
        lock_cr.execute(
            """
            SELECT a.xact_start
              FROM pg_locks l
              JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted
               AND l.database = (
                   SELECT oid FROM pg_database WHERE datname = current_database()
               )
               AND l.classid = %s AND l.objid = %s AND l.objsubid = 2
            """,
            (self.id, key),
        )
        row = lock_cr.fetchone()
        since = "?"
        if row and row[0]:
            started = row[0].astimezone(timezone.utc).replace(tzinfo=None)
            since = fields.Datetime.context_timestamp(self, started).strftime("%H:%M")
        return self.env._(
            "A %(kind)s sync of this account is already running since %(time)s.",
            kind=kind,
            time=since,
        )

    # ------------------------------------------------------------------
    # Navigation
    # ------------------------------------------------------------------
    def action_view_sync_logs(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector.amazon_sync_log_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"default_account_id": self.id}
        return action
