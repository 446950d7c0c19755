# Copyright 2026 The Amazon Connector Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An authorization lasts one year: remind, then refuse, then restart the year."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.amazon_connector.exceptions import AmazonAuthError

from .common import AmazonCoreCase, FakeAmazon, serving

PARTICIPATIONS = [
    {
        "marketplace": {
            "id": "APJ6JRA9NG5V4",
            "countryCode": "IT",
            "name": "Amazon.it",
            "defaultCurrencyCode": "EUR",
            "defaultLanguageCode": "it_IT",
            "domainName": "www.amazon.it",
        },
        "participation": {"isParticipating": True, "hasSuspendedListings": False},
    }
]


@tagged("post_install", "-at_install")
class TestAuthorizationRenewal(AmazonCoreCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.responsible = new_test_user(
            cls.env,
            login="amz_core_responsible",
            groups="base.group_user,amazon_connector.amazon_connector_group_manager",
        )
        cls.account.write(
            {
                "auth_date": date(2026, 1, 10),
                "user_id": cls.responsible.id,
                "state": "connected",
                "marketplaces_sync_active": True,
            }
        )
        cls.renewal_type = cls.env.ref(
            "amazon_connector.mail_activity_type_amazon_renewal"
        )

    def check(self):
        self.env["amazon.account"]._cron_check_authorization()

    def renewal_activities(self):
        return self.account.activity_ids.filtered(
            lambda a: a.activity_type_id == self.renewal_type
        )

    def test_the_authorization_expires_one_year_after_it_was_given(self):
        self.assertEqual(self.account.auth_expiry_date, date(2027, 1, 10))

    @freeze_time("2026-12-10")
    def test_no_reminder_more_than_thirty_days_before_expiry(self):
        self.check()
        self.assertFalse(self.renewal_activities())
        self.assertFalse(self.account.authorization_warning)

    @freeze_time("2026-12-11")
    def test_thirty_days_before_expiry_the_responsible_gets_one_todo_and_a_banner(self):
        self.check()
        self.check()
        activity = self.renewal_activities()
        self.assertEqual(len(activity), 1, msg="one reminder, not one per cron run")
        self.assertEqual(activity.user_id, self.responsible)
        self.assertEqual(activity.date_deadline, date(2027, 1, 10))
        self.account.invalidate_recordset(["authorization_warning"])
        self.assertIn("expires in 30 day(s)", self.account.authorization_warning)
        self.assertEqual(
            self.account.state, "connected", msg="still usable until expiry"
        )

    def test_the_form_shows_the_warning_banner_and_the_renewed_button(self):
        arch = self.env["amazon.account"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('invisible="not authorization_warning"', arch)
        self.assertIn("alert-warning", arch)
        self.assertIn('name="action_renew_authorization"', arch)
        self.assertIn('name="amazon_notebook"', arch)

    @freeze_time("2027-01-10")
    def test_the_expiry_day_itself_is_still_valid(self):
        self.check()
        self.assertEqual(self.account.state, "connected")
        self.assertIn("expires in 0 day(s)", self.account.authorization_warning)

    @freeze_time("2027-01-11")
    def test_after_expiry_the_account_is_expired_and_syncs_refuse(self):
        self.check()
        self.assertEqual(self.account.state, "expired")
        self.assertIn("expired on 2027-01-10", self.account.last_error)
        self.assertIn("expired on 2027-01-10", self.account.authorization_warning)
        with self.assertRaises(AmazonAuthError) as caught:
            self.account._spapi_call("sellers.getMarketplaceParticipations")
        self.assertIn("Renewed", caught.exception.message)
        with self.assertRaises(UserError) as caught, self.account._sync_lock("orders"):
            pass
        self.assertIn("expired on 2027-01-10", str(caught.exception))
        log = self.account._sync_marketplaces(trigger="manual")
        self.assertEqual(log.state, "failed")
        self.assertIn("expired on 2027-01-10", log.message)

    @freeze_time("2027-01-11")
    def test_syncs_refuse_even_before_the_daily_check_ran(self):
        with self.assertRaises(AmazonAuthError):
            self.account._spapi_call("sellers.getMarketplaceParticipations")

    @freeze_time("2027-01-11")
    def test_the_scheduler_skips_expired_accounts(self):
        self.check()
        with patch.object(
            type(self.account), "_run_scheduled_marketplaces", autospec=True
        ) as run:
            self.env["amazon.account"]._cron_run_due("marketplaces")
        run.assert_not_called()

    def test_renewing_restarts_the_year_and_closes_the_reminder(self):
        with freeze_time("2026-12-20"):
            self.check()
            self.assertTrue(self.renewal_activities())
        with freeze_time("2027-01-15"):
            self.check()
            self.assertEqual(self.account.state, "expired")
            amazon = FakeAmazon()
            amazon.answer("*", PARTICIPATIONS)
            with serving(self.env, amazon):
                action = self.account.action_renew_authorization()
            self.assertEqual(self.account.auth_date, date(2027, 1, 15))
            self.assertEqual(self.account.auth_expiry_date, date(2028, 1, 15))
            self.assertEqual(
                self.account.state,
                "connected",
                msg="the connection is tested again: scheduled syncs run again",
            )
            self.assertEqual(action["params"]["type"], "success")
            self.assertFalse(self.account.last_error)
            self.assertFalse(self.renewal_activities())
            self.account.invalidate_recordset(["authorization_warning"])
            self.assertFalse(self.account.authorization_warning)

    def test_renewing_when_amazon_still_refuses_says_syncs_stay_off(self):
        with freeze_time("2027-01-15"):
            self.check()

            amazon = FakeAmazon()
            amazon.errors["*"] = AmazonAuthError(
                "invalid_grant: the refresh token was revoked"
            )
            with serving(self.env, amazon):
                action = self.account.action_renew_authorization()
            self.assertNotEqual(self.account.state, "connected")
            self.assertEqual(action["params"]["type"], "warning")
            self.assertIn("Scheduled syncs stay off", action["params"]["message"])
