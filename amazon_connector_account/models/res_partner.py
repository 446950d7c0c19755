# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter, defaultdict
from contextlib import contextmanager

from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _increase_rank(self, field, n=1):
        """Inside :meth:`_amazon_ranks_batched`, the increase is noted and made
        once for all the partners of the same count when the block ends.

        Posting a settlement's entry raises the customer rank of each of its
        thousands of customers, each in a savepoint and two queries of its own.
        """
        pending = self.env.context.get("amazon_pending_ranks")
        if pending is None or not self.ids:
            return super()._increase_rank(field, n)
        # summed per partner: Odoo raises a company once for itself and once
        # for each of its contacts
        for partner_id in self.ids:
            pending[field][partner_id] += n
        return None

    @api.model
    @contextmanager
    def _amazon_ranks_batched(self):
        """Context manager yielding an environment whose rank increases are
        made in one statement per (field, total) when the block ends."""
        pending = defaultdict(Counter)
        yield self.with_context(amazon_pending_ranks=pending).env
        for field, totals in pending.items():
            by_total = defaultdict(list)
            for partner_id, total in totals.items():
                by_total[total].append(partner_id)
            for total, ids in by_total.items():
                # Odoo's own method: its savepoint, its lock that gives way to
                # a concurrent transaction, its cache invalidation
                self.browse(sorted(ids))._increase_rank(field, total)
