# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A closed settlement becomes one balanced journal entry per currency.

- The buyer's money (mapping kind "order") is booked per order on the receivable of
  the order's invoice and reconciled with the invoice and its credit notes: a
  shipment pays the invoice, a refund pays back the credit note.
- Amazon's fees (kind "fee") debit the fees clearing account, Amazon's payable
  account: Amazon's own invoices (vendor bills) credit it, so a fee is expensed once,
  by the bill, whichever arrives first; the open balance is what is not matched.
- Other money (kind "account": reserve, reimbursements...) on the mapped account.
- The payout (``original_total``) on the "Amazon transfers" account, outstanding
  until the bank statement line of the deposit is matched (amazon_bank_match.py).

Deferred lines (money Amazon has not released) are not booked: a line is booked
once, in the first booking after its release. Nothing is dropped: a line without a
mapping, an order Odoo does not know, or a difference between Amazon's total and
its lines sends the settlement to review, with what is missing on the line.
"""

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_is_zero

# The pseudo transaction type a difference between Amazon's total and the lines
# must be mapped to before the settlement books (no default: it is never hidden).
DIFFERENCE_TYPE = "Difference"
BOOKABLE_STATES = ("closed", "to_review")


class AmazonSettlement(models.Model):
    _inherit = "amazon.settlement"

    move_ids = fields.One2many(
        "account.move", "amazon_settlement_id", string="Journal Entries", readonly=True
    )
    review_message = fields.Text(string="To Review", readonly=True, copy=False)
    booked_date = fields.Date(string="Booked On", readonly=True, copy=False)
    bank_statement_line_id = fields.Many2one(
        "account.bank.statement.line",
        string="Bank Deposit",
        readonly=True,
        copy=False,
        help="The bank statement line of the payout: proposed, then confirmed.",
    )
    bank_match_state = fields.Selection(
        [
            ("none", "Not found"),
            ("proposed", "Proposed"),
            ("confirmed", "Confirmed"),
        ],
        string="Bank Match",
        default="none",
        readonly=True,
        copy=False,
    )
    transfer_move_line_ids = fields.Many2many(
        "account.move.line",
        compute="_compute_transfer_move_line_ids",
        string="Payout Journal Items",
    )

    @api.depends("move_ids.line_ids")
    def _compute_transfer_move_line_ids(self):
        for settlement in self:
            account = settlement.company_id.amazon_transfer_account_id
            settlement.transfer_move_line_ids = settlement.move_ids.line_ids.filtered(
                lambda line, account=account: line.account_id == account
            )

    # --- actions --------------------------------------------------------------------
    def _check_amazon_accountant(self):
        """Invoicing users book (the settlement itself is read-only to them: the
        booking writes it as the system once the user may read it).

        :return: the settlements, as the system
        """
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(
                self.env._("Only invoicing users may book Amazon's settlements.")
            )
        self.check_access("read")
        return self.sudo()

    def action_amazon_book(self):
        """Book the selected closed settlements (those to review again)."""
        settlements = self._check_amazon_accountant()
        for settlement in settlements:
            if (
                settlement.state not in BOOKABLE_STATES
                and not settlement._amazon_released_to_book()
            ):
                raise UserError(
                    self.env._(
                        "Settlement %s is not closed: Amazon still adds to it, or it "
                        "is booked already.",
                        settlement.name,
                    )
                )
        settlements._amazon_book()
        return True

    def action_amazon_reset(self):
        """Remove the settlement's entries (and its bank match): back to closed."""
        self._check_amazon_accountant()._amazon_reset()
        return True

    def _amazon_released_to_book(self):
        """Lines released after the settlement was booked (deferred before)."""
        self.ensure_one()
        return self.line_ids.filtered(lambda x: not x.deferred and not x.booked)

    # --- bank match (amazon_settlement_bank.py) -------------------------------------
    def action_amazon_find_bank_match(self):
        """Look for the bank statement line of the deposit again."""
        self._check_amazon_accountant()._amazon_propose_bank_match()
        return True

    def action_amazon_confirm_bank_match(self):
        """Reconcile the proposed bank statement line with the payout."""
        for settlement in self._check_amazon_accountant():
            if settlement.state != "booked" or not settlement.bank_statement_line_id:
                raise UserError(
                    self.env._(
                        "Settlement %s has no proposed bank deposit to confirm.",
                        settlement.name,
                    )
                )
            settlement._amazon_confirm_bank_match()
        return True

    def action_amazon_undo_bank_match(self):
        """Undo the reconciliation of the bank deposit: back to booked."""
        settlements = self._check_amazon_accountant()
        for settlement in settlements.filtered(lambda s: s.state == "reconciled"):
            settlement._amazon_undo_bank_match()
        return True

    def _amazon_propose_bank_match(self):
        self.env["amazon.settlement.bank.match"]._propose(self)

    def _amazon_confirm_bank_match(self):
        self.env["amazon.settlement.bank.match"]._confirm(self)

    def _amazon_undo_bank_match(self):
        self.env["amazon.settlement.bank.match"]._undo(self)

    # --- booking --------------------------------------------------------------------
    def _amazon_book(self):
        """Book each settlement of ``self`` or send it to review.

        :return: the settlements booked
        """
        booked = self.browse()
        for settlement in self.filtered(
            lambda s: (
                s.state in BOOKABLE_STATES
                or (
                    s.state in ("booked", "reconciled") and s._amazon_released_to_book()
                )
            )
        ):
            with self.env.cr.savepoint():
                if settlement._amazon_book_one():
                    booked |= settlement
        booked._amazon_propose_bank_match()
        return booked

    def _amazon_book_one(self):
        self.ensure_one()
        company = self.company_id
        if not company._amazon_settlement_setup():
            return self._amazon_to_review(
                self.env._("The company %s has no chart of accounts.", company.name)
            )
        index = self.env["amazon.settlement.mapping"]._index(company)
        lines = self.line_ids.filtered(lambda x: not x.deferred and not x.booked)
        plan, problems = self._amazon_booking_plan(lines, index)
        # A first booking explains Amazon's total; a later one (lines released
        # after it) only books those lines, paid by a later payout.
        first = self.state in BOOKABLE_STATES
        rounding = self.currency_id.rounding
        if first and not float_is_zero(
            self.beginning_balance, precision_rounding=rounding
        ):
            # Money carried from the previous settlement: what it held back.
            reserve = self.env["amazon.settlement.mapping"].new(
                {
                    "kind": "account",
                    "account_id": company.amazon_reserve_account_id.id,
                    "transaction_type": self.env._("Beginning balance"),
                }
            )
            plan["account", reserve] += [(None, self.beginning_balance)]
        difference = self.difference if first else 0.0
        if not float_is_zero(difference, precision_rounding=rounding):
            mapping = index.get((DIFFERENCE_TYPE, False))
            if mapping and mapping.account_id:
                plan["account", mapping] += [(None, difference)]
            else:
                problems.append(
                    self.env._(
                        "Amazon's total differs from its lines by %(amount)s "
                        "%(currency)s: map the type %(type)s to an account to book "
                        "it, or import the settlement again.",
                        amount=difference,
                        currency=self.currency_id.name,
                        type=DIFFERENCE_TYPE,
                    )
                )
        if problems:
            return self._amazon_to_review("\n".join(problems))
        receivables = self._amazon_receivables_by_order(
            self.env["sale.order"].concat(
                *(key for kind, key in plan if kind == "order")
            )
        )
        moves = self._amazon_create_moves(plan, lines, receivables)
        with self.env["res.partner"]._amazon_ranks_batched() as env:
            moves.with_env(env).action_post()
        self.with_context(amazon_settlement_booking=True)._amazon_reconcile(
            moves, receivables
        )
        self.write(
            {
                "state": "booked",
                "review_message": False,
                "booked_date": fields.Date.context_today(self),
            }
        )
        return True

    def _amazon_to_review(self, message):
        self.write({"state": "to_review", "review_message": message})
        return False

    def _amazon_booking_plan(self, lines, index):
        """Group the lines by where they go.

        :return: ({(kind, key): [(line or None, amount)]}, [problems]);
            key is the sale order (order), the mapping (fee, account)
        """
        Mapping = self.env["amazon.settlement.mapping"]
        plan = defaultdict(list)
        problems = []
        orders = self._amazon_orders(lines)
        # ids gathered in lists: a recordset grown line by line (|=) copies
        # itself each time, quadratic over a settlement's 20,000 lines
        outcome = defaultdict(list)
        to_link = defaultdict(list)
        for line in lines:
            mapping = Mapping._find(
                index, line.transaction_type, line.breakdown_type, line.breakdown_path
            )
            note = False
            if not mapping:
                note = self.env._(
                    "No mapping for %(type)s / %(breakdown)s: add one in Amazon > "
                    "Accounting > Configuration > Settlement Mappings.",
                    type=line.transaction_type or "?",
                    breakdown=line.breakdown_type or "?",
                )
            elif mapping.kind == "order":
                order = line.sale_order_id or orders.get(line.amazon_order_id)
                if not order:
                    note = self.env._(
                        "Order %s is not in Odoo: import it, then book again.",
                        line.amazon_order_id or "?",
                    )
                else:
                    plan["order", order] += [(line, line.amount)]
                    if not line.sale_order_id:
                        to_link[order].append(line.id)
            elif mapping.kind == "account" and not mapping.account_id:
                note = self.env._(
                    "The mapping %s has no account.", mapping.display_name
                )
            else:
                plan[mapping.kind, mapping] += [(line, line.amount)]
            outcome[mapping, note].append(line.id)
            if note:
                problems.append(f"{line.transaction_reference or ''}: {note}")
        Line = self.env["amazon.settlement.line"]
        for (mapping, note), ids in outcome.items():
            Line.browse(ids).write({"mapping_id": mapping.id, "booking_note": note})
        for order, ids in to_link.items():
            Line.browse(ids).sale_order_id = order
        return plan, problems

    def _amazon_orders(self, lines):
        """{Amazon order id: sale order} of the lines' orders."""
        order_ids = {x.amazon_order_id for x in lines if x.amazon_order_id}
        orders = self.env["sale.order"].search(
            [
                ("amazon_account_id", "=", self.account_id.id),
                ("amazon_order_id", "in", list(order_ids)),
            ]
        )
        return {order.amazon_order_id: order for order in orders}

    def _amazon_move_date(self):
        moment = self.end_date or self.fund_transfer_date or fields.Datetime.now()
        return fields.Date.context_today(self, moment)

    def _amazon_create_moves(self, plan, lines, receivables):
        """One entry per currency; each group one journal item, the payout on the
        transfers account, the rounding of the conversion with it."""
        if not plan:
            # Nothing released (or a zero payout): nothing to book.
            lines.write({"booked": True})
            return self.env["account.move"]
        company = self.company_id
        date = self._amazon_move_date()
        by_currency = defaultdict(list)
        for (kind, key), entries in plan.items():
            for line, amount in entries:
                currency = (
                    line.currency_id if line is not None else self.currency_id
                ) or self.currency_id
                by_currency[currency].append((kind, key, line, amount))
        # Without any analytic distribution model, Odoo's search of one for
        # each journal item (a query per customer) can only find nothing: the
        # items get the empty distribution it would have computed.
        no_analytic_models = not (
            self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([("company_id", "in", [company.id, False])], limit=1)
        )
        moves = self.env["account.move"]
        for currency in by_currency:
            groups = defaultdict(lambda: [0.0, []])
            for kind, key, line, amount in by_currency.get(currency, []):
                groups[kind, key][0] += amount
                if line is not None:
                    groups[kind, key][1].append(line)
            vals_lines, sources, total = [], [], 0.0
            for (kind, key), (amount, group_lines) in groups.items():
                amount = currency.round(amount)
                if currency.is_zero(amount):
                    sources.append(group_lines)
                    vals_lines.append(None)
                    continue
                vals = self._amazon_line_vals(
                    kind, key, -amount, currency, date, receivables
                )
                vals_lines.append(vals)
                sources.append(group_lines)
                total += amount
            payout = currency.round(total)
            transfer_vals = self._amazon_line_vals(
                "transfer", None, payout, currency, date, receivables
            )
            real = [v for v in vals_lines if v]
            rounding = -company.currency_id.round(
                sum(v["balance"] for v in real) + transfer_vals["balance"]
            )
            transfer_vals["balance"] += rounding
            if no_analytic_models:
                for vals in real + [transfer_vals]:
                    vals.setdefault("analytic_distribution", False)
            move = (
                self.env["account.move"]
                .sudo()
                .create(
                    {
                        "move_type": "entry",
                        "journal_id": company.amazon_settlement_journal_id.id,
                        "date": date,
                        "ref": self.env._(
                            "Amazon settlement %(name)s (%(account)s)",
                            name=self.name,
                            account=self.account_id.name,
                        ),
                        "currency_id": currency.id,
                        "amazon_settlement_id": self.id,
                        "line_ids": [Command.create(v) for v in real + [transfer_vals]],
                    }
                )
            )
            move_lines = iter(move.line_ids.sorted("id"))
            for vals, group_lines in zip(vals_lines, sources, strict=True):
                if vals is None:
                    continue
                aml = next(move_lines)
                self.env["amazon.settlement.line"].concat(*group_lines).write(
                    {"move_line_id": aml.id}
                )
            moves |= move
        # Lines of a group netting to zero have no journal item: booked all the same.
        lines.write({"booked": True})
        return moves.sudo(False)

    def _amazon_line_vals(self, kind, key, amount, currency, date, receivables):
        """A journal item of ``amount`` (settlement currency, debit positive).

        :param dict receivables: {sale order: its open receivable items}
        """
        company = self.company_id
        balance = currency._convert(amount, company.currency_id, company, date)
        vals = {
            "amount_currency": amount,
            "currency_id": currency.id,
            "balance": balance,
        }
        if kind == "order":
            order = key
            # the first one, by iterating: a slice would lose the prefetch of all
            # the orders' items and read each one in a query of its own
            receivable = next(
                iter(receivables.get(order, ())), self.env["account.move.line"]
            )
            partner = (
                receivable.partner_id or order.partner_invoice_id
            ).commercial_partner_id
            account = (
                receivable.account_id
                or partner.with_company(company).property_account_receivable_id
            )
            vals.update(
                account_id=account.id,
                partner_id=partner.id,
                name=self.env._("Amazon order %s", order.amazon_order_id),
            )
        elif kind == "fee":
            vals.update(
                account_id=company.amazon_fees_clearing_account_id.id,
                partner_id=company.amazon_vendor_partner_id.id,
                name=self.env._("Amazon fees: %s", key.display_name),
            )
        elif kind == "account":
            vals.update(
                account_id=key.account_id.id,
                name=key.display_name,
                analytic_distribution=key.analytic_distribution,
            )
        else:
            vals.update(
                account_id=company.amazon_transfer_account_id.id,
                name=self.env._(
                    "Amazon payout %(name)s %(trace)s",
                    name=self.name,
                    trace=self.trace_reference or "",
                ).strip(),
            )
        return vals

    @api.model
    def _amazon_receivables_by_order(self, orders):
        """Open receivable items of the orders' posted invoices and credit notes,
        for every order in one query (an order's ``invoice_ids`` is computed from
        its lines' invoice lines, a few queries an order).

        :return: {sale order: account.move.line}
        """
        AccountMoveLine = self.env["account.move.line"]
        if not orders:
            return {}
        AccountMoveLine.flush_model(
            ["move_id", "account_id", "reconciled", "parent_state"]
        )
        self.env["account.account"].flush_model(["account_type"])
        self.env["account.move"].flush_model(["move_type"])
        self.env["sale.order.line"].flush_model(["order_id", "invoice_lines"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT sol.order_id, receivable.id
                  FROM sale_order_line sol
                  JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
                  JOIN account_move_line invoiced ON invoiced.id = rel.invoice_line_id
                  JOIN account_move_line receivable
                       ON receivable.move_id = invoiced.move_id
                  JOIN account_account account ON account.id = receivable.account_id
                  JOIN account_move move ON move.id = receivable.move_id
                 WHERE sol.order_id IN %(orders)s
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND receivable.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND receivable.reconciled IS NOT TRUE
                 ORDER BY receivable.id
                """,
                orders=tuple(orders.ids),
            )
        )
        line_ids, every_id = defaultdict(list), []
        for order_id, line_id in self.env.cr.fetchall():
            line_ids[order_id].append(line_id)
            every_id.append(line_id)
        # one prefetch for all of them: their fields are read in one query
        return {
            order: AccountMoveLine.browse(line_ids[order.id]).with_prefetch(every_id)
            for order in orders
            if line_ids.get(order.id)
        }

    def _amazon_reconcile(self, moves, receivables):
        """Each order's items with its invoices and credit notes; the fees with
        Amazon's bills.

        :param dict receivables: {sale order: its open receivable items} read
            before the settlement's entry was posted
        """
        Line = self.env["amazon.settlement.line"]
        by_aml = defaultdict(list)
        booked_lines = self.line_ids.filtered("move_line_id")
        for line in booked_lines:
            by_aml[line.move_line_id].append(line.id)
        # read once: ``.ids`` builds a new list of the 20,000 ids at each call
        booked_ids = booked_lines.ids
        plans, alone = [], []
        items = moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        for aml in items:
            order_lines = Line.browse(by_aml[aml]).with_prefetch(booked_ids)
            open_lines = self.env["account.move.line"].concat(
                *(receivables.get(order, ()) for order in order_lines.sale_order_id)
            )
            open_lines = open_lines.filtered(
                lambda line, aml=aml: line.account_id == aml.account_id
            )
            if open_lines:
                plans.append(open_lines | aml)
            else:
                alone += order_lines.ids
        # One reconciliation plan for every order: Odoo batches them. Each order's
        # items keep the prefetch of all of them (Odoo reads them plan by plan).
        every = [line_id for plan in plans for line_id in plan.ids]
        plans = [plan.with_prefetch(every) for plan in plans]
        if plans:
            # Reconciling changes no invoice's lines (only what is left to pay):
            # Odoo's synchronisation of the invoices' payment terms, taxes and
            # rounding lines around it, over thousands of invoices, would find
            # nothing to do (as for the entries of Odoo's payments and point of
            # sale sessions, skip_invoice_sync). Balance is still checked, and
            # Odoo's reconciliation itself (partials, exchange differences,
            # payment states, the paid hooks) runs unchanged.
            self.env["account.move.line"].with_context(
                skip_invoice_sync=True
            )._reconcile_plan(plans)
        Line.browse(alone).write(
            {
                "booking_note": self.env._(
                    "No open invoice or credit note: the amount stays on the "
                    "customer's account."
                )
            }
        )
        self.company_id._amazon_reconcile_fees_clearing()

    def _amazon_reset(self):
        for settlement in self:
            if settlement.state == "reconciled":
                settlement._amazon_undo_bank_match()
            moves = settlement.move_ids.sudo()
            moves.line_ids.remove_move_reconcile()
            moves.filtered(lambda m: m.state == "posted").button_draft()
            settlement.line_ids.write(
                {
                    "move_line_id": False,
                    "mapping_id": False,
                    "booking_note": False,
                    "booked": False,
                }
            )
            moves.with_context(force_delete=True).unlink()
            settlement.write(
                {
                    "state": "closed",
                    "review_message": False,
                    "booked_date": False,
                }
            )
        return True


class AmazonSettlementLine(models.Model):
    _inherit = "amazon.settlement.line"

    mapping_id = fields.Many2one(
        "amazon.settlement.mapping", readonly=True, index="btree_not_null"
    )
    mapping_kind = fields.Selection(related="mapping_id.kind", string="Booked As")
    booking_note = fields.Char(readonly=True)
    booked = fields.Boolean(readonly=True, copy=False, index=True)
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Journal Item",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    vendor_bill_id = fields.Many2one(
        "account.move",
        string="Amazon's Invoice",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Amazon's invoice (vendor bill) of this fee.",
    )
