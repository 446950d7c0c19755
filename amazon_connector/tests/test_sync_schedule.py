# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each account and kind of sync has its own scheduled action (see
models/amazon_sync_schedule.py for why)."""

from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.amazon_connector.exceptions import AmazonSyncRunning

from .common import PARTICIPATIONS, AmazonCoreCase, FakeAmazon, serving


@tagged("post_install", "-at_install")
class TestSyncSchedule(AmazonCoreCase):
    def schedule(self, kind="marketplaces", account=None):
        return (account or self.account)._sync_schedule(kind)

    def test_a_new_account_gets_one_scheduled_action_per_kind_of_sync(self):
        schedules = self.account.sync_schedule_ids
        self.assertEqual(
            sorted(schedules.mapped("kind")), sorted(self.account._sync_kinds())
        )
        self.assertIn("marketplaces", schedules.mapped("kind"))
        crons = schedules.cron_id
        self.assertEqual(len(crons), len(schedules), msg="one action each")
        self.assertTrue(all(crons.mapped("active")))
        cron = self.schedule().cron_id
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.assertEqual(cron.code, f"model._cron_run_schedule({self.schedule().id})")

    def test_the_marketplace_refresh_is_scheduled_daily_by_default(self):
        account = self.env["amazon.account"].create(
            {"name": "Core Defaults", "region": "eu"}
        )
        self.assertTrue(account.marketplaces_sync_active)
        cron = account._sync_schedule("marketplaces").cron_id
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))

    def test_the_per_kind_actions_walking_every_account_are_gone(self):
        self.assertFalse(
            self.env.ref(
                "amazon_connector.ir_cron_amazon_sync_marketplaces",
                raise_if_not_found=False,
            )
        )
        self.assertFalse(
            self.env["ir.cron"].search([("code", "like", "_cron_run_due")]),
            msg="no scheduled action walks all accounts",
        )

    def test_the_action_follows_the_account_schedule_archive_and_deletion(self):
        self.account.write(
            {"marketplaces_interval_number": 6, "marketplaces_interval_type": "hours"}
        )
        cron = self.schedule().cron_id
        self.assertEqual((cron.interval_number, cron.interval_type), (6, "hours"))
        self.account.action_archive()
        self.assertFalse(cron.active, msg="archived with the account")
        self.account.action_unarchive()
        self.assertTrue(cron.active)
        other = self.account.copy({"name": "Core Deleted"})
        crons = other.sync_schedule_ids.cron_id
        self.assertTrue(crons)
        other.unlink()
        self.assertFalse(crons.exists(), msg="deleted with the account")

    def test_a_neutralized_database_keeps_the_actions_off(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "database.is_neutralized", True
        )
        other = self.account.copy({"name": "Core Neutralized"})
        self.assertFalse(any(other.sync_schedule_ids.cron_id.mapped("active")))
        self.account.write({"marketplaces_interval_number": 3})
        self.assertFalse(self.schedule().cron_id.active, msg="not turned back on")

    def test_next_run_set_by_a_flow_becomes_a_trigger_of_the_action(self):
        at = self.env.cr.now().replace(microsecond=0, tzinfo=None)
        self.account.marketplaces_next_run = at
        triggers = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.schedule().cron_id.id)]
        )
        self.assertIn(at, triggers.mapped("call_at"))

    def test_a_sync_button_returns_at_once_and_triggers_the_accounts_action(self):
        amazon = FakeAmazon()
        amazon.answer("*", None)
        with serving(self.env, amazon):
            action = self.account.with_context(
                amazon_sync_kind="marketplaces"
            ).action_sync_in_background()
        self.assertFalse(amazon.calls, msg="nothing runs in the user's request")
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("background", action["params"]["message"])
        schedule = self.schedule()
        self.assertEqual(schedule.manual_user_id, self.env.user)
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", schedule.cron_id.id)])
        )

    def test_the_triggered_run_is_manual_and_its_end_is_sent_on_the_bus(self):
        schedule = self.schedule()
        schedule._request_run(user=self.env.user)
        amazon = FakeAmazon()
        amazon.answer("*", PARTICIPATIONS["payload"])
        with serving(self.env, amazon):
            self.env["amazon.sync.schedule"]._cron_run_schedule(schedule.id)
        log = self.account.sync_log_ids[:1]
        self.assertEqual(
            (log.kind, log.trigger, log.state), ("marketplaces", "manual", "done")
        )
        self.assertFalse(schedule.manual_user_id)
        self.env.cr.precommit.run()  # what a commit does: write the bus messages
        message = self.env["bus.bus"].search(
            [("message", "like", "amazon_sync_progress")], order="id desc", limit=1
        )
        self.assertIn(
            f'"res.partner",{self.env.user.partner_id.id}]',
            message.channel,
            msg="sent to the user who asked",
        )
        self.assertIn('"done":true', message.message.replace(" ", ""))

    def test_a_scheduled_action_with_nothing_to_do_does_nothing(self):
        self.account.marketplaces_sync_active = False
        with patch.object(
            type(self.account), "_run_scheduled_marketplaces", autospec=True
        ) as run:
            self.env["amazon.sync.schedule"]._cron_run_schedule(self.schedule().id)
        run.assert_not_called()

    def test_a_run_finding_the_sync_already_running_stops_quietly(self):
        self.account.write({"state": "connected", "marketplaces_sync_active": True})
        with patch.object(
            type(self.account),
            "_run_scheduled_marketplaces",
            autospec=True,
            side_effect=AmazonSyncRunning("already running since 10:00"),
        ):
            self.assertTrue(self.schedule()._run_schedule())
        self.assertEqual(self.account.state, "connected", msg="nobody is bothered")
        self.assertFalse(self.account.activity_ids)

    def test_only_amazon_managers_start_a_sync(self):
        user = new_test_user(
            self.env,
            login="amz_schedule_user",
            groups="base.group_user,amazon_connector.amazon_connector_group_user",
        )
        with self.assertRaises(AccessError):
            self.account.with_user(user).with_context(
                amazon_sync_kind="marketplaces"
            ).action_sync_in_background()

    def test_two_accounts_have_two_actions_that_odoo_can_run_at_once(self):
        other = self.account.copy({"name": "Core Other"})
        self.assertNotEqual(
            self.schedule().cron_id, self.schedule(account=other).cron_id
        )
