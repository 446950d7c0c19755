# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.amazon_connector.exceptions import AmazonAuthError

from .common import PARTICIPATIONS, AmazonCoreCase, FakeAmazon, serving

SCHEDULE_LOGGER = "odoo.addons.amazon_connector.models.amazon_sync_schedule"


@tagged("post_install", "-at_install")
class TestSyncLog(AmazonCoreCase):
    def test_a_run_is_started_lined_and_finished(self):
        log = self.env["amazon.sync.log"]._start(
            self.account,
            "orders",
            trigger="scheduled",
            cursor_before=datetime(2026, 5, 1),
        )
        self.assertEqual(log.state, "running")
        self.assertEqual(log.company_id, self.account.company_id)
        line = log._add_line(
            "402-1234567-1234567", "Unknown SKU ABC", payload_ref="failure,7"
        )
        log._finish(
            state="partial",
            fetched=10,
            created=8,
            updated=1,
            skipped=0,
            failed=1,
            cursor_after="2026-05-02T00:00:00",
            message="1 order failed",
        )
        self.assertEqual(log.state, "partial")
        self.assertEqual(log.cursor_before, "2026-05-01T00:00:00")
        self.assertEqual(log.cursor_after, "2026-05-02T00:00:00")
        self.assertEqual(
            (log.fetched, log.created, log.updated, log.failed), (10, 8, 1, 1)
        )
        self.assertEqual(log.line_ids, line)
        self.assertEqual(line.reason, "Unknown SKU ABC")
        self.assertTrue(log.date_end)

    def test_amazon_users_read_logs_but_cannot_change_them(self):
        user = new_test_user(
            self.env,
            login="amz_core_log_reader",
            groups="base.group_user,amazon_connector.amazon_connector_group_user",
        )
        log = self.env["amazon.sync.log"]._start(self.account, "orders")
        self.assertEqual(log.with_user(user).kind, "orders")
        with self.assertRaises(AccessError):
            log.with_user(user).write({"state": "done"})

    def test_old_logs_are_vacuumed(self):
        log = self.env["amazon.sync.log"]._start(self.account, "orders")
        log.date_start = datetime.now() - timedelta(days=200)
        recent = self.env["amazon.sync.log"]._start(self.account, "orders")
        self.env["amazon.sync.log"]._gc_old_logs()
        self.assertFalse(log.exists())
        self.assertTrue(recent.exists())


@tagged("post_install", "-at_install")
class TestSyncLock(AmazonCoreCase):
    def test_the_same_sync_of_an_account_cannot_run_twice(self):
        with self.account._sync_lock("orders"):
            with (
                self.assertRaises(UserError) as caught,
                self.account._sync_lock("orders"),
            ):
                pass
            self.assertRegex(str(caught.exception), r"already running since \d\d:\d\d")
            # Another kind, or another account, is not blocked.
            with self.account._sync_lock("stock"):
                pass
            other = self.account.copy({"name": "Core Test IT bis"})
            with other._sync_lock("orders"):
                pass
        with self.account._sync_lock("orders"):
            pass  # released on exit

    def test_the_lock_is_released_when_the_sync_fails(self):
        with self.assertRaises(RuntimeError), self.account._sync_lock("orders"):
            raise RuntimeError("the sync failed")
        with self.account._sync_lock("orders"):
            pass


@tagged("post_install", "-at_install")
class TestScheduling(AmazonCoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write(
            {
                "state": "connected",
                "marketplaces_sync_active": True,
                "marketplaces_interval_number": 1,
                "marketplaces_interval_type": "days",
            }
        )

    def test_each_kind_gets_its_four_scheduling_fields(self):
        fields = self.env["amazon.account"]._fields
        for name, ftype in (
            ("marketplaces_sync_active", "boolean"),
            ("marketplaces_interval_number", "integer"),
            ("marketplaces_interval_type", "selection"),
            ("marketplaces_next_run", "datetime"),
        ):
            self.assertEqual(fields[name].type, ftype, msg=name)
        self.assertEqual(
            [key for key, _label in fields["marketplaces_interval_type"].selection],
            ["hours", "days", "weeks", "months"],
        )

    @freeze_time("2026-06-01 10:00:00")
    def test_a_due_account_runs_and_its_next_run_moves_one_interval(self):
        self.account.marketplaces_next_run = datetime(2026, 6, 1, 9, 0)
        fake = FakeAmazon()
        fake.answer("*", PARTICIPATIONS["payload"])
        with serving(self.env, fake):
            due = self.env["amazon.account"]._cron_run_due("marketplaces")
        self.assertEqual(due, self.account)
        self.assertEqual(len(fake.calls), 1)
        self.assertEqual(self.account.marketplaces_next_run, datetime(2026, 6, 2, 9, 0))
        log = self.account.sync_log_ids
        self.assertEqual((log.trigger, log.state), ("scheduled", "done"))

    @freeze_time("2026-06-01 10:00:00")
    def test_missed_runs_are_not_made_up(self):
        self.account.marketplaces_next_run = datetime(2026, 5, 1, 9, 0)
        with patch.object(
            type(self.account), "_run_scheduled_marketplaces", autospec=True
        ) as run:
            self.env["amazon.account"]._cron_run_due("marketplaces")
        run.assert_called_once()
        self.assertEqual(self.account.marketplaces_next_run, datetime(2026, 6, 2, 9, 0))

    @freeze_time("2026-06-01 10:00:00")
    def test_accounts_not_due_inactive_or_not_connected_are_left_alone(self):
        self.account.marketplaces_next_run = datetime(2026, 6, 1, 11, 0)
        draft = self.account.copy(
            {"name": "Core Draft", "marketplaces_sync_active": True}
        )
        paused = self.account.copy(
            {
                "name": "Core Paused",
                "state": "connected",
                "marketplaces_sync_active": False,
            }
        )
        with patch.object(
            type(self.account), "_run_scheduled_marketplaces", autospec=True
        ) as run:
            due = self.env["amazon.account"]._cron_run_due("marketplaces")
        run.assert_not_called()
        self.assertFalse(due & (self.account | draft | paused))

    @freeze_time("2026-06-01 10:00:00")
    def test_one_failing_account_does_not_stop_the_others(self):
        second = self.account.copy(
            {
                "name": "Core Second",
                "state": "connected",
                "marketplaces_sync_active": True,
            }
        )
        calls = []

        def run(account):
            calls.append(account.id)
            if account == self.account:
                raise RuntimeError("boom")

        with (
            patch.object(
                type(self.account),
                "_run_scheduled_marketplaces",
                autospec=True,
                side_effect=run,
            ),
            mute_logger(SCHEDULE_LOGGER),
        ):
            self.env["amazon.account"]._cron_run_due("marketplaces")
        self.assertEqual(sorted(calls), sorted([self.account.id, second.id]))
        self.assertTrue(
            self.account.marketplaces_next_run, msg="moved despite the crash"
        )

    @freeze_time("2026-06-01 10:00:00")
    def test_an_authorization_failure_in_a_scheduled_run_marks_the_account(self):
        with (
            patch.object(
                type(self.account),
                "_run_scheduled_marketplaces",
                autospec=True,
                side_effect=AmazonAuthError("refused", code="invalid_grant"),
            ),
            mute_logger(SCHEDULE_LOGGER),
        ):
            self.env["amazon.account"]._cron_run_due("marketplaces")
        self.assertEqual(self.account.state, "error")
        self.assertEqual(self.account.last_error, "refused")
