# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import AccessError

from odoo.addons.amazon_connector.models.amazon_sync_schedule_mixin import (
    schedule_fields,
)

from ..const import INVOICE_DATE_SOURCES, INVOICE_POLICIES


class AmazonAccount(models.Model):
    _inherit = "amazon.account"

    invoice_policy_fbm = fields.Selection(
        INVOICE_POLICIES,
        string="Invoice FBM Orders",
        default="never",
        required=True,
        help="When the invoices of merchant-fulfilled orders are created and "
        "posted, whatever the products' own invoicing policy.",
    )
    invoice_policy_fba = fields.Selection(
        INVOICE_POLICIES,
        string="Invoice FBA Orders",
        default="never",
        required=True,
        help="When the invoices of orders fulfilled by Amazon are created and "
        "posted; an FBA order ships when Amazon reports it shipped.",
    )
    invoice_date_source = fields.Selection(
        INVOICE_DATE_SOURCES,
        string="Invoice Date",
        default="shipment",
        required=True,
    )
    amazon_invoice_journal_id = fields.Many2one(
        "account.journal",
        string="Amazon-Issued Invoices Journal",
        domain="[('type', '=', 'sale'), ('company_id', '=', company_id)]",
        check_company=True,
        help="Sales of orders whose invoice Amazon issues to the buyer "
        "(program INVOICE_BY_AMAZON) are recorded here, never sent, so that the "
        "numbering of the sales journal has no gap and no second document exists.",
    )
    marketplace_facilitator_position_id = fields.Many2one(
        "account.fiscal.position",
        string="VAT Collected by Amazon",
        check_company=True,
        help="Fiscal position of the items whose VAT Amazon collects and remits "
        "(marketplace facilitator): it must map the sales taxes to no tax.",
    )
    fba_ship_from_country_id = fields.Many2one(
        "res.country",
        string="FBA Ships From",
        help="Country of the fulfilment centres of this account, for the FBA orders "
        "of which Amazon does not say where they left from. When the company has a "
        "fiscal position with a foreign VAT number for the country an order ships "
        "from, an order to a buyer in that same country is a domestic sale there, "
        "not a One-Stop-Shop sale.",
    )
    fba_damaged_location_id = fields.Many2one(
        "stock.location",
        string="FBA Damaged Returns",
        check_company=True,
        help="Where FBA customer returns that Amazon cannot sell again go.",
    )
    refund_import_active = fields.Boolean(
        string="Import Refunds",
        help="Read Amazon's refunds (Finances API) and make credit notes.",
    )
    refund_import_from = fields.Datetime(
        string="Refunds Read Until",
        copy=False,
        help="Transactions posted before this time were read.",
    )
    return_import_active = fields.Boolean(
        string="Import Returns",
        help="Read Amazon's returns reports and bring the items back to stock.",
    )
    # The refunds and returns imports run on the account's own scheduled actions
    # (amazon.sync.schedule), switched on by the two settings above.
    refunds_sync_active = fields.Boolean(
        string="Scheduled Refunds Sync", related="refund_import_active", readonly=False
    )
    (
        refunds_interval_number,
        refunds_interval_type,
        refunds_next_run,
    ) = schedule_fields("refunds", "Refunds", 6, "hours")[1:]
    returns_sync_active = fields.Boolean(
        string="Scheduled Returns Sync", related="return_import_active", readonly=False
    )
    (
        returns_interval_number,
        returns_interval_type,
        returns_next_run,
    ) = schedule_fields("returns", "Returns", 1, "hours")[1:]
    return_import_fbm_from = fields.Datetime(
        string="FBM Returns Read Until", copy=False
    )
    return_import_fba_from = fields.Datetime(
        string="FBA Returns Read Until", copy=False
    )
    return_report_fbm_id = fields.Char(
        string="FBM Returns Report Requested", copy=False, readonly=True
    )
    return_report_fba_id = fields.Char(
        string="FBA Returns Report Requested", copy=False, readonly=True
    )
    seller_invoice_import_active = fields.Boolean(
        string="Import Amazon's Invoices",
        help="Read the invoices Amazon issues to the seller (fees) and make "
        "vendor bills.",
    )
    seller_invoice_import_from = fields.Datetime(
        string="Amazon's Invoices Read Until", copy=False
    )
    # --- settlements (kind "settlements") --------------------------------------
    (
        settlements_sync_active,
        settlements_interval_number,
        settlements_interval_type,
        settlements_next_run,
    ) = schedule_fields("settlements", "Settlements", 6, "hours")
    settlement_import_from = fields.Datetime(
        string="Settlements Listed From",
        copy=False,
        help="The next import lists the settlements Amazon opened after this time "
        "(the start of the oldest one still open).",
    )
    amazon_settlement_count = fields.Integer(compute="_compute_amazon_finance_counts")
    amazon_finance_transaction_count = fields.Integer(
        compute="_compute_amazon_finance_counts"
    )
    amazon_return_count = fields.Integer(compute="_compute_amazon_finance_counts")

    def _compute_amazon_finance_counts(self):
        for account in self:
            account.amazon_finance_transaction_count = self.env[
                "amazon.finance.transaction"
            ].search_count([("account_id", "=", account.id)])
            account.amazon_return_count = self.env["amazon.return"].search_count(
                [("account_id", "=", account.id)]
            )
            account.amazon_settlement_count = self.env[
                "amazon.settlement"
            ].search_count([("account_id", "=", account.id)])

    def _settlement_reads_payouts(self):
        """Transfers ``listPayouts`` serves the EU marketplaces."""
        self.ensure_one()
        return self.region == "eu"

    def _ensure_order_setup(self):
        """Also the journal of the invoices Amazon issues (INVOICE_BY_AMAZON)."""
        res = super()._ensure_order_setup()
        for account in self:
            if not account.amazon_invoice_journal_id and account.company_id:
                journal = (
                    self.env["account.journal"]
                    .sudo()
                    .create(account._prepare_amazon_invoice_journal())
                )
                account.sudo().amazon_invoice_journal_id = journal
        return res

    def _prepare_amazon_invoice_journal(self):
        self.ensure_one()
        Journal = self.env["account.journal"].sudo()
        code, index = "AMZI", 1
        while Journal.search_count(
            [("code", "=", code), ("company_id", "=", self.company_id.id)]
        ):
            index += 1
            code = f"AMI{index}"[:5]
        return {
            "name": self.env._("Amazon-issued invoices %s", self.name),
            "code": code,
            "type": "sale",
            "company_id": self.company_id.id,
        }

    def _get_invoice_policy(self, channel):
        """:return: never / import / ship for a fulfilment channel (fbm, fba)"""
        self.ensure_one()
        return self.invoice_policy_fba if channel == "fba" else self.invoice_policy_fbm

    # --- actions ----------------------------------------------------------------
    def _check_amazon_import_rights(self):
        """Reading Amazon's money and returns is a manager's run, as the other
        imports: an Amazon user or an accountant only reads the results."""
        if not self.env.user.has_group(
            "amazon_connector.amazon_connector_group_manager"
        ):
            raise AccessError(self.env._("Only Amazon managers may run imports."))
        self.check_access("write")

    def action_amazon_import_refunds(self):
        """Read Amazon's refunds now and make their credit notes."""
        self._check_amazon_import_rights()
        for account in self:
            self.env["amazon.finance.importer"]._run(account)
        return True

    def action_amazon_import_returns(self):
        """Read Amazon's returns reports now and bring the items back to stock."""
        self._check_amazon_import_rights()
        for account in self:
            self.env["amazon.return.importer"]._run(account)
        return True

    def action_amazon_import_seller_invoices(self):
        """Read Amazon's invoices to the seller now and make their vendor bills."""
        self._check_amazon_import_rights()
        for account in self:
            self.env["amazon.seller.invoice.importer"]._run(account)
        return True

    def action_amazon_import_settlements(self):
        """Read Amazon's settlements now: new and open groups, their transactions
        and payouts.

        :return: a client notification with the counts and a link to the log
        """
        self._check_amazon_import_rights()
        logs = self.env["amazon.sync.log"]
        for account in self._as_sync_runner():
            logs |= account.env["amazon.settlement.importer"]._run(account)
        return self._notify_logs(self.env._("Amazon settlements"), logs)

    def action_view_amazon_settlements(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_account.amazon_settlement_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        return action

    def _run_scheduled_settlements(self):
        """Called by the account's scheduled action (see amazon.sync.schedule):
        the settlements, then Amazon's invoices to the seller when the account
        reads them (the bills that clear the settlements' fees)."""
        for account in self.filtered(lambda a: a.account_type == "seller"):
            self.env["amazon.settlement.importer"]._run(account, trigger="scheduled")
            if account.seller_invoice_import_active:
                self.env["amazon.seller.invoice.importer"]._run(
                    account, trigger="scheduled"
                )

    def action_view_amazon_finance_transactions(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_account.amazon_finance_transaction_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        return action

    def action_view_amazon_returns(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_account.amazon_return_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        return action

    def _run_scheduled_refunds(self):
        """Called by the account's scheduled action (see amazon.sync.schedule)."""
        for account in self.filtered(lambda a: a.account_type == "seller"):
            self.env["amazon.finance.importer"]._run(account, trigger="scheduled")

    def _run_scheduled_returns(self):
        """Called by the account's scheduled action (see amazon.sync.schedule)."""
        for account in self.filtered(lambda a: a.account_type == "seller"):
            self.env["amazon.return.importer"]._run(account, trigger="scheduled")
