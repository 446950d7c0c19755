# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Where each kind of money of a settlement goes in the books.

A settlement line is found its mapping by its transaction type and breakdown: the
leaf breakdown first, then its parents (innermost first), each with the line's
transaction type then with any type; last, the transaction type alone. A line no
mapping covers is never booked anywhere by default: the settlement goes to
review and the line names what is missing.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError

MAPPING_KINDS = [
    ("order", "Customer invoices and credit notes"),
    ("fee", "Amazon fee (fees clearing account)"),
    ("account", "Account"),
]

# (transaction type or None, breakdown type or None, kind, account role).
# Account roles: fee_expense, income, other_income, reserve, transfer.
# Breakdown names are Amazon's (Finances 2024-06-19 breakdownType, as the sandbox
# and Seller Central's settlement reports name them).
DEFAULT_MAPPINGS = [
    # The buyer's money: clears the invoices and credit notes of the orders.
    ("Shipment", "ProductCharges", "order", None),
    ("Shipment", "Principal", "order", None),
    ("Shipment", "Tax", "order", None),
    ("Shipment", "Shipping", "order", None),
    ("Shipment", "ShippingCharge", "order", None),
    ("Shipment", "ShippingTax", "order", None),
    ("Shipment", "GiftWrap", "order", None),
    ("Shipment", "GiftWrapTax", "order", None),
    ("Shipment", "Promotion", "order", None),
    ("Refund", "ProductCharges", "order", None),
    ("Refund", "Principal", "order", None),
    ("Refund", "Tax", "order", None),
    ("Refund", "Shipping", "order", None),
    ("Refund", "ShippingCharge", "order", None),
    ("Refund", "ShippingTax", "order", None),
    ("Refund", "GiftWrap", "order", None),
    ("Refund", "GiftWrapTax", "order", None),
    ("Refund", "Promotion", "order", None),
    # Amazon's fees, invoiced by Amazon: through the fees clearing account.
    (None, "AmazonFees", "fee", "fee_expense"),
    (None, "Commission", "fee", "fee_expense"),
    (None, "RefundCommission", "fee", "fee_expense"),
    (None, "FBAPerUnitFulfillmentFee", "fee", "fee_expense"),
    (None, "FBAWeightBasedFee", "fee", "fee_expense"),
    (None, "FBAFees", "fee", "fee_expense"),
    (None, "ShippingChargeback", "fee", "fee_expense"),
    (None, "ShippingChargeBack", "fee", "fee_expense"),
    (None, "VariableClosingFee", "fee", "fee_expense"),
    (None, "FixedClosingFee", "fee", "fee_expense"),
    (None, "DigitalServicesFee", "fee", "fee_expense"),
    (None, "CostOfAdvertising", "fee", "fee_expense"),
    (None, "AdvertisingFee", "fee", "fee_expense"),
    ("ServiceFee", None, "fee", "fee_expense"),
    (None, "Subscription", "fee", "fee_expense"),
    (None, "SubscriptionFee", "fee", "fee_expense"),
    (None, "FBAStorageFee", "fee", "fee_expense"),
    (None, "StorageFee", "fee", "fee_expense"),
    (None, "FBALongTermStorageFee", "fee", "fee_expense"),
    (None, "CouponRedemptionFee", "fee", "fee_expense"),
    (None, "LightningDealFee", "fee", "fee_expense"),
    # Not fees: reimbursements are income, the reserve is Amazon's debt to us.
    (None, "Reimbursement", "account", "other_income"),
    (None, "FBAInventoryReimbursement", "account", "other_income"),
    (None, "ReversalReimbursement", "account", "other_income"),
    ("Reimbursement", None, "account", "other_income"),
    (None, "ReserveHeld", "account", "reserve"),
    (None, "ReserveReleased", "account", "reserve"),
    (None, "CurrentReserveAmount", "account", "reserve"),
    (None, "PreviousReserveAmountBalance", "account", "reserve"),
    ("Reserve", None, "account", "reserve"),
    # Transaction types the settlement import knows (const.TRANSACTION_TYPE_LABELS).
    ("ReserveHold", None, "account", "reserve"),
    ("ReserveRelease", None, "account", "reserve"),
    ("ProductAdsPayment", None, "fee", "fee_expense"),
    ("Retrocharge", None, "fee", "fee_expense"),
    # A charge-back or A-to-z claim takes the buyer's payment back: it reopens the
    # order's receivable (left open, visible) until a credit note clears it.
    ("Chargeback", None, "order", None),
    ("GuaranteeClaim", None, "order", None),
]


