# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The run skeleton every flow uses (models/sync_run.py), seen through the
scheduled action of an account, as Odoo's cron worker runs it: the listings
import asked for by its button."""

import re
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.amazon_connector.exceptions import (
    AmazonAuthError,
    AmazonServerError,
    AmazonSyncRunning,
    AmazonThrottled,
)

from .common import AmazonCoreCase

ADDONS = Path(__file__).resolve().parents[2]


@tagged("post_install", "-at_install")
class TestSyncRun(AmazonCoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.responsible = new_test_user(
            cls.env,
            login="amz_run_responsible",
            groups="base.group_user,amazon_connector.amazon_connector_group_manager",
        )
        cls.account.write(
            {
                "state": "connected",
                "user_id": cls.responsible.id,
                "active_marketplace_ids": [(6, 0, cls.marketplace_it.ids)],
            }
        )

    def run_import(self, side_effect, button=True):
        """The listings import button, then the scheduled action's run."""
        schedule = self.account._sync_schedule("listings")
        if button:
            self.account.with_context(
                amazon_sync_kind="listings", amazon_sync_job="import"
            ).action_sync_in_background()
        else:  # what the button asks, once it passed its checks
            schedule._request_run(user=self.env.user, job="import")
        self.assertEqual(schedule.job, "import")
        with patch.object(
            type(self.account),
            "_amazon_listings_call",
            autospec=True,
            side_effect=side_effect,
        ):
            self.env["amazon.sync.schedule"]._cron_run_schedule(schedule.id)
        return schedule

    def logs(self):
        return self.account.sync_log_ids.filtered(lambda log: log.kind == "listings")

    def renewal_activities(self):
        return self.account._renewal_activities()

    def test_the_button_imports_listings_in_the_background(self):
        schedule = self.run_import(
            [{"items": [{"sku": "RUN-1", "summaries": []}], "pagination": {}}]
        )
        log = self.logs()
        self.assertEqual((log.trigger, log.state), ("manual", "done"))
        self.assertEqual(log.fetched, 1)
        self.assertTrue(
            self.env["amazon.listing"].search(
                [("account_id", "=", self.account.id), ("sku", "=", "RUN-1")]
            ),
            msg="the job 'import' imported, it did not publish the sales lists",
        )
        self.assertFalse(schedule.job, msg="done: the next run publishes again")
        self.assertFalse(schedule.running)

    def test_a_held_lock_is_a_quiet_retry(self):
        with self.account._sync_lock("listings"):
            self.run_import(AssertionError("Amazon must not be called"))
        self.assertFalse(self.logs(), msg="the running sync does the work")
        self.assertFalse(self.renewal_activities(), msg="nobody is bothered")
        self.assertEqual(self.account.state, "connected")
        self.assertTrue(
            self.account._sync_refused(AmazonSyncRunning("running"), "listings"),
            msg="retryable",
        )

    def test_an_expired_authorization_is_not_retried_and_tells_the_responsible(self):
        self.account.auth_date = fields.Date.today() - timedelta(days=400)
        self.run_import(AssertionError("Amazon must not be called"), button=False)
        activity = self.renewal_activities()
        self.assertEqual(activity.user_id, self.responsible)
        self.assertEqual(self.account.state, "expired")
        self.assertFalse(self.logs(), msg="refused before it started")
        self.assertFalse(
            self.account._sync_refused(
                AmazonAuthError("expired", code="authorization_expired"), "listings"
            ),
            msg="not retryable",
        )
        self.assertEqual(len(self.renewal_activities()), 1, msg="told once")

    def test_an_authorization_amazon_refuses_mid_run_reaches_the_responsible(self):
        self.run_import(AmazonAuthError("invalid_grant: refused", code="invalid_grant"))
        log = self.logs()
        self.assertEqual(log.state, "failed")
        self.assertIn("invalid_grant", log.message)
        self.assertEqual(self.renewal_activities().user_id, self.responsible)
        self.assertEqual(self.account.state, "error")

    def test_a_throttled_run_says_when_it_resumes_and_is_triggered_then(self):
        before = fields.Datetime.now()
        schedule = self.run_import(AmazonThrottled(retry_after=600))
        log = self.logs()
        self.assertEqual(log.state, "throttled")
        self.assertTrue(schedule.retry_at)
        self.assertGreaterEqual(schedule.retry_at, before + timedelta(seconds=600))
        self.assertIn(
            f"resumes at {fields.Datetime.to_string(schedule.retry_at)}", log.message
        )
        triggers = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", schedule.cron_id.id)]
        )
        self.assertIn(schedule.retry_at, triggers.mapped("call_at"))
        self.assertEqual(schedule.job, "import", msg="the resumed run imports again")
        self.assertFalse(self.renewal_activities())

    def page(self, sku, token=None):
        return {
            "items": [{"sku": sku, "summaries": []}],
            "pagination": {"nextToken": token} if token else {},
        }

    def listing_skus(self):
        return sorted(
            self.env["amazon.listing"]
            .search([("account_id", "=", self.account.id)])
            .mapped("sku")
        )

    def scheduled_run(self, side_effect):
        """The scheduled action's own run (no button): it publishes the lists."""
        schedule = self.account._sync_schedule("listings")
        calls = []

        def amazon(account, operation, **params):
            calls.append(params.get("pageToken"))
            answer = side_effect.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer

        with patch.object(type(self.account), "_amazon_listings_call", amazon):
            schedule._run_schedule(force_trigger="scheduled")
        return calls

    def test_a_short_throttle_waits_in_the_worker_and_continues(self):
        waits = []
        with patch.object(
            type(self.env["amazon.sync.schedule"]),
            "_wait",
            lambda schedule, seconds: waits.append(seconds),
        ):
            self.run_import(
                [
                    self.page("WAIT-1", token="T2"),
                    AmazonThrottled(retry_after=30),
                    self.page("WAIT-2"),
                ]
            )
        self.assertEqual(waits, [30], msg="waited in the worker, after committing")
        log = self.logs()
        self.assertEqual((log.state, log.fetched), ("done", 2))
        self.assertEqual(self.listing_skus(), ["WAIT-1", "WAIT-2"])
        self.assertFalse(self.account._sync_schedule("listings").retry_at)

    def test_a_throttle_longer_than_the_bound_is_not_waited(self):
        self.env["ir.config_parameter"].set_param(
            "amazon_connector.throttle_wait_max_seconds", "10"
        )
        waits = []
        with patch.object(
            type(self.env["amazon.sync.schedule"]),
            "_wait",
            lambda schedule, seconds: waits.append(seconds),
        ):
            schedule = self.run_import([AmazonThrottled(retry_after=30)])
        self.assertEqual(waits, [])
        self.assertEqual(self.logs().state, "throttled")
        self.assertTrue(schedule.retry_at)

    def test_the_scheduled_run_goes_on_with_an_import_the_button_started(self):
        """The button's import is killed after its first page (the job it asked
        for is gone): the next scheduled run reads the second page, not the first
        again, then publishes as usual."""
        schedule = self.run_import(
            [self.page("KILL-1", token="T2"), AmazonThrottled(retry_after=600)]
        )
        self.assertTrue(schedule.resume_data)
        schedule.write({"job": False, "retry_at": False})  # as after a kill
        self.assertEqual(schedule._has_work(), "scheduled", msg="even if not active")
        publish = patch.object(
            type(self.env["amazon.sale.list"]), "_publish", autospec=True
        )
        self.env["amazon.sale.list"].create(
            {
                "name": "Auto",
                "account_id": self.account.id,
                "auto_refresh": True,
                "pricelist_id": self.env["product.pricelist"].create({"name": "P"}).id,
            }
        )
        with publish as published:
            calls = self.scheduled_run([self.page("KILL-2")])
        self.assertEqual(calls, ["T2"], msg="the first page is not read again")
        self.assertEqual(self.listing_skus(), ["KILL-1", "KILL-2"])
        self.assertEqual(self.logs()[0].trigger, "scheduled")
        self.assertFalse(schedule.resume_data, msg="the import is through")
        self.assertTrue(published.called, msg="then the lists are published")

    def test_the_button_goes_on_with_an_import_a_scheduled_run_stopped(self):
        schedule = self.account._sync_schedule("listings")
        schedule._keep_position("import", {})  # an import was under way
        schedule._keep_position(
            "import", {"marketplace": self.marketplace_it.id, "token": "T1"}
        )
        calls = self.scheduled_run(
            [self.page("SCH-1", token="T2"), AmazonThrottled(retry_after=600)]
        )
        self.assertEqual(calls, ["T1", "T2"])
        self.assertEqual(self.logs().state, "throttled")
        self.run_import([self.page("SCH-2")])
        self.assertEqual(self.listing_skus(), ["SCH-1", "SCH-2"])
        self.assertEqual(
            self.logs()[0].fetched, 1, msg="the button read only the page left"
        )
        self.assertFalse(schedule.resume_data)

    def test_amazon_failing_fails_the_run_without_bothering_anyone(self):
        self.run_import(AmazonServerError("Amazon answered HTTP 503", code="503"))
        log = self.logs()
        self.assertEqual(log.state, "failed")
        self.assertIn("503", log.message)
        self.assertFalse(self.renewal_activities())
        self.assertEqual(self.account.state, "connected")

    def test_no_flow_has_its_own_lock_log_or_commit_sequence(self):
        """Every flow runs in the skeleton: the lock, the log's start and the
        commit are written only there (and in the scheduled action's runner)."""
        allowed = {
            # the skeleton, the lock and the commit seam
            "amazon_connector/models/sync_run.py",
            "amazon_connector/models/amazon_account.py",
            "amazon_connector/models/amazon_sync_schedule_mixin.py",
            "amazon_connector/models/amazon_sync_log.py",
            # a run refused before it started leaves a failed log (Test connection)
            # and the retention job records what it erased: no lock, no Amazon.
            "amazon_connector_sale/models/amazon_order_anonymizer.py",
        }
        pattern = re.compile(
            r"_sync_lock\(|\"amazon\.sync\.log\"\]\._start\(|cr\.commit\(\)"
        )
        offenders = []
        for path in sorted(ADDONS.glob("amazon_connector*/models/*.py")):
            name = str(path.relative_to(ADDONS))
            if name in allowed:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{name}:{number}: {line.strip()}")
        self.assertFalse(offenders, msg="\n".join(offenders))
