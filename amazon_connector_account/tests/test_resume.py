# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Refunds, returns and settlements resume where a run stopped (a throttle, a
kill): the window and the position in it are kept on the account's schedule."""

from datetime import datetime
from unittest.mock import patch

from odoo.tests import tagged

from .common import AmazonMoneyCase, refund_transaction
from .test_returns import FBM_HEADER, fbm_row, tsv


class Killed(Exception):
    """The worker dies (what a run did up to its last commit stays)."""


class ResumeCase(AmazonMoneyCase):
    kind = None

    def setUp(self):
        super().setUp()
        self.account.state = "connected"
        self.schedule = self.account._sync_schedule(self.kind)
        self.waits = []
        self.startPatcher(
            patch.object(
                type(self.schedule), "_wait", lambda s, sec: self.waits.append(sec)
            )
        )

    def last_log(self):
        return self.env["amazon.sync.log"].search(
            [("kind", "=", self.kind), ("account_id", "=", self.account.id)],
            limit=1,
            order="id desc",
        )

    def run_in_worker(self):
        """The scheduled action of the account and kind, as Odoo's worker runs it."""
        self.schedule._request_run(user=self.env.user)
        self.env["amazon.sync.schedule"]._cron_run_schedule(self.schedule.id)
        return self.last_log()


@tagged("post_install", "-at_install", "amazon_accounting")
class TestRefundsResume(ResumeCase):
    kind = "refunds"

    def setUp(self):
        super().setUp()
        self.account.refund_import_active = True

    def pages(self, count):
        return [
            [
                refund_transaction(
                    f"IT-RES-{index}", f"TX-RES-{index}", [("CUP-1", 1, 12.20)]
                )
            ]
            for index in range(count)
        ]

    def tokens(self):
        return [
            params.get("nextToken")
            for op, params in self.fake.calls
            if op == "finances.listTransactions"
        ]

    def stored(self):
        return sorted(
            self.env["amazon.finance.transaction"]
            .search([("account_id", "=", self.account.id)])
            .mapped("transaction_id")
        )

    def import_refunds(self):
        self.account.action_amazon_import_refunds()
        return self.last_log()

    def test_a_throttled_run_goes_on_at_the_page_it_did_not_read(self):
        self.fake.pages = self.pages(3)
        self.fake.throttle = {2: 600}
        first = self.import_refunds()
        self.assertEqual(first.state, "throttled")
        self.assertEqual(self.stored(), ["TX-RES-0"])
        self.assertEqual(self.schedule.page_token, "token-1")
        self.assertEqual(self.schedule.pages_done, 1)
        self.assertTrue(self.schedule.window_end, msg="the window stays open")
        window = self.fake.calls[0][1]
        self.fake.throttle = {}
        before = len(self.fake.calls)
        second = self.import_refunds()
        self.assertEqual(
            self.tokens()[before:],
            ["token-1", "token-3"],
            msg="the first page is not read again",
        )
        self.assertEqual(
            self.fake.calls[before][1]["postedBefore"],
            window["postedBefore"],
            msg="the same window",
        )
        self.assertEqual((second.state, second.fetched), ("done", 2))
        self.assertEqual(self.stored(), ["TX-RES-0", "TX-RES-1", "TX-RES-2"])
        self.assertFalse(self.schedule.window_end, msg="the window is closed")
        self.assertEqual(self.account.refund_import_from, datetime(2026, 3, 19, 23, 57))

    def test_an_expired_token_reads_the_window_again_from_its_start(self):
        self.fake.pages = self.pages(2)
        self.fake.throttle = {2: 600}
        self.import_refunds()
        self.fake.throttle = {}
        self.fake.expired_tokens = {"token-1"}
        self.fake.pages = self.pages(2)  # Amazon's window, from its start
        before = len(self.fake.calls)
        log = self.import_refunds()
        self.assertEqual(self.tokens()[before:], ["token-1", None, "token-4"])
        self.assertEqual(log.state, "done")
        self.assertEqual(self.stored(), ["TX-RES-0", "TX-RES-1"], msg="each once")

    def test_a_short_throttle_waits_in_the_worker_and_reads_the_same_page(self):
        self.fake.pages = self.pages(3)
        self.fake.throttle = {2: 5}
        log = self.run_in_worker()
        self.assertEqual(self.waits, [5], msg="waited in the worker")
        self.assertEqual(
            self.tokens(),
            ["token-1" if i else None for i in range(3)] + ["token-3"],
            msg="the throttled page is asked again, no other page twice",
        )
        self.assertEqual(log.state, "done")
        self.assertEqual(self.stored(), ["TX-RES-0", "TX-RES-1", "TX-RES-2"])
        self.assertFalse(self.schedule.retry_at, msg="no later run needed")

    def test_a_long_throttle_in_the_worker_is_a_later_run(self):
        self.fake.pages = self.pages(2)
        self.fake.throttle = {2: 900}
        log = self.run_in_worker()
        self.assertEqual(self.waits, [], msg="too long to wait in the worker")
        self.assertEqual(log.state, "throttled")
        self.assertTrue(self.schedule.retry_at)
        self.assertEqual(self.schedule.page_token, "token-1")

    def test_outside_the_worker_a_short_throttle_is_not_waited(self):
        self.fake.pages = self.pages(2)
        self.fake.throttle = {2: 5}
        log = self.import_refunds()
        self.assertEqual(self.waits, [], msg="a button never holds its caller")
        self.assertEqual(log.state, "throttled")