class AmazonSettlementMapping(models.Model):
    _name = "amazon.settlement.mapping"
    _description = "Amazon Settlement Mapping"
    _inherit = "analytic.mixin"
    _order = "company_id, transaction_type, breakdown_type, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    active = fields.Boolean(default=True)
    transaction_type = fields.Char(
        help="Amazon's transaction type (Shipment, Refund, ServiceFee...); empty "
        "for every type."
    )
    breakdown_type = fields.Char(
        string="Breakdown",
        help="Amazon's breakdown type (Commission, FBAPerUnitFulfillmentFee...) or "
        "one of its parents (AmazonFees); empty for every breakdown of the type.",
    )
    kind = fields.Selection(
        MAPPING_KINDS,
        required=True,
        default="account",
        help="Customer invoices: the amount clears the receivable of the order's "
        "invoice or credit note. Amazon fee: booked on the fees clearing account; "
        "the account below is the expense of Amazon's invoice. Account: booked on "
        "the account below.",
    )
    account_id = fields.Many2one(
        "account.account",
        check_company=True,
        help="Expense of the fee (on Amazon's bills), or the account the amount "
        "is booked on.",
    )
    tax_id = fields.Many2one(
        "account.tax",
        check_company=True,
        help="Purchase tax of the fee on Amazon's bills (the company's tax on "
        "Amazon's fees when empty).",
    )

    _sql_constraints = (
        (
            "mapping_uniq",
            "unique(company_id, transaction_type, breakdown_type)",
            "A transaction and breakdown type is mapped once per company.",
        ),
    )

    @api.depends("transaction_type", "breakdown_type")
    def _compute_display_name(self):
        for mapping in self:
            mapping.display_name = " / ".join(
                [
                    mapping.transaction_type or self.env._("Any type"),
                    mapping.breakdown_type or self.env._("Any breakdown"),
                ]
            )

    # --- finding --------------------------------------------------------------------
    @api.model
    def _index(self, company):
        """{(transaction type or False, breakdown or False): mapping}"""
        mappings = self.sudo().search([("company_id", "=", company.id)])
        return {
            (m.transaction_type or False, m.breakdown_type or False): m
            for m in mappings
        }

    @api.model
    def _find(self, index, transaction_type, breakdown_type, breakdown_path):
        """The mapping of a line, or an empty recordset."""
        names = [breakdown_type] if breakdown_type else []
        names += [n for n in reversed((breakdown_path or "").split("/")) if n]
        for name in names:
            for key in ((transaction_type, name), (False, name)):
                if key in index:
                    return index[key]
        return index.get((transaction_type, False)) or self.browse()

    # --- defaults -------------------------------------------------------------------
    @api.model
    def _default_accounts(self, company):
        """The company's own accounts for each role of ``DEFAULT_MAPPINGS``, found
        by type (never by code): what a product category or the chart uses."""
        company = company.with_company(company)
        Account = self.env["account.account"].with_company(company)
        category = self.env.ref("product.product_category_all", False)

        def first(account_types):
            return Account.search(
                [
                    *Account._check_company_domain(company),
                    ("account_type", "in", account_types),
                    ("deprecated", "=", False),
                ],
                order="code",
                limit=1,
            )

        expense = (
            category
            and category.with_company(company).property_account_expense_categ_id
        ) or first(["expense"])
        income = (
            category and category.with_company(company).property_account_income_categ_id
        ) or first(["income"])
        return {
            "fee_expense": expense,
            "income": income,
            "other_income": first(["income_other"]) or income,
            "reserve": company.amazon_reserve_account_id,
            "transfer": company.amazon_transfer_account_id,
        }

    @api.model
    def _create_defaults(self, company):
        """The sensible defaults for ``company``; existing mappings are kept."""
        index = self.with_context(active_test=False)._index(company)
        accounts = self._default_accounts(company)
        vals_list = []
        for transaction_type, breakdown, kind, role in DEFAULT_MAPPINGS:
            if (transaction_type or False, breakdown or False) in index:
                continue
            vals_list.append(
                {
                    "company_id": company.id,
                    "transaction_type": transaction_type,
                    "breakdown_type": breakdown,
                    "kind": kind,
                    "account_id": accounts[role].id if role else False,
                    "tax_id": company.amazon_fee_tax_id.id if kind == "fee" else False,
                }
            )
        return self.create(vals_list)

    def action_create_defaults(self):
        """Create the accounts, journal and default mappings of the current
        company (those that are missing)."""
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(
                self.env._(
                    "Only accounting administrators may configure Amazon's books."
                )
            )
        self.env.company._amazon_settlement_setup()
        return {
            "type": "ir.actions.client",
            "tag": "soft_reload",
        }
