# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a company needs to book Amazon's settlements: a journal, three accounts of
its own chart and Amazon's EU entity as a vendor. Made on demand (the first
booking, or the mapping screen's button), found again afterwards, never by code."""

from odoo import Command, fields, models

# Amazon's EU entity that invoices the sellers' fees (Amazon Services Europe).
AMAZON_EU_NAME = "Amazon EU S.a r.l."
AMAZON_EU_VAT = "LU20260743"
# l10n_it's purchase tax for services bought from another EU state, reverse
# charge (template xml id in l10n_it/data/template/account.tax-it.csv: "22% S RC").
IT_EU_SERVICES_REVERSE_CHARGE = "22rcs"


class ResCompany(models.Model):
    _inherit = "res.company"

    amazon_settlement_journal_id = fields.Many2one(
        "account.journal", string="Amazon Settlements Journal"
    )
    amazon_transfer_account_id = fields.Many2one(
        "account.account",
        string="Amazon Transfers",
        help="Outstanding receipts: the payouts Amazon sent, until the bank "
        "statement line of the deposit is matched.",
    )
    amazon_fees_clearing_account_id = fields.Many2one(
        "account.account",
        string="Amazon Fees Clearing",
        help="Amazon's payable account: the settlements debit the fees Amazon "
        "withheld, Amazon's invoices credit it; its balance is what is not "
        "matched yet.",
    )
    amazon_reserve_account_id = fields.Many2one(
        "account.account",
        string="Amazon Reserve",
        help="Money Amazon holds back from a payout and releases later.",
    )
    amazon_vendor_partner_id = fields.Many2one(
        "res.partner",
        string="Amazon Invoicing Entity",
        help="The vendor of Amazon's invoices of fees (Amazon's EU entity).",
    )
    amazon_fee_tax_id = fields.Many2one(
        "account.tax",
        string="Tax on Amazon's Fees",
        domain="[('type_tax_use', '=', 'purchase'), ('company_id', '=', id)]",
        help="Purchase tax of the fees Amazon invoices; for an Italian company, "
        "the reverse charge on services from another EU state.",
    )

    # --- setup ----------------------------------------------------------------------
    def _amazon_settlement_setup(self):
        """Journal, accounts, vendor and default mappings, for companies with a chart.

        :return: the companies that are ready to book
        """
        ready = self.browse()
        for company in self.sudo():
            if not company.chart_template:
                continue
            company = company.with_company(company)
            vals = {}
            if not company.amazon_transfer_account_id:
                vals["amazon_transfer_account_id"] = company._amazon_new_account(
                    self.env._("Amazon transfers"),
                    "asset_current",
                    company.transfer_account_id,
                ).id
            if not company.amazon_reserve_account_id:
                vals["amazon_reserve_account_id"] = company._amazon_new_account(
                    self.env._("Amazon reserve"),
                    "asset_current",
                    company.transfer_account_id,
                ).id
            if not company.amazon_fees_clearing_account_id:
                payable = company.partner_id.property_account_payable_id
                vals["amazon_fees_clearing_account_id"] = company._amazon_new_account(
                    self.env._("Amazon fees clearing"), "liability_payable", payable
                ).id
            if vals:
                company.write(vals)
            if not company.amazon_settlement_journal_id:
                company.amazon_settlement_journal_id = company._amazon_new_journal()
            if not company.amazon_vendor_partner_id:
                company.amazon_vendor_partner_id = company._amazon_vendor_partner()
            if not company.amazon_fee_tax_id and company.chart_template == "it":
                company.amazon_fee_tax_id = (
                    self.env["account.chart.template"]
                    .with_company(company)
                    .ref(IT_EU_SERVICES_REVERSE_CHARGE, raise_if_not_found=False)
                )
            self.env["amazon.settlement.mapping"].sudo()._create_defaults(company)
            ready |= company
        return ready.sudo(False).with_env(self.env)

    def _amazon_new_account(self, name, account_type, near):
        """A reconcilable account of the company's chart, numbered after ``near``."""
        self.ensure_one()
        Account = self.env["account.account"].with_company(self)
        start = near.code or "1"
        return Account.create(
            {
                "name": name,
                "code": Account._search_new_account_code(start),
                "account_type": account_type,
                "reconcile": True,
            }
        )

    def _amazon_new_journal(self):
        self.ensure_one()
        Journal = self.env["account.journal"]
        code, index = "AMZS", 1
        while Journal.search_count([("code", "=", code), ("company_id", "=", self.id)]):
            index += 1
            code = f"AMS{index}"[:5]
        return Journal.create(
            {
                "name": self.env._("Amazon settlements"),
                "code": code,
                "type": "general",
                "company_id": self.id,
            }
        )

    def _amazon_vendor_partner(self):
        """Amazon's EU entity, a vendor whose payable account is the fees clearing
        account, so that its bills credit what the settlements debited."""
        self.ensure_one()
        Partner = self.env["res.partner"].with_company(self)
        partner = Partner.search(
            [
                ("vat", "=", AMAZON_EU_VAT),
                ("company_id", "in", (False, self.id)),
            ],
            limit=1,
        )
        if not partner:
            partner = Partner.create(
                {
                    "name": AMAZON_EU_NAME,
                    "is_company": True,
                    "vat": AMAZON_EU_VAT,
                    "street": "38 avenue John F. Kennedy",
                    "zip": "1855",
                    "city": "Luxembourg",
                    "country_id": self.env.ref("base.lu").id,
                    "company_id": self.id,
                    "bank_ids": [Command.clear()],
                }
            )
        partner.with_company(
            self
        ).property_account_payable_id = self.amazon_fees_clearing_account_id
        return partner

    def _amazon_reconcile_fees_clearing(self):
        """Match what the settlements withheld with Amazon's bills, per currency."""
        for company in self.sudo():
            account = company.amazon_fees_clearing_account_id
            if not account:
                continue
            lines = self.env["account.move.line"].search(
                [
                    ("company_id", "=", company.id),
                    ("account_id", "=", account.id),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ]
            )
            for currency in lines.currency_id:
                same = lines.filtered(lambda line, c=currency: line.currency_id == c)
                if any(x.balance > 0 for x in same) and any(
                    x.balance < 0 for x in same
                ):
                    same.reconcile()