@tagged("post_install", "-at_install", "amazon_accounting")
class TestReturnsResume(ResumeCase):
    kind = "returns"

    def setUp(self):
        super().setUp()
        self.account.return_import_active = True

    def test_a_killed_run_goes_on_with_the_rows_it_did_not_apply(self):
        rows = [fbm_row(f"IT-KILL-{i}", rma=f"RMA-K-{i}") for i in range(250)]
        self.fake.reports["GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE"] = tsv(
            FBM_HEADER, rows
        )
        self.account.action_amazon_import_returns()  # the reports are requested
        position = self.schedule._resume_position("fbm")
        self.assertEqual(position["rows"], 0)
        self.assertEqual(position["report"], self.account.return_report_fbm_id)
        self.assertTrue(position["start"] and position["end"], msg="its window")
        Importer = type(self.env["amazon.return.importer"])
        apply_batch = Importer._apply_batch
        batches = []

        def killed_after_one(importer, account, channel, batch, log, stats):
            if batches:
                raise Killed("killed")
            batches.append(len(batch))
            return apply_batch(importer, account, channel, batch, log, stats)

        # Not assertRaises: Odoo's rolls back to a savepoint, and what the run
        # committed before the kill must stay.
        killed = False
        try:
            with patch.object(Importer, "_apply_batch", killed_after_one):
                self.account.action_amazon_import_returns()
        except Killed:
            killed = True
        self.assertTrue(killed, msg="the run was killed")
        self.assertEqual(batches, [200])
        self.assertEqual(self.schedule._resume_position("fbm")["rows"], 201)
        Return = self.env["amazon.return"]
        domain = [("account_id", "=", self.account.id), ("channel", "=", "fbm")]
        self.assertEqual(Return.search_count(domain), 200)
        self.account.action_amazon_import_returns()
        log = self.last_log()
        # partial: these returns match no order in Odoo (a line each)
        self.assertIn(log.state, ("done", "partial"))
        self.assertEqual(log.fetched, 50, msg="the rows applied before are not read")
        self.assertEqual(Return.search_count(domain), 250)
        self.assertFalse(self.schedule._resume_position("fbm"))
        self.assertFalse(self.account.return_report_fbm_id, msg="the report is read")


@tagged("post_install", "-at_install", "amazon_accounting")
class TestSettlementsResume(ResumeCase):
    kind = "settlements"

    def setUp(self):
        super().setUp()
        self.settlement = self.env["amazon.settlement"].create(
            {
                "account_id": self.account.id,
                "name": "GROUP-RESUME",
                "state": "open",
                "processing_status": "open",
            }
        )
        self.fake.pages = [
            [refund_transaction(f"IT-SET-{i}", f"TX-SET-{i}", [("CUP-1", 1, 12.20)])]
            for i in range(3)
        ]

    def read_group(self):
        Importer = self.env["amazon.settlement.importer"]
        with self.account._sync_run("settlements") as run:
            Importer._import_transactions(self.settlement, run.log, run.stats, run=run)
        return run.log

    def tokens(self):
        return [params.get("nextToken") for _op, params in self.fake.calls]

    def test_a_throttled_group_goes_on_at_its_next_transactions_page(self):
        self.fake.throttle = {2: 600}
        first = self.read_group()
        self.assertEqual((first.state, first.fetched), ("throttled", 1))
        self.assertEqual(
            self.schedule._resume_position("group"),
            {"group": "GROUP-RESUME", "token": "token-1"},
        )
        self.fake.throttle = {}
        before = len(self.fake.calls)
        second = self.read_group()
        self.assertEqual(self.tokens()[before:], ["token-1", "token-3"])
        self.assertEqual(second.fetched, 2, msg="the first page is not read again")
        self.assertFalse(self.schedule._resume_position("group"))
        self.assertEqual(
            self.fake.calls[-1][1]["relatedIdentifierValue"], "GROUP-RESUME"
        )

    def test_a_short_throttle_waits_in_the_worker_at_the_same_page(self):
        self.fake.throttle = {2: 5}
        Importer = self.env["amazon.settlement.importer"]
        account = self.account.with_context(amazon_sync_schedule_id=self.schedule.id)
        with account._sync_run("settlements") as run:
            Importer._import_transactions(
                self.settlement.with_env(account.env), run.log, run.stats, run=run
            )
        self.assertEqual(self.waits, [5])
        self.assertEqual(self.tokens(), [None, "token-1", "token-1", "token-3"])
        self.assertEqual((run.log.state, run.log.fetched), ("done", 3))
