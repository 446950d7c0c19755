# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One order is one line of one run, and the report e-mail says what is new.

A run meets the same order more than once: the retry of its open failure, then
the new window (which re-reads the last minutes of the previous one, see
``_window``), or twice in the pages of one window. Each order of a run is
booked once, under its reference (``_safe_ref``): a later copy that is not
newer than the one handled is left out; a newer copy is Amazon's latest word,
so it is imported and the earlier outcome of the run is taken back (its count,
its log line, its place in the report).

The e-mail after a run lists the new orders and the failures that are news: a
failure seen for the first time, imported before and failing again, or failing
for another reason. An order that keeps failing for the same reason is
reported once, not on every run.
"""

from odoo import api, models


class AmazonOrderImporterOnce(models.AbstractModel):
    """Mixed into amazon.order.importer first: its methods wrap the others'."""

    _name = "amazon.order.importer.once"
    _description = "Amazon Order Importer: Once per Run"

    @api.model
    def _handled(self, report):
        """{reference: {"stamp", "result", "sale_order"}} of the orders of the run."""
        return report.setdefault("handled", {})

    @api.model
    def _order_stamp(self, order):
        if not isinstance(order, dict):
            return None
        return self._parse_datetime(order.get("lastUpdatedTime"))

    @api.model
    def _is_newer_copy(self, order, handled):
        """Whether ``order`` must be handled although its reference was.

        :param dict handled: what the run booked for the reference
        """
        stamp = self._order_stamp(order)
        return bool(stamp and handled["stamp"] and stamp > handled["stamp"])

    @api.model
    def _take_back(self, ref, log, stats, report):
        """Forget what the run booked for ``ref``: a newer copy replaces it."""
        handled = self._handled(report).pop(ref)
        stats[handled["result"]] -= 1
        report["failures"] = [f for f in report["failures"] if f[0] != ref]
        report["orders"] = [
            so for so in report["orders"] if so != handled["sale_order"]
        ]
        if log:
            self.env["amazon.sync.log.line"].sudo().search(
                [("log_id", "=", log.id), ("amazon_ref", "=", ref)]
            ).unlink()

    @api.model
    def _import_one(self, account, order, log, stats, report, force=False):
        ref = self._safe_ref(order)
        handled = self._handled(report).get(ref)
        if handled:
            if not self._is_newer_copy(order, handled):
                return handled["sale_order"] or self.env["sale.order"]
            self._take_back(ref, log, stats, report)
        return super()._import_one(account, order, log, stats, report, force=force)

    @api.model
    def _import_page(self, account, orders, log, stats, report):
        """The page without the orders the run already handled (or repeats)."""
        newest = {}
        for order in orders:
            ref = self._safe_ref(order)
            kept = newest.get(ref)
            if (
                kept is None
                or self._order_stamp(order)
                and (
                    not self._order_stamp(kept)
                    or self._order_stamp(order) > self._order_stamp(kept)
                )
            ):
                newest[ref] = order
        todo = []
        for ref, order in newest.items():
            handled = self._handled(report).get(ref)
            if handled:
                if not self._is_newer_copy(order, handled):
                    continue
                self._take_back(ref, log, stats, report)
            todo.append(order)
        if not todo:
            return None
        return super()._import_page(account, todo, log, stats, report)

    @api.model
    def _book_result(
        self, account, order, log, stats, report, result, sale_order, error
    ):
        ref = self._safe_ref(order)
        before = self._failure_of(account, ref)
        before = before and (before.state, before.error)
        sale_order = super()._book_result(
            account, order, log, stats, report, result, sale_order, error
        )
        if error is not None and not self._failure_is_news(account, ref, before):
            report["failures"] = [f for f in report["failures"] if f[0] != ref]
        self._handled(report)[ref] = {
            "stamp": self._order_stamp(order),
            "result": "failed" if error is not None else result,
            "sale_order": sale_order,
        }
        return sale_order

    @api.model
    def _failure_of(self, account, ref):
        return (
            self.env["amazon.order.failure"]
            .sudo()
            .search(
                [("account_id", "=", account.id), ("amazon_order_id", "=", ref)],
                limit=1,
            )
        )

    @api.model
    def _failure_is_news(self, account, ref, before):
        """Whether a failure just booked is worth an e-mail.

        :param before: (state, error) of its record before the booking, or None
        :return: True when it is new, failing again after an import, or failing
            for another reason; False when dismissed or unchanged
        """
        if not before:
            return True
        state, error = before
        if state != "open":
            return state == "done"
        return self._failure_of(account, ref).error != error

    @api.model
    def _notify(self, account, log, stats, report):
        """No e-mail when nothing is new (only old failures failing again)."""
        if not (stats["created"] or report["failures"]):
            return
        return super()._notify(account, log, stats, report)
