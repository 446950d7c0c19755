# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Amazon's settlements: one per financial event group (Finances v0
``listFinancialEventGroups``), with a line per leaf breakdown of each of its
transactions (Finances 2024-06-19 ``listTransactions`` by group id). Importing
them is ``amazon.settlement.importer``; booking them is another file's job."""

from collections import defaultdict

from odoo import api, fields, models

from ..const import SETTLEMENT_KINDS, TRANSACTION_TYPE_LABELS

SETTLEMENT_PROCESSING_STATUSES = [("open", "Open"), ("closed", "Closed")]
SETTLEMENT_STATES = [
    ("open", "Open"),
    ("closed", "Closed"),
    ("to_review", "To review"),
    ("booked", "Booked"),
    ("reconciled", "Reconciled"),
]
SETTLEMENT_LINE_STATUSES = [
    ("released", "Released"),
    ("deferred", "Deferred"),
    ("deferred_released", "Deferred, released"),
]


class AmazonSettlement(models.Model):
    _name = "amazon.settlement"
    _description = "Amazon Settlement"
    _order = "start_date desc, id desc"
    _check_company_auto = True

    account_id = fields.Many2one(
        "amazon.account", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(
        related="account_id.company_id", store=True, index=True, readonly=True
    )
    name = fields.Char(
        string="Financial Event Group", required=True, readonly=True, index=True
    )
    processing_status = fields.Selection(
        SETTLEMENT_PROCESSING_STATUSES,
        string="Amazon Status",
        readonly=True,
        help="Open: Amazon still adds transactions to it. Closed: Amazon paid it.",
    )
    state = fields.Selection(
        SETTLEMENT_STATES, default="open", required=True, index=True, readonly=True
    )
    start_date = fields.Datetime(readonly=True)
    end_date = fields.Datetime(readonly=True)
    fund_transfer_date = fields.Datetime(readonly=True)
    fund_transfer_status = fields.Char(readonly=True)
    trace_reference = fields.Char(
        string="Trace Id",
        readonly=True,
        help="Amazon's TraceId: the reference the bank statement line of the "
        "deposit carries.",
    )
    account_tail = fields.Char(
        string="Bank Account Tail",
        readonly=True,
        help="The last digits of the bank account Amazon pays.",
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    original_total = fields.Monetary(
        string="Amazon Total",
        readonly=True,
        help="What Amazon pays for this settlement, in its currency.",
    )
    converted_total = fields.Float(readonly=True)
    converted_currency_id = fields.Many2one("res.currency", readonly=True)
    beginning_balance = fields.Monetary(readonly=True)
    payout_reference = fields.Char(string="Payout", readonly=True)
    payout_state = fields.Char(string="Payout Status", readonly=True)
    line_ids = fields.One2many(
        "amazon.settlement.line", "settlement_id", string="Lines", readonly=True
    )
    released_total = fields.Monetary(
        compute="_compute_totals",
        store=True,
        help="The lines whose money Amazon released (not deferred).",
    )
    deferred_total = fields.Monetary(
        compute="_compute_totals",
        store=True,
        help="The lines Amazon holds back (deferred): not paid until released.",
    )
    difference = fields.Monetary(
        compute="_compute_totals",
        store=True,
        help="Amazon's total less the beginning balance and the released lines: "
        "zero when the lines explain the payout.",
    )
    sales_total = fields.Monetary(string="Sales", compute="_compute_totals", store=True)
    refund_total = fields.Monetary(
        string="Refunds", compute="_compute_totals", store=True
    )
    fee_total = fields.Monetary(string="Fees", compute="_compute_totals", store=True)
    other_total = fields.Monetary(string="Other", compute="_compute_totals", store=True)
    transaction_count = fields.Integer(string="Transactions", compute="_compute_counts")
    order_count = fields.Integer(string="Orders", compute="_compute_counts")
    import_message = fields.Text(
        string="Import Errors",
        readonly=True,
        help="What could not be read at the last import of this settlement.",
    )
    last_import_date = fields.Datetime(string="Last Read", readonly=True)
    transactions_read = fields.Boolean(
        readonly=True,
        copy=False,
        help="The transactions were read after Amazon closed the settlement: "
        "nothing more comes.",
    )

    _sql_constraints = (
        (
            "settlement_uniq",
            "unique(account_id, name)",
            "An Amazon financial event group is recorded once per account.",
        ),
    )

    @api.depends(
        "line_ids.amount",
        "line_ids.deferred",
        "line_ids.amount_kind",
        "original_total",
        "beginning_balance",
    )
    def _compute_totals(self):
        # one query for all the settlements (they may hold thousands of lines)
        sums = defaultdict(float)
        real = self.filtered("id")
        if real:
            self.env["amazon.settlement.line"].flush_model(
                ["settlement_id", "amount", "deferred", "amount_kind"]
            )
            groups = self.env["amazon.settlement.line"]._read_group(
                [("settlement_id", "in", real.ids)],
                ["settlement_id", "deferred", "amount_kind"],
                ["amount:sum"],
            )
            for settlement, deferred, kind, amount in groups:
                key = "deferred" if deferred else (kind or "other")
                sums[(settlement.id, key)] += amount
        for settlement in self:
            if settlement.id:
                totals = {
                    key: sums[(settlement.id, key)]
                    for key in ("sale", "refund", "fee", "other", "deferred")
                }
            else:  # a new record in a form: its lines in memory
                totals = dict.fromkeys(
                    ("sale", "refund", "fee", "other", "deferred"), 0
                )
                for line in settlement.line_ids:
                    key = "deferred" if line.deferred else (line.amount_kind or "other")
                    totals[key] += line.amount
            released = sum(totals[k] for k in ("sale", "refund", "fee", "other"))
            currency = settlement.currency_id
            rounding = currency.round if currency else (lambda x: round(x, 2))
            settlement.released_total = rounding(released)
            settlement.deferred_total = rounding(totals["deferred"])
            settlement.sales_total = rounding(totals["sale"])
            settlement.refund_total = rounding(totals["refund"])
            settlement.fee_total = rounding(totals["fee"])
            settlement.other_total = rounding(totals["other"])
            settlement.difference = rounding(
                settlement.original_total - settlement.beginning_balance - released
            )

    def _compute_counts(self):
        data = {}
        if self.ids:
            self.env.cr.execute(
                """
                SELECT settlement_id, COUNT(DISTINCT transaction_reference),
                       COUNT(DISTINCT amazon_order_id)
                  FROM amazon_settlement_line
                 WHERE settlement_id IN %s
                 GROUP BY settlement_id
                """,
                (tuple(self.ids),),
            )
            data = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for settlement in self:
            transactions, orders = data.get(settlement.id, (0, 0))
            settlement.transaction_count = transactions
            settlement.order_count = orders

    def _settlement_needs_reading(self):
        """Whether the next import reads this settlement's transactions."""
        self.ensure_one()
        return (not self.import_message or bool(self.currency_id)) and (
            self.processing_status == "open" or not self.transactions_read
        )

    def action_view_lines(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "amazon_connector_account.amazon_settlement_line_action"
        )
        action["domain"] = [("settlement_id", "=", self.id)]
        action["context"] = {"search_default_group_type": 1}
        return action

    def action_view_orders(self):
        self.ensure_one()
        self.check_access("read")
        orders = self.line_ids.sale_order_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders paid by %s", self.name),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": [("id", "in", orders.ids)],
        }

    def action_amazon_reimport(self):
        """Read this settlement again from Amazon (its totals and transactions).

        :raise AccessError: the user is not an Amazon manager
        """
        self.account_id._check_amazon_import_rights()
        for settlement in self:
            self.env["amazon.settlement.importer"]._run_groups(settlement)
        return True


class AmazonSettlementLine(models.Model):
    """One leaf breakdown of a transaction of a settlement (per item when Amazon
    itemizes it). The lines of a transaction sum to its total amount."""

    _name = "amazon.settlement.line"
    _description = "Amazon Settlement Line"
    _order = "posted_date, transaction_reference, sequence, id"
    # No automatic company check: the importer makes thousands of lines a run,
    # each of its settlement's account (its orders and transactions are searched
    # on that account, hence its company).

    settlement_id = fields.Many2one(
        "amazon.settlement", required=True, ondelete="cascade", index=True
    )
    # precomputed: set in the INSERT of a page's lines, not by an UPDATE after it
    # (half the database time of a settlement's import)
    company_id = fields.Many2one(
        related="settlement_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer()
    finance_transaction_id = fields.Many2one(
        "amazon.finance.transaction",
        string="Transaction",
        index=True,
        check_company=True,
    )
    transaction_reference = fields.Char(string="Amazon Transaction", index=True)
    transaction_type = fields.Char(string="Amazon Type")
    transaction_type_label = fields.Char(
        string="Transaction Type", compute="_compute_transaction_type_label"
    )
    transaction_type_code = fields.Selection(
        TRANSACTION_TYPE_LABELS,
        string="Known Type",
        compute="_compute_transaction_type_label",
        help="The transaction type when the connector knows it (its words).",
    )
    transaction_status = fields.Selection(
        SETTLEMENT_LINE_STATUSES, string="Status", default="released"
    )
    deferred = fields.Boolean(
        compute="_compute_deferred",
        store=True,
        precompute=True,
        help="Amazon holds this money back: it is not paid until released.",
    )
    amount_kind = fields.Selection(
        SETTLEMENT_KINDS,
        string="Kind",
        help="Which total of the settlement the line counts in.",
    )
    amazon_order_id = fields.Char(index=True)
    sale_order_id = fields.Many2one(
        "sale.order", index="btree_not_null", check_company=True
    )
    item_reference = fields.Char(string="Amazon Item")
    sku = fields.Char(string="SKU")
    quantity = fields.Float()
    breakdown_type = fields.Char(string="Breakdown")
    breakdown_path = fields.Char(
        help="The breakdown's parents, outermost first ('/' separated)."
    )
    description = fields.Char()
    amount = fields.Monetary()
    currency_id = fields.Many2one("res.currency")
    posted_date = fields.Datetime(index=True)
    marketplace_id = fields.Many2one("amazon.marketplace")

    @api.depends("transaction_status")
    def _compute_deferred(self):
        for line in self:
            line.deferred = line.transaction_status == "deferred"

    @api.depends("transaction_type")
    def _compute_transaction_type_label(self):
        labels = dict(
            self._fields["transaction_type_code"]._description_selection(self.env)
        )
        for line in self:
            kind = line.transaction_type or ""
            line.transaction_type_code = kind if kind in labels else False
            line.transaction_type_label = labels.get(kind) or _split_words(kind)


def _split_words(name):
    """``ServiceFee`` -> ``Service fee`` for a type the connector has no words for."""
    words, current = [], ""
    for char in name:
        if char.isupper() and current and not current[-1].isupper():
            words.append(current)
            current = char
        else:
            current += char
    if current:
        words.append(current)
    text = " ".join(words).replace("_", " ")
    return text[:1].upper() + text[1:].lower() if text else ""
